/**
 * A web session (docs/SPEC.md §3): the rank serves its debugger page on `IPDB_HOST` (default 127.0.0.1),
 * port `IPDB_WEB_PORT` + rank (default base 4444; the next free one when taken; base 0: any free
 * port), says in a box on stderr which URL to open, registers itself for `ts-pdb ls` and the
 * overview page, and serves the page until it ends the session (`c`, `q`) or `IPDB_TIMEOUT` passes
 * with no page open. Then the caller rethrows the error.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Session } from '../../engine/session';
import { stoppedOn } from '../../render/boxed';
import type { FrontEnd, SessionStart } from '../front-end';
import { engine, printReport } from '../shared/engine';
import * as registry from '../shared/registry';
import { WebChannel } from './web-channel';

/** The web front-end (`IPDB_MODE=web`). */
export const webFrontEnd: FrontEnd = {
  name: 'web',
  open: openWeb,
};

/**
 * Serves the session as a web page and returns when it ends.
 *
 * The worker thread that serves the page starts first and prints the URL as soon as it listens;
 * the session engine loads meanwhile (as socket mode does: the user waits for the longer of the
 * two, not their sum).
 * @returns the session once it ended (the caller reads how it ended), or undefined when the page
 *   could not be served (the frames were printed instead).
 */
function openWeb(start: SessionStart): Session | undefined {
  const { env, rank, options, notice } = start;
  const host = env.host;
  const timeoutMs = env.timeoutMs;
  // Anyone on the network can reach a non-loopback bind: the page then needs a 128-bit token
  // (and on loopback too with IPDB_TOKEN=1).
  const token = env.token(host);
  const title = stoppedOn(start.source.thrown, options);
  let starting: ReturnType<typeof WebChannel.start> | undefined;
  let failure: unknown;
  try {
    starting = WebChannel.start({
      host,
      port: env.webPort(rank.rank),
      token,
      rank: rank.rank,
      title,
      timeoutMs,
      ...(start.snapshot?.planned ? { snapshot: start.snapshot.planned } : {}),
    });
  } catch (e) {
    failure = e;
  }
  // While the worker thread boots: the session engine, the frames and the page's view of them.
  const { Session, SessionView, promptFor, runSession } = engine();
  const session = new Session(start.source, options);
  let channel: WebChannel;
  try {
    if (!starting) throw failure;
    channel = starting.ready(new SessionView(session));
  } catch (e) {
    printReport(start, `ts-pdb: cannot open a web session (${(e as Error).message}); printing the frames instead.\n${notice}`, session);
    return undefined;
  }
  const unregister = registry.register({
    rank: rank.rank,
    pid: process.pid,
    host: os.hostname(),
    mode: 'web',
    address: channel.url,
    ...(token ? { token } : {}),
    error: title,
    since: Date.now(),
    ...(start.snapshot?.planned ? { snapshot: path.resolve(start.snapshot.planned) } : {}),
  });
  try {
    // The wait begins (the page is served): written now, removed if the page ends the session.
    start.snapshot?.write();
    // The error and its TypeScript location first, node internals folded (web-banner.ts); then why
    // locals may be missing.
    const { webBannerText } = require('./web-banner') as typeof import('./web-banner');
    const banner = webBannerText(session);
    channel.error(banner.error);
    channel.write(banner.rest);
    if (notice) channel.write(notice);
    runSession(session, channel, { prompt: promptFor(rank), banner: false });
    if (channel.timedOut)
      env.stderr(
        `ts-pdb: rank ${rank.rank}: no page connected within ${timeoutMs! / 1000} s; the ${options.breakpoint ? 'program' : 'error'} goes on.\n` +
          (start.snapshot?.line() ?? ''),
      );
    else start.snapshot?.discard();
  } finally {
    unregister();
    channel.close(session.goodbye);
  }
  return session;
}
