import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
const exclude = ["node_modules/**", ".next/**", "e2e/**", ".data/**"];
// Simulators and fake downstreams listen on random loopback ports; the outbound guard refuses loopback
// unless the operator allows it (lib/net/address-policy.ts). Tests of the guard pass their own policy.
const env = { GATEWAY_ALLOWED_HOSTS: "127.0.0.1/32" };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: [...exclude, "**/*.int.test.ts"],
          environment: "node",
          env,
          // Vitest's default is one worker fewer than the cores: one on a 2-core machine (39 s here, 23 s with two).
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude,
          environment: "node",
          env,
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Each file opens its own databases in the run's cluster: two files at a time on two cores.
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
    ],
  },
});
