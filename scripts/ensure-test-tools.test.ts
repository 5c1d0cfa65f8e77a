import { describe, expect, it } from "vitest";
import { decide, ensureTestTools, findMissing, type Probe } from "@/scripts/ensure-test-tools";

const FULL = [
  "/usr/share/postgresql/15/extension/pgtap.control",
  "/usr/bin/chromium",
];

/** A machine: which files exist, which commands are on PATH, which PostgreSQL versions, root or not. */
function machine(overrides: Partial<{ files: string[]; commands: string[]; versions: number[]; isRoot: boolean; bundled: string }> = {}) {
  const files = new Set(overrides.files ?? FULL);
  const commands = new Set(overrides.commands ?? ["pg_prove", "apt-get"]);
  const versions = overrides.versions ?? [15];
  const probe: Probe = {
    exists: (file) => files.has(file),
    postgresVersions: () => versions,
    pgConfigShareDir: () => (commands.has("pg_config") ? "/opt/pg/share" : undefined),
    hasCommand: (name) => commands.has(name),
    isRoot: overrides.isRoot ?? false,
    playwrightChromium: () => overrides.bundled,
  };
  return { probe, files, commands, versions };
}

function recorder(onRun: (command: string[]) => number = () => 0) {
  const runs: string[][] = [];
  const lines: string[] = [];
  return { runs, lines, runner: { run: (command: string[]) => (runs.push(command), onRun(command)), log: (line: string) => lines.push(line) } };
}

describe("ensure-test-tools", () => {
  it("does nothing on a machine that has everything", () => {
    const { probe } = machine();
    const { runs, runner } = recorder();
    expect(ensureTestTools(probe, runner)).toBe(0);
    expect(runs).toEqual([]);
  });

  it("as root with apt, installs exactly what is missing — pg_prove's own package included — and re-checks", () => {
    const { probe, files, commands, versions } = machine({ files: [], commands: ["apt-get"], versions: [], isRoot: true });
    const { runs, runner } = recorder((command) => {
      if (command[1] === "install") {
        versions.push(15);
        FULL.forEach((file) => files.add(file));
        commands.add("pg_prove");
      }
      return 0;
    });
    expect(ensureTestTools(probe, runner)).toBe(0);
    expect(runs).toEqual([
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "--no-install-recommends", "postgresql-15", "postgresql-15-pgtap", "libtap-parser-sourcehandler-pgtap-perl", "chromium"],
    ]);
  });

  it("names pg_prove's package when only pg_prove is missing (what postgresql-15-pgtap leaves out without recommends)", () => {
    const { probe } = machine({ commands: ["apt-get"], isRoot: true });
    expect(decide(findMissing(probe), probe)).toMatchObject({ action: "install", packages: ["libtap-parser-sourcehandler-pgtap-perl"] });
  });

  it("without root, stops before the suite with the one command to run", () => {
    const { probe } = machine({ files: ["/usr/bin/chromium"], commands: ["apt-get"] });
    const { runs, lines, runner } = recorder();
    expect(ensureTestTools(probe, runner)).toBe(1);
    expect(runs).toEqual([]);
    expect(lines.join("\n")).toContain(
      "sudo apt-get update && sudo apt-get install -y --no-install-recommends postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl",
    );
    expect(lines.join("\n")).toContain("missing pgTAP, pg_prove");
  });

  it("takes Playwright's own Chromium where /usr/bin/chromium is absent", () => {
    const bundled = "/root/.cache/ms-playwright/chromium-1200/chrome-linux/chrome";
    expect(findMissing(machine({ files: [FULL[0], bundled], bundled }).probe)).toEqual([]);
    const without = findMissing(machine({ files: [FULL[0]], bundled }).probe);
    expect(without.map((item) => item.what)).toEqual(["Chromium"]);
  });

  it("without apt, says what to do instead", () => {
    const { probe } = machine({ files: [FULL[0]], commands: ["pg_prove"] });
    expect(decide(findMissing(probe), probe)).toEqual({ action: "stop", missing: ["Chromium"], command: "npx playwright install chromium" });
  });

  it("uses the highest PostgreSQL ≥ 15 installed, as the test cluster does, or pg_config's", () => {
    const { probe } = machine({ versions: [13, 16], files: ["/usr/share/postgresql/16/extension/pgtap.control", "/usr/bin/chromium"] });
    expect(findMissing(probe)).toEqual([]);
    const old = machine({ versions: [13], files: ["/usr/bin/chromium"], commands: ["pg_prove", "apt-get"] }).probe;
    expect(findMissing(old).map((item) => item.aptPackage)).toEqual(["postgresql-15", "postgresql-15-pgtap"]);
    const elsewhere = machine({ versions: [], files: ["/opt/pg/share/extension/pgtap.control", "/usr/bin/chromium"], commands: ["pg_prove", "pg_config"] }).probe;
    expect(findMissing(elsewhere)).toEqual([]);
  });

  it("fails, saying which command, when apt fails", () => {
    const { probe } = machine({ commands: ["apt-get"], isRoot: true });
    const { lines, runner } = recorder(() => 100);
    expect(ensureTestTools(probe, runner)).toBe(1);
    expect(lines.at(-1)).toBe("test tools: `apt-get update` failed");
  });
});
