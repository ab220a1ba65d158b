/**
 * Writes a snapshot to its folder: gzip-compressed JSON, the folder 0700 and the file 0600 (locals
 * can hold secrets), written under a temporary name and then linked to its own, so that a reader (or a rank
 * killed while writing) never leaves half a file under the final name. Named so that a job's ranks
 * sort together: job id, rank, host, pid, time. The limits of the folder (`IPDB_DUMP_DIR_MAX_MB`)
 * are checked here; nothing already in the folder is ever deleted. A folder someone else can write
 * in (another user's, or everyone's without the sticky bit) gets no snapshot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SNAPSHOT_EXTENSION, type SnapshotFile } from './snapshot-format';
import { snapshotName } from './snapshot-name';
import { snapshotJson } from './snapshot-json';

/** The folder when `IPDB_DUMP_DIR` is unset: `ts-pdb-dumps/` in the working directory. */
export const DEFAULT_DUMP_DIR = 'ts-pdb-dumps';

/**
 * The gzip level of a snapshot. Default 3: the program is stopped while the file is written, and
 * zlib's fast levels (1 to 3) take a third of the time of its default (6) on a snapshot's JSON;
 * 3 keeps the file within about 10% of 6's size (1: 25% bigger). Any level reads the same.
 */
export const GZIP_LEVEL = 3;

/** The outcome of a write: the file's path, or why nothing was written (one line). */
export type WriteResult = { ok: true; path: string; bytes: number } | { ok: false; error: string };

/**
 * Writes `snapshot` into `dir` (made 0700, with the folders missing above it) as a 0600 file. Refuses, with a
 * one-line reason, a folder someone else can write in ({@link untrusted}) and one that already
 * holds `dirMaxBytes` of snapshots or more. Never throws.
 * @param dirMaxBytes the folder limit (`IPDB_DUMP_DIR_MAX_MB`); default 200 MB.
 */
export function writeSnapshot(snapshot: SnapshotFile, dir: string, dirMaxBytes = 200 * 1024 * 1024): WriteResult {
  try {
    makeFolder(dir);
    const refused = untrusted(dir);
    if (refused) return { ok: false, error: `no snapshot written in ${dir}: ${refused}; set IPDB_DUMP_DIR to a folder of your own` };
    const used = snapshotBytesIn(dir);
    if (used >= dirMaxBytes) {
      return {
        ok: false,
        error: `${dir} holds ${mb(used)} MB of snapshots, the limit is ${mb(dirMaxBytes)} MB (IPDB_DUMP_DIR_MAX_MB): no snapshot written`,
      };
    }
    // zlib is loaded here, not with this file: a console or web session that ends normally never writes.
    const { gzipSync } = require('node:zlib') as typeof import('node:zlib');
    const data = gzipSync(snapshotJson(snapshot), { level: GZIP_LEVEL });
    const name = snapshotName(snapshot);
    const tmp = path.join(dir, `${name}.${process.pid}.partial`);
    // `wx`: never follows or reuses a file someone put there (and so never removes one either).
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      try {
        writeAll(fd, data);
      } finally {
        fs.closeSync(fd);
      }
      return { ok: true, path: linkUnique(tmp, path.join(dir, name)), bytes: data.length };
    } finally {
      // Linked, or failed half-way (a full disk): either way the temporary name goes.
      fs.rmSync(tmp, { force: true });
    }
  } catch (e) {
    return { ok: false, error: `no snapshot written in ${dir}: ${(e as Error)?.message ?? String(e)}` };
  }
}

/**
 * Writes all of `data`: `fs.writeSync` may write part of it and return (a disk that fills up, a
 * file size limit), and a snapshot cut short must not be named as written.
 */
function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length;) {
    const n = fs.writeSync(fd, data, done, data.length - done);
    if (n <= 0) throw new Error(`the file took ${done} of ${data.length} bytes`);
    done += n;
  }
}

/**
 * Makes `dir` and the folders missing above it, 0700. Not `mkdirSync({ recursive: true })`: where
 * mkdir answers ENOENT under a folder that exists (any path in /proc), Node's recursive walk loops
 * for ever, and the stopped program with it. Another rank making the same folder is no error.
 */
function makeFolder(dir: string, depth = 0): void {
  try {
    mkdirOne(dir);
  } catch (e) {
    const parent = path.dirname(dir);
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir || depth >= 64) throw e;
    makeFolder(parent, depth + 1);
    mkdirOne(dir); // once more, now that its parent is there: a second ENOENT is the answer
  }
}

/** Makes one folder, 0700; one that is already there is fine (what it is, the caller checks). */
function mkdirOne(dir: string): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/**
 * Why snapshots must not go to `dir`, or undefined when they may: it is not a folder, another user
 * (but root) owns it, or every user may write in it and it has no sticky bit. The last two let
 * someone else remove a snapshot, or replace it with a forged one that is then opened as the
 * program's. A symbolic link is followed (a folder moved to a bigger disk is fine): what counts is
 * the folder it leads to. A folder of the user's that others may read, or that a group may write
 * in (a team's), is used: the files are 0600.
 */
function untrusted(dir: string): string | undefined {
  const st = fs.statSync(dir);
  if (!st.isDirectory()) return 'it is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== 0)
    return `it belongs to another user (uid ${st.uid}), who could remove or replace the snapshots in it`;
  // Windows has no such bits (every folder's mode says 0666): its folders are not judged by them.
  if (process.platform !== 'win32' && (st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0)
    return `every user may write in it (mode ${(st.mode & 0o777).toString(8)}), so anyone could remove or replace the snapshots in it`;
  return undefined;
}

/**
 * Gives the written file its final name: a hard link, which (unlike a rename) never replaces a
 * file already there; two stops in the same millisecond get `-1`, `-2`, ... before the extension.
 */
function linkUnique(tmp: string, file: string): string {
  const stem = file.slice(0, -SNAPSHOT_EXTENSION.length);
  for (let i = 0; ; i++) {
    const target = i === 0 ? file : `${stem}-${i}${SNAPSHOT_EXTENSION}`;
    try {
      fs.linkSync(tmp, target);
      return target;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // A file system without hard links: a rename, to a name nobody has taken.
      if (code !== 'EEXIST' && !fs.existsSync(target)) {
        fs.renameSync(tmp, target);
        return target;
      }
      if (code !== 'EEXIST' || i >= 99) throw e;
    }
  }
}

/** Bytes of the snapshot files in `dir` (0 when it cannot be read). */
export function snapshotBytesIn(dir: string): number {
  let total = 0;
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith(SNAPSHOT_EXTENSION)) continue;
      try {
        total += fs.statSync(path.join(dir, name)).size;
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return 0;
  }
  return total;
}

/** Removes a snapshot this process wrote (a session its client ended normally). Never throws. */
export function removeSnapshot(file: string): boolean {
  try {
    fs.unlinkSync(file);
    return true;
  } catch {
    return false;
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
