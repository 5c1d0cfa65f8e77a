import type { EvolutionSimulator } from "@/dev/evolution-simulator/server";
import { demoAlertSenderInstances } from "@/lib/demo/demo-alerts";
import type { DemoInstance } from "@/lib/demo/seed-demo";

/**
 * Keeps the demo alive: every so often one healthy instance drops (close 428) and comes back by itself
 * a minute or two later, as real connections do, so statuses change with nobody clicking; and now and
 * then one is logged out from the phone (needs a QR: an incident opens at once and its alert e-mails
 * reach the local inbox), and is "scanned" back a few minutes later (the incident resolves, and the
 * resolution mail follows). The instances with a fixed scenario (logged out, replaced, …) keep theirs,
 * and the tenants' alert senders are never touched (WhatsApp alerts go out through them).
 */
export function startWeather(simulator: EvolutionSimulator, instances: DemoInstance[], log: (line: string) => void) {
  const senders = new Set(demoAlertSenderInstances());
  const healthy = instances.filter((i) => i.scenario === "healthy" && !senders.has(i.instanceName)).map((i) => i.instanceName);
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
  // Every 6 minutes a line is logged out (close 401 → needs QR) and comes back 3 minutes later, as if
  // someone scanned the QR code (the simulator's instance simply opens again).
  let logouts = 0;
  const logout = setInterval(() => {
    const name = healthy[(logouts * 5 + 3) % healthy.length];
    logouts++;
    simulator.setScenario(name, "logged_out");
    log(`weather: ${name} was logged out from the phone (needs a QR); it is scanned back in 3 min`);
    setTimeout(() => {
      simulator.setScenario(name, "healthy");
      log(`weather: ${name} was scanned back`);
    }, 3 * 60_000).unref();
  }, 6 * 60_000);
  logout.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearInterval(reboot);
      clearInterval(logout);
    },
  };
}
