// Writes docs/board.schema.json from the zod board schema (src/hal/boards/schema.ts).
// Run after changing the schema: npx tsx scripts/board-schema.ts
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { boardSchema } from '../src/hal/boards/schema.js';

const schema = z.toJSONSchema(boardSchema(), { io: 'input' });
writeFileSync('docs/board.schema.json', JSON.stringify(schema, null, 2) + '\n');
