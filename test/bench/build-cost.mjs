// Build cost of the transform (issue #3 item 8, issue #8 item 5): how much longer a build takes
// with ts-pdb than without, on a generated project of >= 50,000 lines.
//
//   node test/bench/build-cost.mjs [--quick] [--json FILE]      (also a section of `npm run bench`)
//
// --quick is a smoke test: a ~15,000-line project of the same generator and seed, 3 rounds.
//
// 1. Generates the project (test/bench/gen-project.mjs, seeded) into .tmp/build-cost-*/src.
// 2. tspc (ts-patch 4, TypeScript 6): full builds (type check + emit), one fresh process each,
//    three tsconfigs: no plugin; the plugin with `instrument: "marked"` (the default); the plugin
//    with `instrument: "all"`. Rounds interleave the three, the order rotating; medians of the
//    build process's CPU time (judged: other jobs on this shared 2-CPU machine move wall time by
//    +-30% from one build to the next) and of the wall time. The full run also times plain `tsc`
//    (no ts-patch) for what tspc itself costs.
// 3. ts.transpileModule of every file, in a child process: plain, marked and all interleaved.
// 4. Babel (@babel/core 8, preset-typescript, proposal-decorators, transform-modules-commonjs),
//    in a child process: without the ts-pdb Babel plugin, with it (marked, all). Skipped while
//    dist/transformer/babel/index.js is not built.
//
// Targets (issue #14 §6): with/without <= 1.10 with `instrument: "marked"` (the default) and <= 1.30
// with `instrument: "all"`, for every tool; CPU time, judged on the 95% bootstrap interval over the
// paired rounds (stats.mjs): PASS under, FAIL over, "within noise" across. Exit status 1 on a FAIL
// (standalone).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, scratch } from '../helpers/build.mjs';
import { generateProject } from './gen-project.mjs';
import { FAIL, formatInterval, median, ratioOfMediansInterval, verdict } from './stats.mjs';

/** Target per `instrument` setting: CPU time with / without. */
export const BUILD_TARGETS = { marked: 1.1, all: 1.3 };
const SELF = fileURLToPath(import.meta.url);
const require = createRequire(import.meta.url);
const TSPC = join(ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const TRANSFORMER = join(ROOT, 'dist', 'transformer', 'index.js');
export const BABEL_PLUGIN = join(ROOT, 'dist', 'transformer', 'babel', 'index.js');
/** Preloaded into each build process: writes its CPU time to $TS_PDB_BENCH_CPU_OUT at exit. */
const CPU_PRELOAD = join(ROOT, 'test', 'bench', 'cpu-at-exit.cjs');
const SEED = 20261127;
const MIN_LINES = 52000;
/** --quick (a smoke test): a smaller project of the same generator and seed. */
const QUICK_MIN_LINES = 15000;

const fmt = (x, d = 2) => x.toFixed(d);
/** Round `i`'s order of `variants`: rotated by i, reversed every other round. */
const orderOf = (variants, i) => {
  const rot = variants.map((_, k) => variants[(k + i) % variants.length]);
  return i % 2 ? rot.reverse() : rot;
};

/**
 * The figures of one row from the per-round times of the build without (`a`) and with (`b`):
 * medians, their ratio, and the range of the per-round ratios (round k's builds ran side by side).
 * CPU time is the judged figure (see `printBuildCost`).
 */
function figures(a, b) {
  const ratios = (xs, ys) => ys.map((y, k) => y / xs[k]);
  return {
    baseCpuMs: median(a.cpuMs),
    withCpuMs: median(b.cpuMs),
    ratio: median(b.cpuMs) / median(a.cpuMs),
    perRound: ratios(a.cpuMs, b.cpuMs),
    ci: ratioOfMediansInterval([a.cpuMs.map((x, k) => ({ a: x, b: b.cpuMs[k] }))]),
    baseMs: median(a.ms),
    withMs: median(b.ms),
    wallRatio: median(b.ms) / median(a.ms),
    wallPerRound: ratios(a.ms, b.ms),
    samples: { without: a, with: b },
  };
}

/** A row's target (by its `instrument` setting) and verdict on its CPU interval; info rows have neither. */
const judge = (row) => {
  const target = row.judged ? BUILD_TARGETS[row.variant] : undefined;
  return { ...row, target, verdict: target ? verdict(row.ci, target) : '' };
};

// ------------------------------------------------------------------ the project

const BASE_OPTIONS = {
  target: 'ES2022',
  module: 'node16',
  moduleResolution: 'node16',
  rootDir: 'src',
  types: ['node'],
  strict: true,
  sourceMap: true,
  skipLibCheck: true,
  noUnusedLocals: true,
};

/**
 * tspc variants: tsconfig name, outDir, plugins. The plugin's `transform` is the absolute path
 * of dist/transformer/index.js: ts-patch resolves it with `require.resolve(spec, { paths:
 * [project dir] })`, which does not see the package by self-reference from .tmp/ (a user's
 * `"ts-pdb/transformer"` resolves through node_modules to the same file).
 */
const TSPC_VARIANTS = {
  plain: { plugins: undefined },
  marked: { plugins: [{ transform: TRANSFORMER }] },
  all: { plugins: [{ transform: TRANSFORMER, instrument: 'all' }] },
};

export function makeProject({ minLines = MIN_LINES } = {}) {
  const dir = scratch('build-cost-');
  const info = generateProject(dir, { seed: SEED, minLines });
  for (const [name, v] of Object.entries(TSPC_VARIANTS)) {
    const compilerOptions = { ...BASE_OPTIONS, outDir: 'out-' + name, ...(v.plugins ? { plugins: v.plugins } : {}) };
    writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2) + '\n');
  }
  return { dir, ...info };
}

