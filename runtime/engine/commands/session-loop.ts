/**
 * The read–dispatch loop of a session (pdb's `cmdloop`): banner, prompt, `;;` between commands, an
 * empty line repeats the last command, displays re-checked before each prompt, and `c`, `q` or end
 * of input end it. Nothing a user types, and no fault of a command, ends the session otherwise.
 */
import jsTokens = require('js-tokens');
import { makeContext, type CommandTable } from './command';
import { bannerText } from './banner';
import type { Channel } from '../channel';
import { describeFault } from '../../render/format';
import type { Session } from '../session';

/** How a session ended: `c`, `q`, or end of input (treated as `q`). */
export type SessionEnd = 'continue' | 'quit' | 'eof';

/** Options of {@link runSession}. */
export interface RunOptions {
  /** The prompt; default `ipdb> ` (see {@link promptFor} for ranks). */
  prompt?: string;
  /** Print {@link bannerText} first; default true. */
  banner?: boolean;
  /** The banner, rendered already for this channel's colours (the console renders it while its thread boots); default rendered here. */
  bannerText?: string;
  /** The command table; default the full table. */
  table?: CommandTable;
}

/** The command table and dispatch (index.ts), with every command: loaded on first use. */
function commands(): typeof import('./index') {
  return require('./index') as typeof import('./index');
}

/**
 * The full table, loaded with the commands on first use (the first line, or a Tab): the banner
 * and the first prompt need none of them, and they are most of the engine's code.
 */
const DEFAULT_TABLE: CommandTable = {
  get commands() {
    return commands().TABLE.commands;
  },
  find: (word) => commands().TABLE.find(word),
  get names() {
    return commands().TABLE.names;
  },
};

/** Longest line accepted (a pasted file or binary garbage gets a message, not a compile of megabytes). */
export const MAX_LINE = 100_000;

/**
 * The prompt for a rank: `ipdb> ` for rank 0 of a single process and for any Vitest worker (a test, not
 * a rank of a job), `(rank-N-pdb) ` otherwise.
 */
export function promptFor(rank: { rank: number; source?: string; worldSize?: number } | undefined): string {
  // A process on its own (no launcher) prompts as ipdb does; so does a snapshot of one (rank 0, no job size).
  const alone = rank?.source === undefined || rank.source === 'single' || (rank.source === 'snapshot' && rank.worldSize === undefined);
  if (!rank || (rank.rank === 0 && alone) || rank.source === 'vitest') return 'ipdb> ';
  return `(rank-${rank.rank}-pdb) `;
}

/** Runs `session` on `channel` until it ends. Never throws; does not close the channel (its owner does). */
export function runSession(session: Session, channel: Channel, options: RunOptions = {}): SessionEnd {
  const table = options.table ?? DEFAULT_TABLE;
  const ctx = makeContext(session, channel, table);
  const prompt = options.prompt ?? 'ipdb> ';
  session.commandNamesFrom(() => table.names);
  const completer = (line: string): [string[], string] => completeCommandLine(session, table, line);
  try {
    if (options.banner !== false) channel.write(options.bannerText ?? bannerText(session, channel.colors));
  } catch {
    return 'eof'; // the channel is gone before anything was said
  }
  const queue: string[] = [];
  let last = '';
  for (;;) {
    let line: string;
    try {
      if (queue.length) {
        line = queue.shift()!;
      } else {
        for (const d of session.changedDisplays()) ctx.print(`display ${d.expr}: ${d.text}  [old: ${d.old}]`);
        let read: string | null;
        try {
          read = channel.readLine(prompt, completer);
        } catch {
          return 'eof'; // the input is gone (a closed terminal or socket): nothing more will come
        }
        if (read === null) return 'eof';
        if (read.length > MAX_LINE) {
          ctx.fail(`Line too long (${read.length} characters; the limit is ${MAX_LINE})`);
          continue;
        }
        line = read.replace(/\r$/, '');
        if (line.trim() === '') {
          if (!last) continue;
          line = last;
        }
        const parts = splitCommands(line);
        line = parts[0];
        queue.push(...parts.slice(1));
      }
      if (line.trim() === '') continue;
      last = line;
      const outcome = commands().runCommandLine(ctx, line);
      if (outcome === 'continue' || outcome === 'quit') return outcome;
    } catch (fault) {
      // A channel that throws (a vanished client) cannot carry a message: end as at end of input.
      try {
        ctx.fail(`internal error in the debugger: ${describeFault(fault)}`);
      } catch {
        return 'eof';
      }
    }
  }
}

/**
 * Splits a line at `;;` (pdb), except inside string, template or regex literals and comments:
 * `p "a;;b"` is one command.
 */
export function splitCommands(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  let prevSemicolon = false;
  try {
    for (const t of jsTokens(line)) {
      if (t.type === 'Punctuator' && t.value === ';') {
        if (prevSemicolon) {
          parts.push(current.slice(0, -1).trim());
          current = '';
          prevSemicolon = false;
          continue;
        }
        prevSemicolon = true;
      } else {
        prevSemicolon = false;
      }
      current += t.value;
    }
  } catch {
    return [line];
  }
  parts.push(current.trim());
  return parts.filter((p, i) => p !== '' || i === 0);
}

/** Completion for the prompt: the command table's argument kind decides what follows a command name. */
function completeCommandLine(session: Session, table: CommandTable, line: string): [string[], string] {
  const m = /^\s*(\?|[A-Za-z_]\w*)(\s+)(.*)$/s.exec(line);
  const cmd = m ? table.find(m[1]) : undefined;
  if (m && cmd) {
    if (cmd.argument === 'command') {
      const word = m[3];
      return [table.names.filter((n) => n.startsWith(word)), word];
    }
    if (cmd.argument !== 'expression') return [[], m[3]];
    return session.complete(m[3], false);
  }
  if (line.trimStart().startsWith('!')) return session.complete(line.trimStart().slice(1), false);
  return session.complete(line);
}
