/**
 * A web session (SPEC §3): the rank serves its debugger page on `IPDB_HOST` (default 127.0.0.1),
 * port `IPDB_WEB_PORT` + rank (default base 4444; the next free one when taken; base 0: any free
 * port), says in a box on stderr which URL to open, registers itself for `ts-pdb ls` and the
 * overview page, and serves the page until it ends the session (`c`, `q`) or `IPDB_TIMEOUT` passes
 * with no page open. Then the caller rethrows the error. Never throws.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { reportFault } from '../capture';
import { boxed, summary } from '../core/boxed';
import type { Session } from '../core/session';
import type { RankInfo } from '../rank';
import * as registry from '../registry';
import { promptFor, reportText, runSession } from '../session-loop';
import { isLoopback, isWildcard, urlHost } from './http-guard';
import { SessionView } from './session-view';
import { WebChannel } from './web-channel';

/** The default base port (`IPDB_WEB_PORT`). */
export const DEFAULT_WEB_PORT = 4444;

/**
 * Serves `session` as a web page for `rank` and returns when it ends.
 * @param notice text for the top of the transcript (why locals are missing), or ''.
 */
export function webSession(session: Session, rank: RankInfo, notice: string): void {
  const host = process.env.IPDB_HOST || '127.0.0.1';
  const timeoutMs = timeoutFromEnv();
  // Anyone on the network can reach a non-loopback bind: the page then needs this 128-bit token.
  const token = isLoopback(host) ? undefined : randomBytes(16).toString('hex');
  let channel: WebChannel;
  try {
    channel = WebChannel.open({
      view: new SessionView(session), host, port: webPort(rank.rank), token, rank: rank.rank, title: summary(session.thrown), timeoutMs,
    });
  } catch (e) {
    stderr(`ts-pdb: cannot open a web session (${(e as Error).message}); printing the frames instead.\n${notice}${reportText(session)}`);
    return;
  }
  const base = `http://${urlHost(host)}:${channel.listeningPort}/`;
  const url = token ? `${base}?token=${token}` : base;
  const unregister = registry.register({
    rank: rank.rank, pid: process.pid, host: os.hostname(), mode: 'web', address: base, ...(token ? { token } : {}),
    error: summary(session.thrown), since: Date.now(),
  });
  try {
    stderr(boxed([
      `ts-pdb: rank ${rank.rank} (pid ${process.pid}) stopped: ${summary(session.thrown)}`,
      `open in a browser:  ${url}`,
      ...(isWildcard(host) ? [`(on this machine:  http://127.0.0.1:${channel.listeningPort}/${token ? `?token=${token}` : ''})`] : []),
      ...(timeoutMs ? [`(waits ${timeoutMs / 1000} s for a page, then the error goes on)`] : []),
    ]));
    if (notice) channel.write(notice);
    runSession(session, channel, { prompt: promptFor(rank) });
    if (channel.timedOut) stderr(`ts-pdb: rank ${rank.rank}: no page connected within ${timeoutMs! / 1000} s; the error goes on.\n`);
  } catch (fault) {
    reportFault(fault);
  } finally {
    unregister();
    channel.close('ts-pdb: session ended; the error goes on in the program.\n');
  }
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
