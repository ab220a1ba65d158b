/**
 * A console session (docs/SPEC.md §3): on the terminal, while the program stays stopped. `IPDB_MODE=console`
 * (ranks then take turns on the terminal, terminal-lock.ts), or rank 0 by default. With no
 * terminal, the frames are printed instead; in the background of the terminal (mpirun's ranks, a
 * shell's `cmd &`), the session waits on a socket.
 */
import type { Session } from '../../engine/session';
import { stoppedOn } from '../../render/boxed';
import type { RankInfo } from '../../rank';
import type { FrontEnd, SessionStart } from '../front-end';
import { commandLoop, newSession, printReport, runText } from '../shared/engine';
import { notifyStop } from '../shared/notify';
import { ConsoleChannel } from './console-channel';
import { backgroundNote, findTerminal, inBackground } from './terminal-access';
import { takeTurn, type Holder, type TerminalTurn } from './terminal-lock';

/** The console front-end. */
export const consoleFrontEnd: FrontEnd = {
  name: 'console',
  open: openConsole,
};

/** Serves the session on the terminal (or falls back as the header says) and returns when it ends. */
function openConsole(start: SessionStart): Session | undefined {
  const { env, rank, options, notice } = start;
  const terminal = findTerminal();
  if (terminal.background) {
    // mpirun's ranks, a shell's `cmd &`: the terminal would stop this process (SIGTTIN/SIGTTOU)
    // for good. A socket session instead, whose box (and `ts-pdb ls`) says why.
    // Loaded here only: the socket front-end is most of what this file would load otherwise.
    const { openSocket } = require('../socket/open-socket') as typeof import('../socket/open-socket');
    return openSocket(start, backgroundNote(rank.source));
  }
  if (!terminal.spec) {
    // Never wait for a keyboard that is not there (docs/SPEC.md §6): report and let the error go on.
    printReport(start, `ts-pdb: ${terminal.reason}; printing the frames instead of opening a console session.\n${notice}`);
    return undefined;
  }
  // Ranks that share the terminal take turns (lowest waiting rank first); without a usable
  // lock folder the session still opens, as it would in a single process.
  const timeoutMs = env.timeoutMs;
  const me = nameOf(rank);
  const them = (holder: Holder): string => holder.name ?? `rank ${holder.rank}`;
  let turn: TerminalTurn | undefined;
  try {
    turn = takeTurn({
      rank: rank.rank,
      name: me,
      timeoutMs,
      onWait: (holder) => {
        // A rank that waits for its turn can be ended by its launcher meanwhile: its snapshot now.
        const kept = start.snapshot?.write();
        env.stderr(
          `ts-pdb: ${me} (pid ${process.pid}) stopped: ${stoppedOn(start.source.thrown, options)}\n` +
            `ts-pdb: ${me} waits for the terminal${holder ? ` (${them(holder)}, pid ${holder.pid}, has it)` : ''}; its session opens when the sessions before it end.\n` +
            (start.snapshot?.line() ?? ''),
        );
        // It waits at the terminal, and its snapshot can be opened meanwhile (IPDB_NOTIFY).
        notifyStop(start, kept ? { snapshot: kept } : {});
      },
      onTakeOver: (holder, why) =>
        env.stderr(
          `ts-pdb: ${me} takes the terminal: ${them(holder)} (pid ${holder.pid}), which had it, ` +
            `${why === 'stopped' ? 'is stopped' : 'is gone'}.\n`,
        ),
      // A job sent to the background (Ctrl-Z, bg) while this rank waited: taking the terminal now would stop it.
      mayTake: () => !inBackground(),
    });
    if (!turn) {
      printReport(
        start,
        `ts-pdb: ${me}: the terminal stayed busy for ${timeoutMs! / 1000} s (IPDB_TIMEOUT); printing the frames instead.\n${notice}`,
      );
      return undefined;
    }
  } catch {
    /* no lock folder: no turns */
  }
  // The terminal's thread boots (most of the time to the prompt) while the engine loads and
  // reads the frames: started first, waited for after.
  let starting: ReturnType<typeof ConsoleChannel.start> | undefined;
  let failure: unknown;
  try {
    starting = ConsoleChannel.start({ terminal: terminal.spec });
  } catch (e) {
    failure = e;
  }
  let session: Session;
  try {
    session = newSession(start);
    // The command loop loads too while the thread boots (the commands themselves load on the
    // first line: the first prompt needs none of them).
    commandLoop();
  } catch (fault) {
    starting?.cancel();
    turn?.release();
    throw fault;
  }
  // The banner too, for the colours the terminal will report: the thread's `hasColors()` reads only
  // the environment, which it copied from this one; rendered again by the loop should they differ.
  const banner = starting ? earlyBanner(session) : undefined;
  let channel: ConsoleChannel;
  try {
    if (!starting) throw failure;
    channel = starting.ready();
  } catch (e) {
    turn?.release();
    printReport(start, `ts-pdb: cannot open a console session (${(e as Error).message}); printing the frames instead.\n${notice}`, session);
    return undefined;
  }
  try {
    // The session opens on the terminal: tell someone (IPDB_NOTIFY), nothing to connect to.
    notifyStop(start);
    runText(session, channel, start, banner?.colors === channel.colors ? banner.text : undefined);
    start.snapshot?.discard();
    return session;
  } finally {
    channel.close();
    turn?.release();
  }
}

/**
 * How this session's messages name it: `rank N`, or for a Vitest worker (a test, not a rank of a
 * job) `Vitest worker N`, N its pool slot as Vitest numbers them (`VITEST_POOL_ID`).
 */
function nameOf(rank: RankInfo): string {
  return rank.source === 'vitest' ? `Vitest worker ${rank.rank + 1}` : `rank ${rank.rank}`;
}

/**
 * The session's banner for the colours a terminal of this environment has (`tty.WriteStream`'s
 * `hasColors()` reads only the environment), rendered before the terminal's thread is ready;
 * undefined should that fail (the loop renders it then).
 */
function earlyBanner(session: Session): { colors: boolean; text: string } | undefined {
  try {
    const colors = (require('node:tty') as typeof import('node:tty')).WriteStream.prototype.hasColors();
    const { bannerText } = require('../../engine/commands/banner') as typeof import('../../engine/commands/banner');
    return { colors, text: bannerText(session, colors) };
  } catch {
    return undefined;
  }
}
