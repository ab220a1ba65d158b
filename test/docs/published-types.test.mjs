// The published types, as a user's project sees them through the package's "exports": a consumer
// file that imports every entry point type-checks under `nodenext` as CommonJS and as an ES module,
// and misuse is a type error (the types are real, not `any`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, scratch, ts } from '../helpers/build.mjs';

const CONSUMER = `import { attachOnError, Debugger, detectRank, MODES, TsPdbError, type Mode, type RankInfo } from 'ts-pdb';
import { createTransformer, factory, type TransformOptions } from 'ts-pdb/transformer';
import babelPlugin from 'ts-pdb/babel';
import tsPdb from 'ts-pdb/vite';
import * as capture from 'ts-pdb/capture';
import type * as TS from 'typescript';

export class Job {
  @attachOnError()
  run(n: number): number { return n * 2; }
}
Debugger.enabled = true;
const mode: Mode = MODES[0];
Debugger.mode = mode;
const rank: RankInfo = detectRank();
export const info = [rank.rank, new TsPdbError('E_X', 'x').code, typeof capture];
const options: TransformOptions = { instrument: 'all', enabled: true };
export const fromApi: TS.TransformerFactory<TS.SourceFile> = createTransformer(options);
export const viaTsJest = factory({}, { instrument: 'marked' });
const babelOptions: babelPlugin.TransformOptions = { instrument: 'all' };
export const viaBabel = babelPlugin({ types: {} }, babelOptions);
const viteOptions: tsPdb.Options = { instrument: 'all', include: ['src/**'], exclude: /skip/ };
export const vitePlugins = [tsPdb(viteOptions), tsPdb()];

// @ts-expect-error: not an option value
createTransformer({ instrument: 'everything' });
// @ts-expect-error: not a mode
Debugger.mode = 'telnet';
// @ts-expect-error: the plugin takes Babel's api first
babelPlugin({ instrument: 'all' });
// @ts-expect-error: not an option value
tsPdb({ instrument: 'every' });
`;

for (const [label, ext, pkgType] of [
  ['CommonJS', 'cts', 'commonjs'],
  ['ES module', 'mts', 'module'],
]) {
  test(`published types: every entry point type-checks from a user's ${label} file, and misuse is an error`, () => {
    const dir = scratch('types-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: pkgType }));
    // Installed as \`npm install <this checkout>\` does: a link in node_modules; types come through "exports".
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'ts-pdb'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
    symlinkSync(join(ROOT, 'node_modules', 'typescript'), join(dir, 'node_modules', 'typescript'), 'dir');
    const file = join(dir, `consumer.${ext}`);
    writeFileSync(file, CONSUMER);
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: false,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map(
        (d) =>
          `${d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      );
    assert.deepEqual(diagnostics, [], 'no type errors (and every @ts-expect-error met an error)');
  });
}
