import type { EvolutionSimulator } from "@/dev/evolution-simulator/server";
import type { DemoInstance } from "@/lib/demo/seed-demo";

/**
 * Keeps the demo alive: every so often one healthy instance drops (close 428) and comes back by itself
 * a minute or two later, as real connections do, so statuses change with nobody clicking. The instances
 * with a fixed scenario (logged out, replaced, …) keep theirs.
 */
export function startWeather(simulator: EvolutionSimulator, instances: DemoInstance[], log: (line: string) => void) {
  const healthy = instances.filter((i) => i.scenario === "healthy").map((i) => i.instanceName);
  let turn = 0;
  const timer = setInterval(() => {
    const name = healthy[(turn * 7) % healthy.length];
    turn++;
    const recoverAfterMs = 60_000 + ((turn * 37_000) % 60_000);
    simulator.setScenario(name, "drops_and_recovers", { recoverAfterMs });
    log(`weather: ${name} dropped; it comes back by itself in ${Math.round(recoverAfterMs / 1000)} s`);
    setTimeout(() => simulator.setScenario(name, "healthy"), recoverAfterMs + 5_000).unref();
  }, 75_000);
  timer.unref();
  // Now and then the gateway process restarts, and (as Evolution 2.3.6 does) reconnects every stored
  // instance, logged-out and never-paired ones included: those show QR codes, and must stay "needs QR".
  const reboot = setInterval(() => {
    void simulator.restartGateway();
    log("weather: the gateway restarted; every instance reconnects (logged-out ones show QR codes again)");
  }, 11 * 60_000);
  reboot.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(reboot);
    },
  };
}
