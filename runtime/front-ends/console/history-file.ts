/**
 * The console's command history across runs (`~/.ts_pdb_history`, like ipdb's and the Node REPL's).
 *
 * One entry per line, oldest first, bounded. History is a convenience: a file that cannot be read
 * or written (read-only home, no home, a directory in the way) is silently ignored.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Most entries kept; default of the console channel's `historySize`. */
export const DEFAULT_HISTORY_SIZE = 1000;

/**
 * Longest entry kept, in characters: the session's longest line (engine/commands/session-loop.ts `MAX_LINE`, not
 * imported: this runs in the terminal worker). A longer line was refused; kept, one pasted megabyte
 * would be rewritten to the file at every command and loaded by every session after (issue #7 fuzz
 * test, console-fuzz.test.mjs).
 */
export const MAX_ENTRY = 100_000;

/**
 * The history file: `TS_PDB_HISTORY` when set (an empty value keeps history in memory only, like
 * the Node REPL's `NODE_REPL_HISTORY`), else `~/.ts_pdb_history`; undefined when there is no home.
 */
export function defaultHistoryFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.TS_PDB_HISTORY;
  if (chosen !== undefined) return chosen.trim() === '' ? undefined : chosen;
  try {
    const home = os.homedir();
    return home ? path.join(home, '.ts_pdb_history') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the history, newest first (the order `readline` wants), without entries over {@link MAX_ENTRY}.
 * @returns at most `size` entries; an empty list when the file is missing or unreadable.
 */
export function loadHistory(file: string | undefined, size = DEFAULT_HISTORY_SIZE): string[] {
  if (!file) return [];
  try {
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && l.length <= MAX_ENTRY);
    return lines.slice(-size).reverse();
  } catch {
    return [];
  }
}

/**
 * Writes the history (given newest first, as `readline` keeps it), keeping the last `size` entries
 * of at most {@link MAX_ENTRY} characters.
 * Written to a temporary file and renamed, so a crash never leaves half a file; mode 0600 because
 * debugger commands can contain secrets. Never throws.
 */
export function saveHistory(file: string | undefined, newestFirst: readonly string[], size = DEFAULT_HISTORY_SIZE): void {
  if (!file) return;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const text = newestFirst
      .filter((l) => !l.includes('\n') && l.length <= MAX_ENTRY)
      .slice(0, size)
      .reverse()
      .join('\n');
    fs.writeFileSync(tmp, text ? `${text}\n` : '', { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing was written */
    }
  }
}
