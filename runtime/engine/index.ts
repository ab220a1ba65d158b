/**
 * The engine as the front-ends use it (front-ends/shared/engine.ts loads this on demand): a session
 * on a frame source, its two interfaces to a front-end (text lines: `runSession` on a Channel,
 * engine/channel.ts; structured requests: `SessionView`, engine/requests.ts), and the report a
 * front-end prints when no session can open.
 */
export { Session, type SessionOptions } from './session';
export { promptFor, runSession, type RunOptions, type SessionEnd } from './commands/session-loop';
export { reportText } from './commands/report';
export { isCommandLine } from './commands/index';
export { SessionView } from './session-view';
