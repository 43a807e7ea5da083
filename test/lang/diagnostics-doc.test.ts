/**
 * The diagnostics reference in docs/language.md stays true: the example under each
 * `#### E0nnn` heading, compiled, reports that code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/lang/compile.js';

const doc = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');
const reference = doc.slice(doc.indexOf('## Diagnostics reference'));
const sections = [
  ...reference.matchAll(/^#### (E\d{4})[^\n]*\n([\s\S]*?)(?=^#{2,4} |(?![\s\S]))/gm),
];
const examples = sections.flatMap(([, code, body]) => {
  const block = /```haskell\n([\s\S]*?)```/.exec(body!);
  return block ? [{ code: code!, source: block[1]! }] : [];
});

describe('docs/language.md diagnostics reference', () => {
  it('has an example for nearly every code', () => {
    expect(sections.length).toBeGreaterThanOrEqual(30);
    expect(examples.length).toBeGreaterThanOrEqual(sections.length - 1);
  });

  it.each(examples)('the example of $code reports $code', ({ code, source }) => {
    const result = compile(source, 'example.cam');
    expect(result.diagnostics.map((d) => d.code)).toContain(code);
  });
});
