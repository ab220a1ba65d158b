/**
 * A web session (SPEC §3): the rank serves its debugger page on `IPDB_HOST` (default 127.0.0.1),
 * port `IPDB_WEB_PORT` + rank (default base 4444; the next free one when taken; base 0: any free
 * port), says in a box on stderr which URL to open, registers itself for `ts-pdb ls` and the
 * overview page, and serves the page until it ends the session (`c`, `q`) or `IPDB_TIMEOUT` passes
 * with no page open. Then the caller rethrows the error. Never throws.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { reportFault } from '../../capture';
import { LiveFrameSource } from '../../engine/live-source';
import { stoppedOn } from '../../render/boxed';
import type { RankInfo } from '../../rank';
import type { ErrorCapture } from '../../records';
import type { Session, SessionOptions } from '../../engine/commands/session-loop';
import * as registry from '../shared/registry';
import { sessionToken } from '../shared/session-token';
import { WebChannel } from './web-channel';

/** The default base port (`IPDB_WEB_PORT`). */
export const DEFAULT_WEB_PORT = 4444;

/**
 * Serves the session of `thrown` as a web page for `rank` and returns when it ends.
 *
 * The worker thread that serves the page starts first and prints the URL as soon as it listens;
 * the session engine loads meanwhile (as socket mode does: the user waits for the longer of the
 * two, not their sum).
 * @param capture the frames recorded for `thrown`.
 * @param notice text for the top of the transcript (why locals are missing), or ''.
 * @param options the session's options (see core/session.ts).
 * @returns the session once it ended (the caller reads how it ended), or undefined when the page
 *   could not be served (the frames were printed instead).
 */
export function webSession(
  thrown: unknown, capture: ErrorCapture, rank: RankInfo, notice: string, options: SessionOptions = {},
): Session | undefined {
  const host = process.env.IPDB_HOST || '127.0.0.1';
  const timeoutMs = timeoutFromEnv();
  // Anyone on the network can reach a non-loopback bind: the page then needs a 128-bit token
  // (and on loopback too with IPDB_TOKEN=1).
  const token = sessionToken(host);
  let starting: ReturnType<typeof WebChannel.start> | undefined;
  let failure: unknown;
  try {
    starting = WebChannel.start({ host, port: webPort(rank.rank), token, rank: rank.rank, title: stoppedOn(thrown, options), timeoutMs });
  } catch (e) {
    failure = e;
  }
  // While the worker thread boots: the session engine, the frames and the page's view of them.
  const { Session, promptFor, reportText, runSession } = require('../../engine/commands/session-loop') as typeof import('../../engine/commands/session-loop');
  const { SessionView } = require('../../engine/session-view') as typeof import('../../engine/session-view');
  const session = new Session(new LiveFrameSource(thrown, capture), options);
  let channel: WebChannel;
  try {
    if (!starting) throw failure;
    channel = starting.ready(new SessionView(session));
  } catch (e) {
    stderr(`ts-pdb: cannot open a web session (${(e as Error).message}); printing the frames instead.\n${notice}${reportText(session)}`);
    return undefined;
  }
  const unregister = registry.register({
    rank: rank.rank, pid: process.pid, host: os.hostname(), mode: 'web', address: channel.url, ...(token ? { token } : {}),
    error: stoppedOn(thrown, options), since: Date.now(),
  });
  try {
    // The error and its TypeScript location first, node internals folded (web-banner.ts); then why
    // locals may be missing.
    const { webBannerText } = require('./web-banner') as typeof import('./web-banner');
    const banner = webBannerText(session);
    channel.error(banner.error);
    channel.write(banner.rest);
    if (notice) channel.write(notice);
    runSession(session, channel, { prompt: promptFor(rank), banner: false });
    if (channel.timedOut) stderr(`ts-pdb: rank ${rank.rank}: no page connected within ${timeoutMs! / 1000} s; the ${options.breakpoint ? 'program' : 'error'} goes on.\n`);
  } catch (fault) {
    reportFault(fault);
  } finally {
    unregister();
    channel.close(session.goodbye);
  }
  return session;
}

/** `IPDB_WEB_PORT` + rank (base default {@link DEFAULT_WEB_PORT}; base 0: any free port). */
export function webPort(rank: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env.IPDB_WEB_PORT;
  const base = text === undefined || text.trim() === '' ? DEFAULT_WEB_PORT : Number(text);
  if (!Number.isInteger(base) || base < 0 || base > 65535) return DEFAULT_WEB_PORT + rank;
  return base === 0 ? 0 : base + rank;
}

/** `IPDB_TIMEOUT` in ms; undefined: wait for ever. */
function timeoutFromEnv(): number | undefined {
  const seconds = Number(process.env.IPDB_TIMEOUT);
  return process.env.IPDB_TIMEOUT && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** Writes to stderr synchronously: the program is stopped, its streams will not be flushed for us. */
function stderr(text: string): void {
  try {
    fs.writeSync(2, text);
  } catch {
    // stderr closed: nothing else to tell.
  }
}
