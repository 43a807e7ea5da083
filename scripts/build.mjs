// Bundles the CLI into dist/ with esbuild. Type checking is `npm run typecheck` (tsc).
import { build } from 'esbuild';

// zod costs ≈ 27 ms of start-up to evaluate, and most runs never validate a user file with it
// (the schemas are built on first use). So the bundle does not contain zod: it is bundled on
// its own into dist/zod.cjs, and `import { z } from 'zod'` resolves to a stand-in whose
// properties load that file (synchronously, with require) on first access — validation stays
// synchronous. docs/performance.md, "Start-up".
await build({
  stdin: { contents: "export { z } from 'zod';", resolveDir: '.', loader: 'js' },
  outfile: 'dist/zod.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

const LAZY_ZOD = `
import { createRequire } from 'node:module';
let loaded;
const zod = () => (loaded ??= createRequire(import.meta.url)('./zod.cjs').z);
export const z = new Proxy({}, {
  get: (_, key) => zod()[key],
  has: (_, key) => key in zod(),
});
`;

/** Resolves `zod` to the stand-in above. */
const lazyZodPlugin = {
  name: 'lazy-zod',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^zod$/ }, () => ({ path: 'zod', namespace: 'lazy-zod' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'lazy-zod' }, () => ({
      contents: LAZY_ZOD,
      loader: 'js',
      resolveDir: 'dist',
    }));
  },
};

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
  plugins: [lazyZodPlugin],
  logLevel: 'warning',
});
