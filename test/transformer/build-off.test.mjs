// With the transform turned off at build time (`enabled: false` or TS_PDB_BUILD=off), the output
// is byte for byte the plain build's, except that the markers and their import are gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transpile } from '../helpers/build.mjs';

const WITH_MARKERS = `import { attachOnError, Debugger } from 'ts-pdb';
import { readFileSync } from 'node:fs';

// @debuggable
export function parse(text: string) {
  const lines = text.split('\\n');
  return lines.map((l) => l.trim());
}

export class Loader {
  @attachOnError()
  load(path: string) {
    return parse(readFileSync(path, 'utf8'));
  }

  @Debugger.attachOnError()
  get size() { return 1; }
}
`;

// What a user would have written without ts-pdb: the same file minus markers and their import.
const WITHOUT_MARKERS = WITH_MARKERS.replace("import { attachOnError, Debugger } from 'ts-pdb';\n", '')
  .replace('  @attachOnError()\n', '')
  .replace('  @Debugger.attachOnError()\n', '');

for (const [label, compilerOptions] of [
  ['TC39 decorators, CommonJS', {}],
  ['experimentalDecorators, CommonJS', { experimentalDecorators: true }],
  ['TC39 decorators, ESM', { module: 99 /* ESNext */ }],
]) {
  test(`build off (enabled: false) equals the plain build without markers: ${label}`, () => {
    const off = transpile(WITH_MARKERS, { transform: { enabled: false }, compilerOptions });
    const plain = transpile(WITHOUT_MARKERS, { transform: false, compilerOptions });
    assert.equal(off.code, plain.code);
    assert.doesNotMatch(off.code, /ts-pdb/);
  });
}

test('TS_PDB_BUILD=off turns the transform off like enabled: false', () => {
  const saved = process.env.TS_PDB_BUILD;
  process.env.TS_PDB_BUILD = 'off';
  try {
    const off = transpile(WITH_MARKERS, { transform: {} });
    assert.equal(off.code, transpile(WITHOUT_MARKERS, { transform: false }).code);
  } finally {
    if (saved === undefined) delete process.env.TS_PDB_BUILD;
    else process.env.TS_PDB_BUILD = saved;
  }
});

test('a file without markers is emitted unchanged by the enabled transform (marked mode)', () => {
  const src = 'export function f(a: number) { const b = a * 2; return b; }\n';
  assert.equal(transpile(src, { transform: {} }).code, transpile(src, { transform: false }).code);
});

test('Debugger kept when used for something else than the decorator', () => {
  const src =
    "import { Debugger } from 'ts-pdb';\nDebugger.enabled = true;\nclass A { @Debugger.attachOnError() m() { return 1; } }\nexport { A };\n";
  const off = transpile(src, { transform: { enabled: false } });
  assert.match(off.code, /require\("ts-pdb"\)/);
  assert.match(off.code, /Debugger\.enabled = true/);
  assert.doesNotMatch(off.code, /attachOnError/);
});

test('a bad option is a clear error', () => {
  assert.throws(() => transpile('export {}', { transform: { instrument: 'everything' } }), /option "instrument" must be "marked" or "all"/);
});
