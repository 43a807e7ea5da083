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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
