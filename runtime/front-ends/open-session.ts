/**
 * Opens the session for a value that left a debug boundary (docs/SPEC.md §3), the one place that does:
 * makes its frame source, reads the environment, leaves alone the errors `IPDB_IGNORE` names, picks
 * the front-end (console, socket or web, by `IPDB_MODE` and rank) and the snapshot the stop leaves
 * (shared/snapshot-keeper.ts; `IPDB_MODE=dump` writes it and opens nothing), runs it, and returns so
 * that the caller rethrows.
 *
 * Loaded by `capture.openOnce` (and by breakpoint.ts) the first time a session opens, never
 * before; each front-end is loaded only when picked. Runs on the thread that threw, synchronously:
 * the program is stopped until this returns. Nothing here may throw or hang: a fault is reported on
 * stderr and the user's error goes on unchanged.
 */
import { forgetCapture, loadOwn, reportFault, settings } from '../capture';
import { parseMode, type Mode } from '../config';
import type { Session, SessionOptions } from '../engine/session';
import { detectRank, type RankInfo } from '../rank';
import type { ErrorCapture } from '../records';
import type { FrontEnd, SessionStart } from './front-end';
import { sessionEnvironment } from './shared/environment';
// Only what decides whether a thread starts ahead is imported: the compile cache and the rest (the
// frame source, the snapshot keeper, the notice) are required after the thread was started, so
// that its boot, the longest step to the prompt and to the page, begins as early as it can.

/** Said once per process when a session has no captured locals (a build without the transform). */
export const NOT_INSTRUMENTED_NOTICE =
  'ts-pdb: no locals were captured: this code was built without the ts-pdb transformer, so the session\n' +
  'has the stack but not the variables. To see every local of every marked frame, build with the\n' +
  'transformer: run tspc (ts-patch) with tsconfig "compilerOptions": { "plugins": [{ "transform": "ts-pdb/transformer" }] },\n' +
  'or run the TypeScript with no build step: npx ts-pdb run app.ts.\n';

let noticeGiven = false;
/** `IPDB_IGNORE`'s bad entries were said (once per process). */
let ignoreProblemsSaid = false;
/**
 * True while a session is open on this thread. An expression typed in a session can call a
 * boundary that throws (`p risky({})`): that error is the command's result, printed by the session,
 * not a reason to stack a second session on the same terminal.
 */
let sessionOpen = false;

/**
 * Opens a session on `thrown` (console on a terminal, a socket for other ranks or IPDB_MODE=socket,
 * a page for IPDB_MODE=web, else a report on stderr) and returns when it ends; the caller rethrows.
 * Never throws.
 * @param thrown the value that left the boundary.
 * @param capture the frames recorded for it on the way out.
 * @param how `instrumented: false` when the boundary is the run-time decorator of a build made
 *   without the transform (no records): the session then says, once per process, why locals are missing.
 */
export function openSession(
  thrown: unknown,
  capture: ErrorCapture,
  how: { instrumented: boolean; uncaught?: boolean; recoverable?: boolean; breakpoint?: boolean },
): Session | undefined {
  if (sessionOpen) {
    forgetCapture(thrown);
    return undefined;
  }
  sessionOpen = true;
  // Loaded when a thread is started ahead (not for a dump, nor for a socket session).
  let links: typeof import('./shared/worker-link') | undefined;
  try {
    const env = sessionEnvironment();
    let mode: Mode | undefined;
    try {
      mode = parseMode(settings.modeText);
    } catch (e) {
      env.stderr(`ts-pdb: ${(e as Error).message}\n`);
      return undefined;
    }
    if (!how.breakpoint && ignored(thrown, env.stderr)) return undefined;
    const rank = detectRank();
    // The console's and the web page's thread boots while the rest loads (the longest step to the prompt).
    const name = mode === 'dump' ? undefined : frontEndName(mode, rank);
    if (name === 'web' || (name === 'console' && terminalAtHand())) {
      links = require('./shared/worker-link') as typeof import('./shared/worker-link');
      links.prestartWorker();
    }
    // From here on what loads (here, the front-end, the engine) comes from V8's code cache (Node 22.1+).
    require('./shared/compile-cache');
    const notice = how.instrumented || noticeGiven ? '' : NOT_INSTRUMENTED_NOTICE;
    noticeGiven ||= notice !== '';
    const options: SessionOptions = {
      uncaught: how.uncaught === true,
      recoverable: how.recoverable === true,
      breakpoint: how.breakpoint === true,
      transformed: how.instrumented,
      contextSize: settings.contextSize,
    };
    const { snapshotKeeper } = require('./shared/snapshot-keeper') as typeof import('./shared/snapshot-keeper');
    let source: import('../engine/live-source').LiveFrameSource | undefined;
    const start: SessionStart = {
      // Made when first read: a socket session reads `thrown` alone until it listens, and the frame
      // source's module loads after (without source maps, as this file: capture.ts `loadOwn`).
      get source() {
        return (source ??= new (loadOwn(() => require('../engine/live-source') as typeof import('../engine/live-source')).LiveFrameSource)(
          thrown,
          capture,
        ));
      },
      thrown,
      options,
      rank,
      notice,
      env,
    };
    start.snapshot = snapshotKeeper(start, { dump: mode === 'dump' });
    if (mode === 'dump') {
      // No session: the snapshot, one line naming it, and the error (or the program) goes on at once.
      const written = start.snapshot.write();
      if (written !== undefined) {
        env.stderr(`ts-pdb: rank ${rank.rank} (pid ${process.pid}) stopped: ${firstLine(start)}\n${start.snapshot.line()}`);
        // Loaded here, not at the top: a socket session loads it once it listens (socket/open-socket.ts).
        const { connectToSnapshot, notifyStop } = require('./shared/notify') as typeof import('./shared/notify');
        notifyStop(start, { connect: connectToSnapshot(written), snapshot: written });
      }
      return undefined;
    }
    // The session that ran (its `returning` and `endProgram` say how it ended), if one did.
    return frontEndFor(name!).open(start);
  } catch (fault) {
    reportFault(fault);
    return undefined;
  } finally {
    sessionOpen = false;
    // A thread started ahead that no front-end took (no session, or a session without one).
    links?.cancelPrestarted();
    // The session is over: do not keep every captured local alive for as long as the error lives.
    try {
      forgetCapture(thrown);
    } catch {
      /* nothing retained */
    }
  }
}

