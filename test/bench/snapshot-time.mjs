// Snapshots (issue #11): the time to write one and its size, and `ts-pdb open FILE` to the prompt.
//
// 1. Write: a training job built with the transform (ts.transpileModule + createTransformer({
//    instrument: 'all' }), as the other benchmarks build theirs) throws through 10 instrumented
//    frames with realistic locals (numbers, strings, an array of 400 records, a Map of 300 entries,
//    a class instance, a nested config object), and leaves its boundary (runJob). Each run is a
//    fresh process (snapshot-child.cjs, IPDB_DEBUG=1 IPDB_MODE=dump) where the real dump mode
//    writes the snapshot as the error leaves the boundary; timed from the throw to the child's
//    catch (the dump is synchronous: the error goes on once the file is written). The first
//    write of the process (cold: it loads the opener and the snapshot modules and what they use)
//    and a second error's (warm) are reported separately; the target (<= 20 ms median) is judged on the cold one,
//    what a process that fails once pays. Size: the JSON before gzip, and the file.
// 2. Open: the built bin (dist/runtime/cli/cli.js) runs `ts-pdb open FILE` on a snapshot written in 1,
//    in a real pseudo-terminal (node-pty, test/helpers/pty.mjs); timed from the spawn to the
//    session's prompt on the terminal (target <= 300 ms median); then `q`.
//
//   node test/bench/snapshot-time.mjs [--quick]     (also a section of `npm run bench`; needs `npm run build`)
//
// The child processes and the bin run under the Node that runs this file (process.execPath): run it
// with another node binary to measure that Node line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, scratch, writeBuild } from '../helpers/build.mjs';
import { spawnNode } from '../helpers/pty.mjs';
import { FAIL, formatInterval, medianInterval, verdict } from './stats.mjs';

/** Median time to write a snapshot of 10 frames in a fresh process, ms. */
export const SNAPSHOT_WRITE_TARGET_MS = 20;
/** Median time from spawning `ts-pdb open FILE` to its prompt, ms. */
export const OPEN_TARGET_MS = 300;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CHILD = path.join(HERE, 'snapshot-child.cjs');
const CLI = path.join(ROOT, 'dist', 'runtime', 'cli', 'cli.js');
/** The prompt of a session: a snapshot's is `(rank-N-pdb) `; pdb's and a live rank 0's too. */
const PROMPT = /(\(Pdb\) |\(rank-\d+-pdb\) |ipdb> )$/;

