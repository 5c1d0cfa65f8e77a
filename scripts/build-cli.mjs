#!/usr/bin/env node
// `npm run build:cli`: the CLI as one built file, dist/sentinela.mjs, so the self-hosted runner is one
// plain `node` process (no npm, no tsx, no TypeScript compiler in memory):
//   node dist/sentinela.mjs monitor --every 30s
// What must stay true: npm packages stay external (loaded from node_modules as with tsx, PGlite's WASM
// included), and the CLI still runs from the project directory (migrations are read from
// ./supabase/migrations, as before).
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * A module that runs itself when it is the process's entry (`import.meta.url === argv[1]`, the
 * simulators' main.ts) would, once bundled, see the bundle's URL and start at import: each keeps the
 * URL of its own source file instead.
 */
const ownImportMetaUrl = {
  name: "own-import-meta-url",
  setup(plugin) {
    plugin.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      return { contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
    });
  },
};

const started = performance.now();
const result = await build({
  entryPoints: ["cli/main.ts"],
  outfile: "dist/sentinela.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  banner: { js: "#!/usr/bin/env node" },
  plugins: [ownImportMetaUrl],
  metafile: true,
});
// The project files the build was made from: bin/sentinela.mjs runs the build only while none of them
// is newer than it (a stale build would run old code after an edit).
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith("node_modules/"));
await writeFile("dist/sentinela.inputs.json", `${JSON.stringify(inputs)}\n`);
console.log(`dist/sentinela.mjs built in ${Math.round(performance.now() - started)} ms`);
