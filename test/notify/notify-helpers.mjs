// Shared by the IPDB_NOTIFY tests (test/notify/): a command that leaves one file per run with the
// TS_PDB_ environment it was given, and event-driven waits on a folder (fs.watch, never a sleep).
import fs from 'node:fs';
import path from 'node:path';
import { WAIT_MS } from '../helpers/socket.mjs';

/** The program the notify tests run: `run(name)` (marked) throws for a name longer than 3. */
export const APP = `// @debuggable
function run(name: string) {
  const size = name.length;
  if (size > 3) throw new RangeError(\`name \${name} is too long\`);
  return size;
}

console.log(run(process.argv[2] ?? 'abcdef'));
`;

/**
 * An IPDB_NOTIFY command that writes its TS_PDB_ variables to `$NOTIFY_OUT/<its pid>.env`, whole
 * (a temporary name, then mv: a reader never sees half a file). `then`: more shell after it.
 */
export const RECORD = 'env | grep "^TS_PDB_" > "$NOTIFY_OUT/$$.tmp" && mv "$NOTIFY_OUT/$$.tmp" "$NOTIFY_OUT/$$.env"';

/** A folder for the command's files (`NOTIFY_OUT`) in `dir`. */
export function outFolder(dir) {
  const out = path.join(dir, 'notified');
  fs.mkdirSync(out);
  return out;
}

/** Each run's TS_PDB_ variables, as objects, one per `.env` file of `out` (by file name). */
export function runsIn(out) {
  return fs
    .readdirSync(out)
    .filter((n) => n.endsWith('.env'))
    .sort()
    .map((n) => {
      const vars = {};
      for (const line of fs.readFileSync(path.join(out, n), 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) vars[line.slice(0, eq)] = line.slice(eq + 1);
      }
      return vars;
    });
}

/**
 * Resolves when `check(names)` (the file names in `dir`) is true, on the folder's change events;
 * rejects after `waitMs` with the names seen.
 */
export function untilFiles(dir, check, what, waitMs = WAIT_MS) {
  return new Promise((resolve, reject) => {
    let watcher;
    const done = (f) => {
      clearTimeout(timer);
      watcher?.close();
      f();
    };
    const test = () => {
      const names = fs.readdirSync(dir);
      if (check(names)) done(() => resolve(names));
    };
    const timer = setTimeout(
      () => done(() => reject(new Error(`${what}: not within ${waitMs} ms; ${dir} holds: ${fs.readdirSync(dir).join(', ')}`))),
      waitMs,
    );
    watcher = fs.watch(dir, test);
    test();
  });
}

/** Resolves when `out` holds `n` runs' files. */
export const untilRuns = (out, n) =>
  untilFiles(out, (names) => names.filter((x) => x.endsWith('.env')).length >= n, `${n} run(s) of the command`);

/** True while process `pid` exists and is not a zombie (Linux). */
export function running(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
