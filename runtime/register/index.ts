/**
 * `node --import ts-pdb/register app.ts`: run TypeScript (and JavaScript) with the ts-pdb transform
 * applied at load time, no build step. ES modules go through module hooks (`hooks.ts`), CommonJS
 * through a require hook. `TS_PDB_INSTRUMENT=all` instruments every function, not only the marked
 * ones. Debugging itself is still switched on by `IPDB_DEBUG=1` (`ts-pdb run` sets it).
 */
import * as fs from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { compile, formatOf, isTypeScript, shouldCompile } from './compile';

type Loader = (module: { _compile(code: string, file: string): void }, file: string) => void;
const extensions = require.extensions as unknown as Record<string, Loader>;

for (const ext of ['.ts', '.cts']) {
  extensions[ext] = (module, file) => {
    const source = fs.readFileSync(file, 'utf8');
    module._compile(isTypeScript(file) ? compile(source, file, 'commonjs') : source, file);
  };
}
// The program's own CommonJS JavaScript with markers (or all of it, with TS_PDB_INSTRUMENT=all) is
// instrumented too; the rest, packages included, goes to Node's own loader untouched.
// Node registers no '.cjs' loader of its own (it loads `.cjs` files with the '.js' one): the
// original '.js' loader is Node's for both, taken before the loop replaces it.
const nodesJs = extensions['.js'];
for (const ext of ['.js', '.cjs']) {
  const nodes = extensions[ext] ?? nodesJs;
  extensions[ext] = (module, file) => {
    let source: string | undefined;
    const read = (): string => (source ??= fs.readFileSync(file, 'utf8'));
    // shouldCompile first: it turns packages and ts-pdb's own files away without a look at any
    // package.json (formatOf's walk up the folders), which every lazily loaded module of a session paid.
    if (shouldCompile(file, read) && formatOf(file) === 'commonjs') module._compile(compile(read(), file, 'commonjs'), file);
    else nodes(module, file);
  };
}

register(pathToFileURL(require.resolve('./hooks')).href);

// The compiled code exists only in memory (its source map is inline): Node maps stack traces
// through it, so errors and sessions show the TypeScript lines, as with `--enable-source-maps`.
process.setSourceMapsEnabled(true);

// `ts-pdb run` sets IPDB_ON_UNCAUGHT=1 (unless set): capture.ts, loaded here, then opens a session
// for an exception nobody catches; loaded only then, so `--import ts-pdb/register` alone adds nothing.
if (/^(1|true|yes|on)$/i.test((process.env.IPDB_ON_UNCAUGHT ?? '').trim())) {
  (require('../capture') as typeof import('../capture')).watchUncaught();
}
