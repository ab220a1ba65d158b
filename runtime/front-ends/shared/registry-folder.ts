/**
 * Where the registry of waiting sessions lives (docs/hosts-design.md, "The shared registry"): this
 * user's private folder (`<TS_PDB_HOME or $TMPDIR/ts-pdb-<uid>>/sessions`, the default), and, with
 * `IPDB_REGISTRY=DIR`, a folder every host of a job reads and writes. Only the checks of the
 * folders: the entries are registry.ts's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { registrySetting } from '../../config';

/**
 * The user's private folder of ts-pdb (mode 0700), created when missing: `$TS_PDB_HOME`, else
 * `$TMPDIR/ts-pdb-<uid>`.
 * @throws when it exists but is not a private folder of this user (never trust someone else's).
 */
export function privateDir(): string {
  const uid = process.getuid?.() ?? 'user';
  const dir = process.env.TS_PDB_HOME || path.join(os.tmpdir(), `ts-pdb-${uid}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || (process.getuid && st.uid !== process.getuid()) || (st.mode & 0o077) !== 0) {
    throw new Error(`${dir} is not a private folder of this user`);
  }
  return dir;
}

/** The private registry: `<privateDir>/sessions`, made 0700. @throws as {@link privateDir}. */
export function privateSessionsDir(): string {
  const dir = path.join(privateDir(), 'sessions');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The folders of the registry, as this process sees them. */
export interface RegistryFolders {
  /** Where this process registers its sessions: the shared folder when set and accepted, else the private one; undefined: none usable. */
  write: string | undefined;
  /** Every folder `ts-pdb ls` reads: the shared one (when accepted) first, then this host's private one. */
  read: string[];
  /** `IPDB_REGISTRY` as given, when set. */
  shared?: string;
  /** Why `IPDB_REGISTRY` was refused (one line, no newline), when it was. */
  refused?: string;
}

/**
 * The registry's folders for `env` (default: this process's). `IPDB_REGISTRY` is made 0700 when
 * missing (its parents too); a folder that is not a folder, not this user's, or that its group or
 * others may write is refused (`refused` says why) and the private registry is used instead. It is
 * read where the folder is (a symbolic link to a folder is followed: a shared volume is often
 * mounted elsewhere). Never throws.
 */
export function registryFolders(env: NodeJS.ProcessEnv = process.env): RegistryFolders {
  let own: string | undefined;
  try {
    own = privateSessionsDir();
  } catch {
    // No private folder (a read-only temporary folder, someone else's): the box on stderr still says how to connect.
  }
  const given = registrySetting(env);
  if (given === undefined) return { write: own, read: own ? [own] : [] };
  const why = checkShared(path.resolve(given));
  if (why) return { write: own, read: own ? [own] : [], shared: given, refused: `IPDB_REGISTRY=${given} is refused: ${why}` };
  const shared = path.resolve(given);
  const read = own && !sameFolder(own, shared) ? [shared, own] : [shared];
  return { write: shared, read, shared: given };
}

/** Why the shared folder `dir` may not hold this user's entries (made when missing), or undefined when it may. */
function checkShared(dir: string): string | undefined {
  const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return `it cannot be read (${code(e)})`;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = fs.statSync(dir);
    } catch (e2) {
      return `it cannot be made (${code(e2)})`;
    }
  }
  if (!st.isDirectory()) return 'it is not a folder';
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `it belongs to another user (uid ${st.uid}); make a folder of your own, mode 0700`;
  // Entries hold tokens (files 0600) and a writer could plant an entry that sends attach elsewhere.
  if ((st.mode & 0o022) !== 0)
    return `its group or others may write in it (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); chmod 700 it`;
  return undefined;
}

/** True when `a` and `b` are the same folder (one may be a link to the other). */
function sameFolder(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return a === b;
  }
}
