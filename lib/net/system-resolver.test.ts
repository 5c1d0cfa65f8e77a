import { describe, expect, it } from "vitest";
import { systemResolver } from "@/lib/net/system-resolver";

describe("systemResolver", () => {
  it("answers every address of a name, and the same answer again within its lifetime", async () => {
    const now = Date.now();
    const first = systemResolver("localhost", now);
    const addresses = await first;
    expect(addresses.map((entry) => entry.address)).toContain("127.0.0.1");
    expect(systemResolver("localhost", now + 1000)).toBe(first);
    expect(systemResolver("localhost", now + 60_000)).not.toBe(first);
  });

  it("forgets a failed lookup at once", async () => {
    const failing = systemResolver("no-such-host.invalid");
    await expect(failing).rejects.toBeInstanceOf(Error);
    expect(systemResolver("no-such-host.invalid")).not.toBe(failing);
    await systemResolver("no-such-host.invalid").catch(() => undefined);
  });
});
