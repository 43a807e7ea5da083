/**
 * The front end's error corpus (test/corpus/errors): each program's error codes must be exactly
 * the `-- expect error:` annotations, as a multiset — so a missing error, an extra one and a
 * cascade (the same error reported twice) all fail. The shared corpus runner
 * (test/corpus.test.ts) checks the same files through the whole compiler, less strictly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lang/analyze.js';
import { renderDiagnostics } from '../../src/lang/render.js';
import { CATALOGUE } from '../../src/errors/catalogue.js';

const DIR = new URL('../corpus/errors/', import.meta.url).pathname;
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.cam'))
  .sort();

function expectedErrors(source: string): string[] {
  return [...source.matchAll(/--\s*expect error:\s*(E\d{4})/g)].map((m) => m[1] as string).sort();
}

describe('error corpus', () => {
  it.each(files)('%s', (name) => {
    const path = join(DIR, name);
    const source = readFileSync(path, 'utf8');
    const result = analyze(source, name);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.code).sort()).toEqual(expectedErrors(source));
    expect(result.info).toBeUndefined();
    // Every diagnostic renders with a location line and a caret under its span.
    const text = renderDiagnostics(result.diagnostics, source);
    for (const d of errors) {
      expect(text).toContain(`${name}:${d.span.line}:${d.span.column}: error[${d.code}]: `);
    }
    expect(text).toContain('^');
  });

  it('covers every front-end code of the catalogue', () => {
    const covered = new Set(
      files.flatMap((f) => expectedErrors(readFileSync(join(DIR, f), 'utf8'))),
    );
    const frontEndCodes = CATALOGUE.map((e) => e.code).filter((c) => /^E0[234]\d\d$/.test(c));
    expect(frontEndCodes.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('documents every front-end code in docs/language.md', () => {
    const docs = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
    const reference = docs.slice(docs.indexOf('## Diagnostics reference'));
    const frontEndCodes = CATALOGUE.map((e) => e.code).filter((c) => /^E0[234]\d\d$/.test(c));
    expect(frontEndCodes.filter((c) => !reference.includes(`#### ${c} `))).toEqual([]);
  });
});
