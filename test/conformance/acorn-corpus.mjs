// The second real program of test/conformance/real-programs.test.mjs: acorn (a hand-written
// recursive-descent parser, a very different style from the TypeScript compiler's), instrumented
// in full, parses a corpus of JavaScript and must give byte for byte the AST JSON (or the same
// SyntaxError) as the plain acorn, with debugging off and on.
//
//   node test/conformance/acorn-corpus.mjs <instrumented acorn.js>
//
// In a process of its own (one per adapter, so that the two run side by side). Prints a JSON
// summary: files, bytes, parses, syntax errors, mismatches (with the first difference), frames
// captured with debugging off and on, times.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const require = createRequire(import.meta.url);

/**
 * The corpus: every .js, .cjs and .mjs file of these installed packages (fixed by
 * package-lock.json; about 370 files, 4 MB): ES modules and CommonJS, sources and bundles.
 */
export const CORPUS_PACKAGES = [
  '@babel',
  'acorn',
  'ws',
  'ts-patch',
  'semver',
  '@jridgewell',
  'js-tokens',
  'picocolors',
  'test262-harness',
  'esprima',
  'recast',
  'source-map',
  'js-yaml',
  'yargs',
  'eshost',
];

/** The corpus files, sorted. */
export function corpusFiles() {
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (/\.[cm]?js$/.test(e.name)) files.push(p);
    }
  };
  for (const p of CORPUS_PACKAGES) walk(join(ROOT, 'node_modules', p));
  return files.sort();
}

/**
 * Each file is parsed three ways: as a module and as a script of the latest ECMAScript, and as an
 * ES5 script. A module's `import` in a script, or an arrow function in ES5, is a SyntaxError
 * thrown up through the parser's frames (the path where the capture does its work).
 */
const WAYS = [
  { sourceType: 'module', ecmaVersion: 'latest' },
  { sourceType: 'script', ecmaVersion: 'latest' },
  { sourceType: 'script', ecmaVersion: 5 },
];

/** One parse, as text: the AST's JSON, or the error (class, message, position). */
function parse(acorn, text, way, comments) {
  comments.length = 0;
  try {
    const ast = acorn.parse(text, { ...way, locations: true, ranges: true, allowHashBang: true, onComment: comments });
    return { json: JSON.stringify(ast) + JSON.stringify(comments) };
  } catch (e) {
    return { json: `${e.constructor.name}: ${e.message} @${e.pos} ${JSON.stringify(e.loc)}`, error: e };
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const instrumentedPath = process.argv[2];
  const plain = require('acorn');
  const instrumented = require(instrumentedPath);
  if (instrumented === plain || instrumented.version !== plain.version)
    throw new Error(`${instrumentedPath} is not a second acorn ${plain.version}`);
  // The switch instrumented code reads (the same module as the instrumented file's `ts-pdb/capture`).
  const { captureOf, settings } = require(join(ROOT, 'dist/runtime/capture.js'));
  const files = corpusFiles();
  const summary = {
    files: files.length,
    bytes: 0,
    parses: 0,
    syntaxErrors: 0,
    mismatches: [],
    captured: { off: 0, on: 0 },
    ms: { plain: 0, off: 0, on: 0 },
  };
  const comments = [];
  const timed = (k, fn) => {
    const t0 = performance.now();
    const r = fn();
    summary.ms[k] += performance.now() - t0;
    return r;
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    summary.bytes += Buffer.byteLength(text);
    for (const way of WAYS) {
      summary.parses++;
      const a = timed('plain', () => parse(plain, text, way, comments));
      if (a.error) summary.syntaxErrors++;
      for (const mode of ['off', 'on']) {
        settings.enabled = mode === 'on';
        let b;
        try {
          b = timed(mode, () => parse(instrumented, text, way, comments));
        } finally {
          settings.enabled = false;
        }
        if (b.error && (captureOf(b.error, false)?.frames.length ?? 0) > 0) summary.captured[mode]++;
        if (b.json !== a.json) {
          let i = 0;
          while (i < a.json.length && a.json[i] === b.json[i]) i++;
          summary.mismatches.push({
            file: file.slice(ROOT.length + 1),
            ...way,
            debugging: mode,
            at: i,
            plain: a.json.slice(Math.max(0, i - 80), i + 80),
            instrumented: b.json.slice(Math.max(0, i - 80), i + 80),
          });
        }
      }
    }
  }
  for (const k of Object.keys(summary.ms)) summary.ms[k] = Math.round(summary.ms[k]);
  process.stdout.write(JSON.stringify(summary) + '\n');
}
