// The child process of snapshot-time.mjs: runs the instrumented training job (built beforehand with
// the transform) under IPDB_DEBUG=1 IPDB_MODE=dump, twice: the job throws through 10 instrumented
// frames and leaves its boundary, where the real dump mode (front-ends/open-session.ts) writes the
// snapshot before the error goes on; the child catches it. The first dump of the process (cold:
// it loads the opener, the frames and the snapshot modules) and a second error's (warm). Timed from
// the job's throw (it records `globalThis.throwAt` just before) to the catch. Prints the figures as
// JSON on stdout. Touches nothing but the dump folder its environment names (IPDB_DUMP_DIR).
//
//   IPDB_DEBUG=1 IPDB_MODE=dump IPDB_DUMP_DIR=<folder> node snapshot-child.cjs <built job.js>
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

/** The snapshot files of the dump folder. */
function files(dir) {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.tspdb.json.gz'));
  } catch {
    return [];
  }
}

/**
 * One dump: the time from the job's throw to the catch (`ms`), the process's CPU time meanwhile
 * (`cpuMs`: not inflated while other processes hold the CPUs), and what the dump wrote.
 */
function timedDump(job, seed, dir) {
  const before = new Set(files(dir));
  let caught;
  try {
    job.runJob(seed);
  } catch (e) {
    caught = e;
  }
  const ms = performance.now() - globalThis.throwAt.ms;
  const cpu = process.cpuUsage(globalThis.throwAt.cpu);
  if (!caught) throw new Error(`runJob(${seed}) did not throw`);
  const written = files(dir).filter((n) => !before.has(n));
  if (written.length !== 1) throw new Error(`the dump wrote ${written.length} files in ${dir}`);
  const file = join(dir, written[0]);
  // Loaded here, after the first timing: a program that never used zlib pays its load in its first
  // dump, so the cold figure must include it.
  const json = require('node:zlib').gunzipSync(readFileSync(file));
  const snapshot = JSON.parse(json);
  const frames = snapshot.errors[0].frames;
  return {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    file,
    fileBytes: statSync(file).size,
    jsonBytes: json.length,
    values: snapshot.values.length,
    frames: frames.length,
    // Instrumented frames that came with their locals: the figure is only honest when all 10 did.
    framesWithLocals: frames.filter((f) => f.instrumented && f.locals.length > 0).length,
    budget: snapshot.budget,
  };
}

const [jobPath] = process.argv.slice(2);
const dir = process.env.IPDB_DUMP_DIR;
const job = require(jobPath);
const cold = timedDump(job, 1, dir);
const warm = timedDump(job, 2, dir);
process.stdout.write(JSON.stringify({ cold, warm, node: process.version }) + '\n');
