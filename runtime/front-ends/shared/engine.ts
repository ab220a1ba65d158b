/**
 * The engine as a front-end loads it: on demand, from this one place. A socket or web front-end
 * starts its worker thread first and loads the engine while the thread boots; a socket session
 * loads it only once a client is there (until then a rank costs a sleeping thread and nothing else).
 * Each piece loads on its own (the session, the command loop, the report, the page's view): a
 * console session never loads the page's view, and neither loads the report unless it prints one
 * (engine/index.ts would load them all).
 */
import type { Channel } from '../../engine/channel';
import type { Session } from '../../engine/session';
import type { SessionStart } from '../front-end';
import { connectToSnapshot, notifyStop } from './notify';

/** The engine's surface for front-ends (engine/index.ts). */
export type Engine = typeof import('../../engine');

/** The engine, loaded on first use. */
export function engine(): Engine {
  return require('../../engine') as Engine;
}

/** The session engine (engine/session.ts) alone. */
export function sessionEngine(): typeof import('../../engine/session') {
  return require('../../engine/session') as typeof import('../../engine/session');
}

/** The command loop (engine/commands/session-loop.ts) alone: the commands themselves load on first use. */
export function commandLoop(): typeof import('../../engine/commands/session-loop') {
  return require('../../engine/commands/session-loop') as typeof import('../../engine/commands/session-loop');
}

/** A session on the start's frame source, with its options. */
export function newSession(start: SessionStart): Session {
  return new (sessionEngine().Session)(start.source, start.options);
}

/**
 * Runs a text session (console, socket) on `channel`: the notice first, then the command loop with
 * the rank's prompt. Does not close the channel.
 * @param banner the banner already rendered for `channel.colors`; default rendered by the loop.
 */
export function runText(session: Session, channel: Channel, start: SessionStart, banner?: string): void {
  const { promptFor, runSession } = commandLoop();
  if (start.notice) channel.write(start.notice);
  runSession(session, channel, { prompt: promptFor(start.rank), ...(banner !== undefined ? { bannerText: banner } : {}) });
}

/**
 * Prints the frames and their locals on stderr after `preface`, instead of a session: no terminal,
 * or a front-end that cannot serve (docs/SPEC.md §6: never wait for a keyboard that is not there).
 * The session is lost, so the stop's snapshot is written (when it was not already) and the last
 * line names it.
 */
export function printReport(start: SessionStart, preface: string, session: Session = newSession(start)): void {
  const { reportText } = require('../../engine/commands/report') as typeof import('../../engine/commands/report');
  const report = preface + reportText(session);
  const kept = start.snapshot?.write();
  start.env.stderr(report + (start.snapshot?.line() ?? ''));
  // The session is lost; its snapshot is what can be reached (IPDB_NOTIFY).
  notifyStop(start, kept ? { connect: connectToSnapshot(kept), snapshot: kept } : {});
}