/** The training job (TypeScript): a data path failing ten calls down on a word its vocabulary lacks. */
export const JOB_SOURCE = `export interface Config {
  model: { name: string; layers: number; hidden: number; dropout: number; maxLen: number };
  optim: { lr: number; betas: [number, number]; schedule: { warmup: number; decay: string } };
  data: { path: string; shuffle: boolean; batchSize: number; splits: { train: number; valid: number } };
  tags: string[];
}

export interface Example {
  id: number;
  text: string;
  label: 'pos' | 'neg';
  weight: number;
}

const WORDS = Array.from({ length: 300 }, (_, i) => 'w' + i.toString(36).padStart(3, '0'));

export class Tokenizer {
  readonly vocab = new Map<string, number>();
  readonly lowercase = true;
  truncated = 0;
  constructor(readonly name: string, words: string[]) {
    words.forEach((w, i) => this.vocab.set(w, i));
  }
  idOf(word: string, position: number): number {
    const key = this.lowercase ? word.toLowerCase() : word;
    const id = this.vocab.get(key);
    return checkId(id, key, position, this.vocab.size);
  }
}

function checkId(id: number | undefined, word: string, position: number, vocabSize: number): number {
  const limit = vocabSize - 1;
  if (id === undefined || id > limit) {
    // The benchmark's clock: the dump's time runs from here to the child's catch.
    (globalThis as { throwAt?: { ms: number; cpu: NodeJS.CpuUsage } }).throwAt = { ms: performance.now(), cpu: process.cpuUsage() };
    throw new RangeError(\`no id for "\${word}" at position \${position} (vocabulary of \${vocabSize})\`);
  }
  return id;
}

function wordIds(words: string[], tokenizer: Tokenizer): number[] {
  const ids: number[] = [];
  for (let position = 0; position < words.length; position++) ids.push(tokenizer.idOf(words[position], position));
  return ids;
}

function tokenize(text: string, tokenizer: Tokenizer, maxLen: number): number[] {
  const all = text.split(' ');
  const words = all.slice(0, maxLen);
  if (words.length < all.length) tokenizer.truncated++;
  return wordIds(words, tokenizer);
}

function encodeExample(example: Example, tokenizer: Tokenizer, maxLen: number): { ids: number[]; label: number } {
  const label = example.label === 'pos' ? 1 : 0;
  const ids = tokenize(example.text, tokenizer, maxLen);
  return { ids, label };
}

function encodeBatch(batch: Example[], tokenizer: Tokenizer, maxLen: number) {
  const encoded = [];
  let longest = 0;
  for (const example of batch) {
    const e = encodeExample(example, tokenizer, maxLen);
    longest = Math.max(longest, e.ids.length);
    encoded.push(e);
  }
  return { encoded, longest };
}

function trainStep(step: number, batch: Example[], config: Config, tokenizer: Tokenizer): number {
  const lr = step < config.optim.schedule.warmup ? (config.optim.lr * (step + 1)) / config.optim.schedule.warmup : config.optim.lr;
  const inputs = encodeBatch(batch, tokenizer, config.model.maxLen);
  const loss = inputs.encoded.reduce((s, e) => s + e.ids.length * lr, 0) / batch.length;
  return loss;
}

function trainEpoch(epoch: number, dataset: Example[], config: Config, tokenizer: Tokenizer): number {
  const batchSize = config.data.batchSize;
  let total = 0;
  for (let step = 0; step * batchSize < dataset.length; step++) {
    const batch = dataset.slice(step * batchSize, (step + 1) * batchSize);
    total += trainStep(step, batch, config, tokenizer);
  }
  return total;
}

function trainEpochs(dataset: Example[], config: Config, tokenizer: Tokenizer): number[] {
  const epochs = 3;
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) losses.push(trainEpoch(epoch, dataset, config, tokenizer));
  return losses;
}

function makeDataset(size: number, seed: number): Example[] {
  const examples: Example[] = [];
  for (let id = 0; id < size; id++) {
    const words = Array.from({ length: 8 + (id % 5) }, (_, k) => WORDS[(id * 7 + k * 13 + seed) % WORDS.length]);
    examples.push({ id, text: words.join(' '), label: id % 3 ? 'pos' : 'neg', weight: 1 + (id % 4) / 4 });
  }
  // One example holds a word the vocabulary lacks: the job fails on it, in its first epoch.
  examples[337].text += ' W0ZZ';
  return examples;
}

// @debuggable
export function runJob(seed: number): { jobName: string; losses: number[]; seconds: number } {
  const jobName = \`sentiment-\${seed}\`;
  const startedAt = Date.now();
  const config: Config = {
    model: { name: 'bilstm', layers: 2, hidden: 256, dropout: 0.1, maxLen: 64 },
    optim: { lr: 3e-4, betas: [0.9, 0.999], schedule: { warmup: 10, decay: 'cosine' } },
    data: { path: '/data/reviews.jsonl', shuffle: false, batchSize: 32, splits: { train: 0.9, valid: 0.1 } },
    tags: ['bench', 'snapshot', jobName],
  };
  const tokenizer = new Tokenizer('words-300', WORDS);
  const dataset = makeDataset(400, seed);
  const losses = trainEpochs(dataset, config, tokenizer);
  return { jobName, losses, seconds: (Date.now() - startedAt) / 1000 };
}
`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => [Math.min(...xs), Math.max(...xs)];
const fmt = (x, d = 1) => x.toFixed(d);

