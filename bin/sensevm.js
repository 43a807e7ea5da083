#!/usr/bin/env node
// The `sensevm` command: runs the bundled CLI built by `npm run build` (npm ci runs it via `prepare`).
import { main } from '../dist/sensevm.js';

process.exitCode = await main(process.argv.slice(2));
