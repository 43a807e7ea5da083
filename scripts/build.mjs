// Bundles the CLI into dist/ with esbuild. Type checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';

await build({
  entryPoints: { sensevm: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too: resolving and reading zod's and commander's many module files
  // one by one cost more start-up time than the whole VM.
  // commander is CommonJS and requires node: built-ins; give the ESM bundle a `require`.
  banner: {
    js: "import { createRequire as __sensevmRequire } from 'node:module'; const require = __sensevmRequire(import.meta.url);",
  },
  // Less source for V8 to scan at start-up; identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  logLevel: 'warning',
});