/** True for an error `IPDB_IGNORE` names (its bad entries said once). */
function ignored(thrown: unknown, stderr: (text: string) => void): boolean {
  const text = process.env.IPDB_IGNORE;
  // Unset or blank names nothing: no need to load the filter (one module less before a socket listens).
  if (!text?.trim()) return false;
  const { ignoreFilter } = require('./shared/ignore-filter') as typeof import('./shared/ignore-filter');
  const filter = ignoreFilter(text);
  if (filter.problems.length && !ignoreProblemsSaid) {
    ignoreProblemsSaid = true;
    stderr(filter.problems.map((p) => `ts-pdb: ${p}\n`).join(''));
  }
  return filter.ignores(thrown);
}

/** The stop's first line, as the boxes say it (render/boxed.ts `stoppedOn`), for dump mode's line. */
function firstLine(start: SessionStart): string {
  if (start.options.breakpoint) return 'a breakpoint (the program goes on)';
  const { stoppedOn } = require('../render/boxed') as typeof import('../render/boxed');
  return stoppedOn(start.source.thrown, start.options);
}

/**
 * Which front-end serves `mode` (docs/SPEC.md §3): unset, the console for rank 0 and a socket for the other ranks;
 * every Vitest worker is no rank of a job but a test that failed: the console, one worker at a time
 * (the terminal's turns, console/terminal-lock.ts).
 */
function frontEndName(mode: Exclude<Mode, 'dump'> | undefined, rank: RankInfo): 'socket' | 'web' | 'console' {
  if (mode === 'socket' || (mode === undefined && rank.rank > 0 && rank.source !== 'vitest')) return 'socket';
  // IPDB_MODE=console (ranks then take turns on the terminal), or rank 0 by default.
  return mode === 'web' ? 'web' : 'console';
}

/**
 * True when a console session would get the terminal now (console/terminal-access.ts) and no other
 * session holds it (console/terminal-lock.ts): only then is its thread worth starting ahead. A rank
 * that will wait for its turn starts its thread when it has the turn: a waiting rank uses no CPU.
 */
function terminalAtHand(): boolean {
  try {
    if ((require('./console/terminal-access') as typeof import('./console/terminal-access')).findTerminal().spec === undefined)
      return false;
    return (require('./console/terminal-lock') as typeof import('./console/terminal-lock')).terminalHolder() === undefined;
  } catch {
    return false;
  }
}

/**
 * The front-end called `name`, loaded when picked: a socket session starts its worker before
 * anything else loads.
 */
function frontEndFor(name: 'socket' | 'web' | 'console'): FrontEnd {
  // Without source maps (capture.ts `loadOwn`): Node would read and measure each of the front-end's files' maps.
  return loadOwn(() => frontEndNamed(name));
}

function frontEndNamed(name: 'socket' | 'web' | 'console'): FrontEnd {
  if (name === 'socket') return (require('./socket/open-socket') as typeof import('./socket/open-socket')).socketFrontEnd;
  if (name === 'web') return (require('./web/open-web') as typeof import('./web/open-web')).webFrontEnd;
  return (require('./console/open-console') as typeof import('./console/open-console')).consoleFrontEnd;
}
