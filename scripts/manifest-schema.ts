// Regenerates docs/manifest.schema.json from the zod schema (src/system/manifest-schema.ts).
// Run: npx tsx scripts/manifest-schema.ts   (test/system-manifest.test.ts checks it is current)
import { writeFileSync } from 'node:fs';
import { manifestJsonSchemaText } from '../src/system/manifest-schema.ts';

writeFileSync(new URL('../docs/manifest.schema.json', import.meta.url), manifestJsonSchemaText());