// ------------------------------------------------------------------ tspc / tsc

function timeBuild(dir, tool, config) {
  const cpuOut = join(dir, `cpu-${process.pid}.json`);
  rmSync(cpuOut, { force: true });
  const env = { ...process.env, TS_PDB_BENCH_CPU_OUT: cpuOut };
  delete env.TS_PDB_BUILD;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', CPU_PRELOAD, tool, '-p', join(dir, config)], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${relative(ROOT, tool)} -p ${config} failed (status ${r.status}):\n${r.stdout}${r.stderr}`);
  const cpu = JSON.parse(readFileSync(cpuOut, 'utf8'));
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Outputs must show the transform at work (or not), or the figures mean nothing. */
function checkTspcOutputs(dir) {
  const count = (out) =>
    readdirSync(join(dir, out))
      .filter((f) => f.endsWith('.js'))
      // One capture call per instrumented function: f (frame), F (boundary), B (boundary that can return/retry).
      .reduce((n, f) => n + (readFileSync(join(dir, out, f), 'utf8').match(/__tsPdb\.[fFB]\(/g) ?? []).length, 0);
  const c = { plain: count('out-plain'), marked: count('out-marked'), all: count('out-all') };
  if (c.plain !== 0 || !(c.marked > 0) || !(c.all > c.marked))
    throw new Error(`tspc outputs: instrumented functions per build ${JSON.stringify(c)}`);
  return c;
}

function tspcRows(project, rounds, withTsc, log) {
  const variants = ['plain', 'marked', 'all', ...(withTsc ? ['tsc'] : [])];
  const t = Object.fromEntries(variants.map((v) => [v, { ms: [], cpuMs: [] }]));
  for (let i = 0; i < rounds; i++) {
    for (const v of orderOf(variants, i)) {
      const r = v === 'tsc' ? timeBuild(project.dir, TSC, 'tsconfig.plain.json') : timeBuild(project.dir, TSPC, `tsconfig.${v}.json`);
      t[v].ms.push(r.ms);
      t[v].cpuMs.push(r.cpuMs);
      log(`  tspc round ${i + 1}/${rounds}: ${v} ${fmt(r.ms / 1000)} s (CPU ${fmt(r.cpuMs / 1000)} s)`);
    }
    if (i === 0) project.instrumented = checkTspcOutputs(project.dir);
  }
  const row = (label, base, v, judged) => judge({ label, tool: 'tspc', base, variant: v, judged, rounds, ...figures(t[base], t[v]) });
  return [
    row('tspc full build (type check + emit), plugin `instrument: "all"`', 'plain', 'all', true),
    row('tspc full build, plugin with default options (`instrument: "marked"`)', 'plain', 'marked', true),
    ...(withTsc ? [row('tspc without plugin vs plain tsc (ts-patch itself; info)', 'tsc', 'plain', false)] : []),
  ];
}

// ------------------------------------------------------------------ in-process rows (child)

/** In a child process: times every file through `tool` per variant, interleaved; prints JSON. */
async function inProcessChild(tool, dir, rounds) {
  const files = readdirSync(join(dir, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(dir, 'src', f));
  const sources = files.map((f) => readFileSync(f, 'utf8'));
  let compile;
  // CPU ms the transform itself took in the current pass (TypeScript only: its transformer is one
  // call per file, where Babel's plugin runs interleaved with the other plugins' visitors).
  let ownCpuMs = 0;
  if (tool === 'ts') {
    const ts = require('typescript');
    const { createTransformer } = require(TRANSFORMER);
    const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, sourceMap: true };
    const timed = (inner) => (context) => {
      const visit = inner(context);
      return (file) => {
        const c0 = process.cpuUsage();
        try {
          return visit(file);
        } finally {
          const c = process.cpuUsage(c0);
          ownCpuMs += (c.user + c.system) / 1000;
        }
      };
    };
    compile = (variant, text, fileName) =>
      ts.transpileModule(text, {
        fileName,
        compilerOptions,
        transformers: variant === 'plain' ? undefined : { before: [timed(createTransformer({ instrument: variant }))] },
      }).outputText;
  } else {
    const babel = await import('@babel/core');
    const presetTs = (await import('@babel/preset-typescript')).default;
    const decorators = (await import('@babel/plugin-proposal-decorators')).default;
    const cjs = (await import('@babel/plugin-transform-modules-commonjs')).default;
    const mod = require(BABEL_PLUGIN);
    const tsPdb = mod.default ?? mod;
    compile = (variant, text, filename) =>
      babel.transformSync(text, {
        filename,
        babelrc: false,
        configFile: false,
        sourceMaps: true,
        presets: [presetTs],
        // ts-pdb first: Babel runs plugins in order, node by node, and decorators must still be there.
        plugins: [...(variant === 'plain' ? [] : [[tsPdb, { instrument: variant }]]), [decorators, { version: '2023-11' }], cjs],
      }).code;
  }
  const variants = ['plain', 'marked', 'all'];
  const pass = (v) => {
    // Each pass starts from a collected heap: it pays for its own garbage, not the previous pass's.
    globalThis.gc();
    let instrumented = 0;
    ownCpuMs = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const outs = [];
    for (let k = 0; k < files.length; k++) outs.push(compile(v, sources[k], files[k]));
    const c = process.cpuUsage(c0);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    for (const o of outs) if (o.includes('ts-pdb/capture')) instrumented++;
    return { ms, cpuMs: (c.user + c.system) / 1000, ownCpuMs, instrumented };
  };
  const t = Object.fromEntries(variants.map((v) => [v, { ms: [], cpuMs: [], ownCpuMs: [] }]));
  const warm = {};
  for (const v of variants) warm[v] = pass(v); // warm-up (JIT, Babel's config cache); not timed
  for (let i = 0; i < rounds; i++) {
    for (const v of orderOf(variants, i)) {
      const r = pass(v);
      t[v].ms.push(r.ms);
      t[v].cpuMs.push(r.cpuMs);
      t[v].ownCpuMs.push(r.ownCpuMs);
    }
  }
  process.stdout.write(
    JSON.stringify({ files: files.length, instrumentedFiles: Object.fromEntries(variants.map((v) => [v, warm[v].instrumented])), t }),
  );
}

function inProcessRows(tool, project, rounds, log) {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', tool, project.dir, String(rounds)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`build-cost child (${tool}) failed:\n${r.stderr}`);
  const res = JSON.parse(r.stdout);
  const f = res.instrumentedFiles;
  if (f.plain !== 0 || !(f.marked > 0) || !(f.all >= f.marked))
    throw new Error(`${tool}: files importing ts-pdb/capture per build ${JSON.stringify(f)}`);
  const t = res.t;
  log(`  ${tool}: ${['plain', 'marked', 'all'].map((v) => `${v} ${t[v].ms.map((x) => fmt(x / 1000)).join('/')} s`).join('; ')}`);
  const name = tool === 'ts' ? 'ts.transpileModule of every file' : 'Babel transformSync of every file';
  const toolName = tool === 'ts' ? 'transpileModule' : 'babel';
  const row = (label, v) => judge({ label, tool: toolName, base: 'plain', variant: v, judged: true, rounds, ...figures(t.plain, t[v]) });
  const rows = [row(`${name}, \`instrument: "all"\``, 'all'), row(`${name}, \`instrument: "marked"\``, 'marked')];
  if (tool === 'ts') {
    // What the larger output costs TypeScript's own emit when the transform itself takes no time:
    // the "all" pass less the transformer's own CPU, round by round. The floor under the "all" row
    // that no speed-up of the transformer can go below (issue #19 §6).
    const rest = { ms: t.all.ms.map((x, k) => x - t.all.ownCpuMs[k]), cpuMs: t.all.cpuMs.map((x, k) => x - t.all.ownCpuMs[k]) };
    rows.push(
      judge({
        label: `${name}, \`instrument: "all"\`, less the transform's own CPU (what its larger output costs the rest of the build)`,
        tool: toolName,
        base: 'plain',
        variant: 'all',
        judged: false,
        rounds,
        ...figures(t.plain, rest),
      }),
    );
  }
  return rows;
}

// ------------------------------------------------------------------ the section

/**
 * Runs the build-cost benchmark; prints progress through `log` and returns the rows.
 * @param {{ quick?: boolean, info?: boolean, log?: (line: string) => void }} opts `info` (default
 *   true): also the informational row (plain tsc against tspc), which `npm run bench` measures on its
 *   first Node line only
 */
export function buildCost({ quick = false, info = true, log = () => {} } = {}) {
  const project = makeProject({ minLines: quick ? QUICK_MIN_LINES : MIN_LINES });
  const tspcRounds = quick ? 3 : 5;
  const inRounds = quick ? 3 : 7;
  const rows = [];
  rows.push(...tspcRows(project, tspcRounds, !quick && info, log));
  rows.push(...inProcessRows('ts', project, inRounds, log));
  const babel = existsSync(BABEL_PLUGIN);
  if (babel) rows.push(...inProcessRows('babel', project, inRounds, log));
  // The sources and tsconfigs stay (to profile a build by hand); the outputs (~10 MB) go.
  for (const v of Object.keys(TSPC_VARIANTS)) rmSync(join(project.dir, 'out-' + v), { recursive: true, force: true });
  return {
    project: {
      dir: project.dir,
      files: project.files.length,
      lines: project.lines,
      modules: project.modules,
      debuggable: project.debuggable,
      attachOnError: project.attachOnError,
      instrumented: project.instrumented,
    },
    tspcRounds,
    inRounds,
    babel,
    rows,
  };
}

/** Prints the section's Markdown; returns the number of judged rows over the target. */
export function printBuildCost(res, print = console.log) {
  const p = res.project;
  print(
    `project: ${relative(ROOT, p.dir)}/src: ${p.files} files, ${p.lines} lines (seed ${SEED}); ${p.debuggable} \`// @debuggable\` functions, ${p.attachOnError} \`@attachOnError()\` methods;` +
      ` functions instrumented by tspc: marked ${p.instrumented.marked}, all ${p.instrumented.all}`,
  );
  print(
    `method: tspc/tsc: one fresh process per build, ${res.tspcRounds} rounds, the variants interleaved (order rotating); in-process rows: a child process per tool, one warm-up pass per variant, then ${res.inRounds} rounds interleaved, a full GC before each pass;` +
      ' medians. Judged: CPU time of the build process (process.cpuUsage: user + system, all its threads), which other jobs on the machine barely move; wall time is shown too.\n',
  );
  print(
    '| build | without (CPU) | with (CPU) | ratio (CPU; judged) [95% interval] | per-round ratios min..max | without (wall) | with (wall) | ratio (wall) | target | result |',
  );
  print('|---|---:|---:|---:|---|---:|---:|---:|---|---|');
  let failed = 0;
  const s = (ms) => fmt(ms / 1000) + ' s';
  const range = (xs) => `${fmt(Math.min(...xs), 3)}..${fmt(Math.max(...xs), 3)}`;
  for (const r of res.rows) {
    if (r.verdict === FAIL) failed++;
    print(
      `| ${r.label} | ${s(r.baseCpuMs)} | ${s(r.withCpuMs)} | ${formatInterval(r.ci)} | ${range(r.perRound)} | ${s(r.baseMs)} | ${s(r.withMs)} | ${fmt(r.wallRatio, 3)} | ${r.target ? '<= ' + r.target : '(info)'} | ${r.verdict} |`,
    );
  }
  if (!res.babel) print(`\n(Babel row skipped: ${relative(ROOT, BABEL_PLUGIN)} not built yet)`);
  return failed;
}

// ------------------------------------------------------------------ standalone

if (process.argv[1] === SELF) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await inProcessChild(args[1], args[2], Number(args[3]));
  } else {
    const quick = args.includes('--quick');
    const jsonAt = args.indexOf('--json');
    console.log(`# ts-pdb build cost${quick ? ' (--quick)' : ''}\n`);
    console.log(`command: node test/bench/build-cost.mjs${args.length ? ' ' + args.join(' ') : ''}`);
    const cpu =
      /^model name\s*:\s*(.*)$/m.exec(
        (() => {
          try {
            return readFileSync('/proc/cpuinfo', 'utf8');
          } catch {
            return '';
          }
        })(),
      )?.[1] ?? 'unknown';
    console.log(
      `machine: ${availableParallelism()} CPUs, ${cpu}; Node ${process.version}; TypeScript ${require('typescript').version}; ${new Date().toISOString()}; load average at start ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    const res = buildCost({ quick, log: (l) => process.stderr.write(l + '\n') });
    console.log('');
    const failed = printBuildCost(res);
    console.log(
      `\nload average at end: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    console.log(failed ? `FAIL: ${failed} target(s) missed` : 'PASS: every target met');
    if (jsonAt >= 0) writeFileSync(args[jsonAt + 1], JSON.stringify(res, null, 2));
    process.exitCode = failed ? 1 : 0;
  }
}
