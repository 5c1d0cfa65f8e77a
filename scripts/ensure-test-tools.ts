import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * `npm test`'s first step: what the suite needs beyond node_modules — PostgreSQL ≥ 15 (integration
 * tests start a throwaway cluster), pgTAP and pg_prove (policy tests), a Chromium (e2e). On Debian as
 * root it installs what is missing with apt; otherwise it stops before anything runs, printing the one
 * command that would. Debian's postgresql-15-pgtap only *recommends* pg_prove's package, so an install
 * with --no-install-recommends must name libtap-parser-sourcehandler-pgtap-perl itself. Where
 * /usr/bin/chromium is absent, Playwright's own Chromium will do (playwright.config.ts picks it).
 */

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";
const PG_ROOT = "/usr/lib/postgresql";
const PG_PROVE_PACKAGE = "libtap-parser-sourcehandler-pgtap-perl";

export interface Probe {
  exists(file: string): boolean;
  /** Major versions under /usr/lib/postgresql with an initdb. */
  postgresVersions(): number[];
  /** `pg_config --sharedir`, for PostgreSQL outside Debian's layout. */
  pgConfigShareDir(): string | undefined;
  hasCommand(name: string): boolean;
  isRoot: boolean;
  /** Where Playwright would find its own Chromium (it need not be there). */
  playwrightChromium(): string | undefined;
}

export interface Missing {
  what: string;
  /** The Debian package that provides it. */
  aptPackage: string;
  /** Without apt, what to do instead. */
  otherwise: string;
}

export function findMissing(probe: Probe): Missing[] {
  const missing: Missing[] = [];
  // The version test/pg-cluster.ts will run: the highest ≥ 15 in Debian's layout, else pg_config's.
  const version = Math.max(0, ...probe.postgresVersions().filter((v) => v >= 15));
  const major = version || 15;
  const shareDir = version ? `/usr/share/postgresql/${version}` : probe.pgConfigShareDir();
  if (!shareDir) {
    missing.push({ what: "PostgreSQL ≥ 15", aptPackage: `postgresql-${major}`, otherwise: "install PostgreSQL 15 or later" });
  }
  if (!probe.exists(`${shareDir ?? `/usr/share/postgresql/${major}`}/extension/pgtap.control`)) {
    missing.push({ what: "pgTAP", aptPackage: `postgresql-${major}-pgtap`, otherwise: "install pgTAP for your PostgreSQL" });
  }
  if (!probe.hasCommand("pg_prove")) {
    missing.push({ what: "pg_prove", aptPackage: PG_PROVE_PACKAGE, otherwise: "cpan TAP::Parser::SourceHandler::pgTAP" });
  }
  const bundled = probe.playwrightChromium();
  if (!probe.exists(SYSTEM_CHROMIUM) && !(bundled && probe.exists(bundled))) {
    missing.push({ what: "Chromium", aptPackage: "chromium", otherwise: "npx playwright install chromium" });
  }
  return missing;
}

export type Decision =
  | { action: "ready" }
  | { action: "install"; packages: string[]; commands: string[][] }
  | { action: "stop"; missing: string[]; command: string };

export function decide(missing: Missing[], probe: Pick<Probe, "isRoot" | "hasCommand">): Decision {
  if (missing.length === 0) return { action: "ready" };
  const packages = missing.map((item) => item.aptPackage);
  const what = missing.map((item) => item.what);
  if (probe.hasCommand("apt-get")) {
    const install = ["apt-get", "install", "-y", "--no-install-recommends", ...packages];
    if (probe.isRoot) return { action: "install", packages, commands: [["apt-get", "update"], install] };
    return { action: "stop", missing: what, command: `sudo apt-get update && sudo ${install.join(" ")}` };
  }
  return { action: "stop", missing: what, command: missing.map((item) => item.otherwise).join(" && ") };
}

export interface Runner {
  run(command: string[]): number;
  log(line: string): void;
}

/** 0 when the suite can run; 1 (after saying the command) when it cannot. */
export function ensureTestTools(probe: Probe, runner: Runner): number {
  const decision = decide(findMissing(probe), probe);
  if (decision.action === "ready") return 0;
  if (decision.action === "install") {
    runner.log(`test tools: installing ${decision.packages.join(", ")} with apt`);
    for (const command of decision.commands) {
      if (runner.run(command) !== 0) {
        runner.log(`test tools: \`${command.join(" ")}\` failed`);
        return 1;
      }
    }
    const still = findMissing(probe);
    if (still.length === 0) return 0;
    runner.log(`test tools: still missing after apt: ${still.map((item) => item.what).join(", ")}`);
    return 1;
  }
  runner.log(`test tools: missing ${decision.missing.join(", ")}. Run:\n\n  ${decision.command}\n\nthen npm test again.`);
  return 1;
}

function commandExists(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`], { stdio: "ignore" }).status === 0;
}

async function playwrightChromiumPath(): Promise<string | undefined> {
  try {
    const { chromium } = await import("@playwright/test");
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export async function systemProbe(): Promise<Probe> {
  const bundled = await playwrightChromiumPath();
  return {
    exists: existsSync,
    postgresVersions: () =>
      existsSync(PG_ROOT)
        ? readdirSync(PG_ROOT).filter((name) => /^\d+$/.test(name) && existsSync(path.join(PG_ROOT, name, "bin", "initdb"))).map(Number)
        : [],
    pgConfigShareDir: () => {
      try {
        return execFileSync("pg_config", ["--sharedir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
      } catch {
        return undefined;
      }
    },
    hasCommand: commandExists,
    isRoot: process.getuid?.() === 0,
    playwrightChromium: () => bundled,
  };
}

const systemRunner: Runner = {
  run(command) {
    try {
      execFileSync(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      return 0;
    } catch (error) {
      return (error as { status?: number }).status ?? 1;
    }
  },
  log: (line) => console.error(line),
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = ensureTestTools(await systemProbe(), systemRunner);
}
