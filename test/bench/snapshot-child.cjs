// The child process of snapshot-time.mjs: runs the instrumented training job (built beforehand with
// the transform), which throws through 10 instrumented frames, and at the throw writes a snapshot
// with the runtime's own functions (dist/runtime/snapshot/take-snapshot.js and write-snapshot.js),
// twice: the first write of the process (cold: it loads the snapshot modules) and a second error's
// (warm). Prints the figures as JSON on stdout. Runs with IPDB_DEBUG=1 (the capture records
// nothing otherwise). Touches nothing but the folder it is given.
//
//   node snapshot-child.cjs <built job.js> <dump folder>
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const dist = (p) => require(join(ROOT, 'dist', 'runtime', p));

/** The runtime's modules a dump uses (loaded on the first call: what a process that fails once pays). */
function dumpModules() {
  return {
    ...dist('capture.js'),
    ...dist('engine/live-source.js'),
    ...dist('snapshot/take-snapshot.js'),
    ...dist('snapshot/write-snapshot.js'),
    ...dist('snapshot/redaction.js'),
    ...dist('rank.js'),
  };
}

/**
 * What `IPDB_MODE=dump` is to do where the error leaves the program's boundary (to be wired into
 * front-ends/open-session.ts): take the snapshot of the live capture and write it, with the
 * defaults (IPDB_REDACT, IPDB_DUMP_MAX_MB 5, the rank from the environment). Kept to these calls
 * so that the benchmark can switch to the real dump mode once it exists.
 */
function dump(thrown, dir) {
  const { captureOf, LiveFrameSource, takeSnapshot, writeSnapshot, redactionOf, detectRank } = dumpModules();
  const redaction = redactionOf(process.env.IPDB_REDACT);
  if (!redaction.ok) throw new Error(redaction.error);
  const rank = detectRank();
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const facts = { rank: rank.rank, worldSize: rank.worldSize, tsPdb: version };
  const snapshot = takeSnapshot(new LiveFrameSource(thrown, captureOf(thrown, false)), facts, redaction.redaction, {
    maxBytes: 5 * 1024 * 1024,
  });
  return { snapshot, written: writeSnapshot(snapshot, dir) };
}

/** Runs the job with `seed` until it throws; the thrown error. */
function thrownBy(job, seed) {
  try {
    job.runJob(seed);
  } catch (e) {
    return e;
  }
  throw new Error(`runJob(${seed}) did not throw`);
}

/**
 * One write: its time from the caught error to the file written (`ms`), of which `loadMs` loading
 * the modules (0 once loaded), the CPU time of the process meanwhile (`cpuMs`: not inflated while
 * other processes hold the CPUs), and what it wrote.
 */
function timedDump(job, seed, dir) {
  const err = thrownBy(job, seed);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  dumpModules();
  const loadMs = performance.now() - t0;
  const { snapshot, written } = dump(err, dir);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (!written.ok) throw new Error(written.error);
  const frames = snapshot.errors[0].frames;
  return {
    ms,
    loadMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    file: written.path,
    fileBytes: written.bytes,
    jsonBytes: Buffer.byteLength(JSON.stringify(snapshot)),
    values: snapshot.values.length,
    frames: frames.length,
    // Instrumented frames that came with their locals: the figure is only honest when all 10 did.
    framesWithLocals: frames.filter((f) => f.instrumented && f.locals.length > 0).length,
    budget: snapshot.budget,
  };
}

const [jobPath, dir] = process.argv.slice(2);
const job = require(jobPath);
const cold = timedDump(job, 1, dir);
const warm = timedDump(job, 2, dir);
process.stdout.write(JSON.stringify({ cold, warm, node: process.version }) + '\n');
