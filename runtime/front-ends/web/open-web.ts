/**
 * A web session (docs/SPEC.md §3): the rank serves its debugger page on `IPDB_HOST` (default 127.0.0.1),
 * port `IPDB_WEB_PORT` + rank (default base 4444; the next free one when taken; base 0: any free
 * port), says in a box on stderr which URL to open, registers itself for `ts-pdb ls` and the
 * overview page, and serves the page until it ends the session (`c`, `q`) or `IPDB_TIMEOUT` passes
 * with no page open. Then the caller rethrows the error.
 *
 * The same page serves a snapshot (`ts-pdb open --web`, open-snapshot-web.ts): then nothing is
 * registered (no program waits), the box and the page's header say whose snapshot it is, and a
 * page that cannot be served, or no page within the timeout, is the caller's one line.
 */
import * as os from 'node:os';
import type { Session } from '../../engine/session';
import { stoppedOn } from '../../render/boxed';
import type { FrontEnd, SessionStart } from '../front-end';
import { commandLoop, printReport, sessionEngine } from '../shared/engine';
import { connectToPage, notifyStop } from '../shared/notify';
import * as registry from '../shared/registry';
import { WebChannel } from './web-channel';

/** The web front-end (`IPDB_MODE=web`). */
export const webFrontEnd: FrontEnd = {
  name: 'web',
  open: (start) => serveWeb(start),
};

/**
 * Serves the session as a web page and returns when it ends.
 *
 * The worker thread that serves the page starts first and prints the URL as soon as it listens;
 * the session engine loads meanwhile (as socket mode does: the user waits for the longer of the
 * two, not their sum).
 * @param snapshot for a snapshot (`ts-pdb open --web`), whose it is and when it was taken
 *   (open-snapshot.ts `snapshotOf`); undefined (the default): a live program.
 * @returns the session once it ended (the caller reads how it ended), or undefined when the page
 *   could not be served (the frames were printed instead). For a snapshot: undefined when no page
 *   came within the timeout (one line said so); a page that cannot be served throws.
 */
export function serveWeb(start: SessionStart, snapshot?: string): Session | undefined {
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
    const keeps = start.snapshot?.planned;
    starting = WebChannel.start({
      host,
      port: env.webPort(rank.rank),
      token,
      rank: rank.rank,
      title,
      timeoutMs,
      snapshot,
      ...(keeps ? { keeps } : {}),
      ...(snapshot === undefined && rank.jobId !== undefined ? { job: rank.jobId } : {}),
      thrown: Date.now(),
    });
  } catch (e) {
    failure = e;
  }
  // While the worker thread boots: the session engine, the frames and the page's view of them.
  // Each piece on its own: the commands load on the first line (shared/engine.ts).
  const { Session } = sessionEngine();
  const { promptFor, runSession } = commandLoop();
  const { SessionView } = require('../../engine/session-view') as typeof import('../../engine/session-view');
  const session = new Session(start.source, options);
  let channel: WebChannel;
  try {
    if (!starting) throw failure;
    channel = starting.ready(new SessionView(session));
  } catch (e) {
    // ts-pdb open --web has nothing to fall back on: its caller says why in one line.
    if (snapshot !== undefined) throw e;
    printReport(start, `ts-pdb: cannot open a web session (${(e as Error).message}); printing the frames instead.\n${notice}`, session);
    return undefined;
  }
  // The worker registered the session (a snapshot's page, no waiting program, is not) and beats for it.
  try {
    // The wait begins (the page is served): the snapshot now, removed if the page ends the session.
    const kept = start.snapshot?.write();
    // The page is served: tell someone (IPDB_NOTIFY); the URL without its token (notify.ts).
    if (snapshot === undefined) notifyStop(start, { connect: connectToPage(channel.url, host), snapshot: kept });
    // The error and its TypeScript location first, node internals folded (web-banner.ts); then why
    // locals may be missing.
    const { webBannerText } = require('./web-banner') as typeof import('./web-banner');
    const banner = webBannerText(session);
    channel.error(banner.error);
    channel.write(banner.rest);
    if (notice) channel.write(notice);
    runSession(session, channel, { prompt: promptFor(rank), banner: false });
    if (channel.timedOut) {
      const seconds = timeoutMs! / 1000;
      if (snapshot !== undefined) {
        env.stderr(`ts-pdb open: no page connected within ${seconds} s (IPDB_TIMEOUT); the snapshot is closed.\n`);
        return undefined;
      }
      env.stderr(
        `ts-pdb: rank ${rank.rank}: no page connected within ${seconds} s; the ${options.breakpoint ? 'program' : 'error'} goes on.\n` +
          (start.snapshot?.line() ?? ''),
      );
    } else start.snapshot?.discard();
  } finally {
    // The worker removes the entry as it closes; once it has, nothing beats for it: removed again
    // here should the worker have failed.
    channel.close(snapshot !== undefined ? SNAPSHOT_GOODBYE : session.goodbye);
    if (snapshot === undefined) registry.unregister({ job: rank.jobId, host: os.hostname(), pid: process.pid, rank: rank.rank });
  }
  return session;
}

/** What the pages of a snapshot are told at its end (the page shows what follows `session ended; `). */
const SNAPSHOT_GOODBYE = 'ts-pdb: session ended; the snapshot is closed (ts-pdb open has ended).\n';
