// How long from the throw until the web page is served (issue #5): a program built with the
// transform (tsc + ts-pdb's transformer, not the load-time compiler, so that loading is not
// measured) notes the time just before it throws; the URL is read from the box on stderr and
// the page is fetched at once. Prints each run and the median. `serveTime(runs)` is also a row of
// `npm run bench` (test/bench/session-time.mjs).
//
//   npm run build && node test/web/serve-time.mjs [runs=7]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, writeBuild } from '../helpers/build.mjs';

const PROGRAM = `import { writeSync } from 'node:fs';
// @debuggable
function fail(n: number) {
  const data = { n, list: [1, 2, 3] };
  writeSync(1, 'THROW ' + (performance.timeOrigin + performance.now()) + '\\n');
  throw new Error('boom ' + data.n);
}
fail(1);
`;

/** One run: ms from the throw to the box, and to the page's last byte. */
function once(dir, js) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [js], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        IPDB_DEBUG: '1',
        IPDB_MODE: 'web',
        IPDB_WEB_PORT: '0',
        IPDB_TIMEOUT: '5',
        TS_PDB_HOME: path.join(dir, 'home'),
      },
    });
    let out = '';
    let err = '';
    let done = false;
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      const m = /open in a browser: {2}(\S+)/.exec(err);
      if (!m || done) return;
      done = true;
      const boxAt = performance.timeOrigin + performance.now();
      http
        .get(m[1], (res) => {
          res.resume();
          res.on('end', () => {
            const servedAt = performance.timeOrigin + performance.now();
            const thrownAt = Number(/THROW ([\d.]+)/.exec(out)?.[1]);
            child.kill();
            resolve({ box: boxAt - thrownAt, served: servedAt - thrownAt, status: res.statusCode });
          });
        })
        .on('error', reject);
    });
    child.on('close', () => {
      if (!done) reject(new Error(`no URL; stderr:\n${err}`));
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `runs` runs, one after the other; resolves with each run's `{ box, served, status }` (ms from
 * the throw) and the medians. `onRun(result, i)` is called after each.
 */
export async function serveTime(runs = 7, onRun = () => {}) {
  const dir = scratch('web-time-');
  const js = writeBuild(dir, 'app', PROGRAM);
  const results = [];
  try {
    for (let i = 0; i < runs; i++) {
      const r = await once(dir, js);
      results.push(r);
      onRun(r, i);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { runs: results, boxMs: median(results.map((r) => r.box)), servedMs: median(results.map((r) => r.served)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 7);
  const res = await serveTime(runs, (r, i) =>
    console.log(`run ${i + 1}: box after ${r.box.toFixed(1)} ms, page served (HTTP ${r.status}) after ${r.served.toFixed(1)} ms`),
  );
  console.log(`median over ${runs} runs: box ${res.boxMs.toFixed(1)} ms, page served ${res.servedMs.toFixed(1)} ms`);
}