/** One fresh process that writes two snapshots (cold, warm) into `dumps`; its figures. */
function writeOnce(dir, js, dumps) {
  const env = { ...process.env, IPDB_DEBUG: '1', IPDB_MODE: 'dump', IPDB_DUMP_DIR: dumps };
  for (const k of ['IPDB_REDACT', 'IPDB_IGNORE', 'IPDB_DUMP', 'IPDB_DUMP_MAX', 'IPDB_DUMP_MAX_MB', 'CI', 'RANK', 'WORLD_SIZE'])
    delete env[k];
  const r = spawnSync(process.execPath, [CHILD, js], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`snapshot child failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const out = JSON.parse(r.stdout);
  for (const w of [out.cold, out.warm]) {
    if (w.framesWithLocals !== 10)
      throw new Error(`the snapshot has ${w.framesWithLocals} instrumented frames with locals, not 10: ${w.file}`);
  }
  return out;
}

/** `ts-pdb open FILE` in a PTY: ms from spawn to the prompt; `check` also reads a local and the failing line. */
async function openOnce(file, home, check) {
  const t0 = performance.now();
  // A home of its own: the terminal's turn lock is not shared with other sessions on the machine.
  const p = spawnNode([CLI, 'open', file], {
    env: { NO_COLOR: '1', TS_PDB_HISTORY: '', TS_PDB_HOME: home, IPDB_MODE: undefined, CI: undefined, IPDB_CONTEXT_SIZE: undefined },
  });
  try {
    await p.waitFor(PROMPT, 30_000);
    const ms = performance.now() - t0;
    if (check) {
      if (!/RangeError: no id for "w0zz" at position 10 \(vocabulary of 300\)/.test(p.text))
        throw new Error(`the session did not show the error; seen:\n${p.text}`);
      p.type('p [word, position, vocabSize]');
      const start = p.mark;
      await p.waitFor(PROMPT);
      if (!/\[ 'w0zz', 10, 300 \]\n/.test(p.text.slice(start, p.mark)))
        throw new Error(`the session did not read the locals; seen:\n${p.text}`);
    }
    p.type('q');
    const exit = await p.wait(30_000);
    if (exit.exitCode !== 0) throw new Error(`ts-pdb open exited with ${exit.exitCode}; seen:\n${p.text}`);
    return ms;
  } finally {
    p.kill();
  }
}

/**
 * `writeRuns` fresh processes writing snapshots, then `openRuns` opens of the first one's cold
 * snapshot; every run's figures and the medians.
 * @param {{ writeRuns?: number, openRuns?: number, log?: (line: string) => void }} [opts] default 15 and 11.
 */
export async function snapshotTime({ writeRuns = 15, openRuns = 11, log = () => {} } = {}) {
  const dir = scratch('snapshot-time-');
  const js = writeBuild(dir, 'job', JOB_SOURCE, { transform: { instrument: 'all' } });
  const loadStart = loadavg()[0];
  const writes = [];
  const opens = [];
  try {
    log(`  snapshots: ${writeRuns} processes writing...`);
    for (let i = 0; i < writeRuns; i++) writes.push(writeOnce(dir, js, path.join(dir, `dumps-${i}`)));
    const file = writes[0].cold.file;
    log(`  snapshots: ts-pdb open x ${openRuns}...`);
    for (let i = 0; i < openRuns; i++) opens.push(await openOnce(file, path.join(dir, 'home'), i === 0));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const cold = writes.map((w) => w.cold.ms);
  const warm = writes.map((w) => w.warm.ms);
  const first = writes[0].cold;
  return {
    node: process.version,
    load: [loadStart, loadavg()[0]],
    writeRuns: cold.length,
    coldMs: cold,
    coldMedianMs: median(cold),
    coldCpuMs: writes.map((w) => w.cold.cpuMs),
    coldCpuMedianMs: median(writes.map((w) => w.cold.cpuMs)),
    warmCpuMedianMs: median(writes.map((w) => w.warm.cpuMs)),
    warmMs: warm,
    warmMedianMs: median(warm),
    jsonBytes: first.jsonBytes,
    fileBytes: first.fileBytes,
    values: first.values,
    frames: first.frames,
    openMs: opens,
    openMedianMs: median(opens),
  };
}

/** Prints the section's table (Markdown); returns the number of targets missed. */
export function printSnapshotTime(r) {
  // Judged on the 95% bootstrap interval of each median (stats.mjs), as every row of npm run bench.
  const writeVerdict = verdict(medianInterval(r.coldMs), SNAPSHOT_WRITE_TARGET_MS);
  const openVerdict = verdict(medianInterval(r.openMs), OPEN_TARGET_MS);
  const rows = [
    ['write a snapshot of 10 frames, first in a fresh process (cold: loads the snapshot modules)', r.coldMs, r.coldMedianMs],
    ['the same, CPU time of the process (cold)', r.coldCpuMs, r.coldCpuMedianMs],
    ['write a snapshot of 10 frames, second in the same process (warm)', r.warmMs, r.warmMedianMs],
    ['`ts-pdb open FILE` in a real PTY, spawn to the prompt', r.openMs, r.openMedianMs],
  ];
  const judged = [
    `<= ${SNAPSHOT_WRITE_TARGET_MS} ms | ${writeVerdict}`,
    '(info) |',
    '(info) |',
    `<= ${OPEN_TARGET_MS} ms | ${openVerdict}`,
  ];
  console.log(`\n## Snapshots: writing one of 10 frames, and \`ts-pdb open\` to the prompt (Node ${r.node})\n`);
  console.log('| figure | median [95% interval] | runs | range | target | result |');
  console.log('|---|---:|---|---|---|---|');
  rows.forEach(([label, xs], i) => {
    const [lo, hi] = range(xs);
    console.log(
      `| ${label} | ${formatInterval(medianInterval(xs), 1, ' ms')} | ${xs.map((x) => fmt(x)).join(', ')} | ${fmt(lo)}-${fmt(hi)} ms | ${judged[i]} |`,
    );
  });
  const bytes = (n) => n.toLocaleString('en');
  console.log(
    `\nSize of the snapshot: ${bytes(r.jsonBytes)} bytes of JSON before gzip, a file of ${bytes(r.fileBytes)} bytes` +
      ` (${r.frames} frames, ${r.values} objects in the value graph).` +
      ` Load average (1 min) ${fmt(r.load[0], 2)} at the start, ${fmt(r.load[1], 2)} at the end.`,
  );
  console.log(
    '(write: a fresh process per run, IPDB_DEBUG=1 IPDB_MODE=dump, the instrumented job of snapshot-time.mjs throwing through 10 frames;' +
      ' timed from the throw to the catch, the dump mode writing the file in between.' +
      " open: the built bin in node-pty, from the spawn to the prompt on the terminal, over the first run's snapshot.)",
  );
  return (writeVerdict === FAIL ? 1 : 0) + (openVerdict === FAIL ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const r = await snapshotTime({ writeRuns: quick ? 5 : 15, openRuns: quick ? 5 : 11, log: (l) => process.stderr.write(l + '\n') });
  process.exitCode = printSnapshotTime(r) ? 1 : 0;
}
