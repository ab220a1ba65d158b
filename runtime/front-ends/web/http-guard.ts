/**
 * Who may talk to a web session (docs/SPEC.md §6). A debugger is code execution, and the Node inspector's
 * DNS-rebinding CVEs (2018-7160, 2021-22884, 2022-32212, 2022-43548) show how a page on another
 * site reaches a server on localhost: it points its own name at 127.0.0.1. So:
 *
 * - `Host` must name this server as a browser on this machine or the network would: an IP literal,
 *   `localhost`, the bound name, or this machine's host name (printed in the URL of a wildcard
 *   bind). A rebound attacker's name is none of these.
 * - A WebSocket (and any request that is not a plain read) must come from the page's own origin:
 *   `Origin` equal to `http://<Host>`.
 * - A bind other than loopback also needs the session's 128-bit token in the URL (`?token=`),
 *   compared in constant time, as Jupyter does: anyone on the network can reach the port.
 *
 * Pure functions of the request's headers, so they are tested without a server.
 */
import * as net from 'node:net';
import * as os from 'node:os';

export { isLoopback } from '../shared/session-token';

/** True for an address that listens on every interface (`0.0.0.0`, `::`). */
export function isWildcard(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === '0.0.0.0' || h === '::' || h === '';
}

/**
 * The host name of a `Host` header (lower case, no port, no brackets, no final dot), or undefined
 * when it is not a valid one.
 */
export function hostName(header: string | undefined): string | undefined {
  if (!header || header.length > 300) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${header}/`);
  } catch {
    return undefined;
  }
  // `Host: a@b` or `Host: a/b` would parse as something else than a host.
  if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * True when the `Host` header names this server: an IP literal, `localhost`, the bound address,
 * or this machine's name. Anything else is a name that an attacker may have pointed here.
 * @param bound the bind address (`IPDB_HOST`).
 * @param machine this machine's host name; default `os.hostname()`.
 */
export function hostAllowed(header: string | undefined, bound: string, machine: string = os.hostname()): boolean {
  const name = hostName(header);
  if (!name) return false;
  if (net.isIP(name) || name === 'localhost') return true;
  return name === bound.toLowerCase() || name === machine.toLowerCase();
}

/** True when `Origin` is the page's own origin: `http(s)://` + the `Host` header. A missing Origin is refused. */
export function originAllowed(origin: string | undefined, hostHeader: string | undefined): boolean {
  if (!origin || !hostHeader) return false;
  let o: URL;
  let h: URL;
  try {
    o = new URL(origin);
    h = new URL(`http://${hostHeader}/`);
  } catch {
    return false;
  }
  if (o.protocol !== 'http:' && o.protocol !== 'https:') return false;
  return o.host === h.host;
}

/** True when `given` is the session's token (constant time). With no token set, anything passes. */
export function tokenMatches(given: string | null | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  // node:crypto only for a session with a token: loading it costs milliseconds before the first page.
  return a.length === b.length && (require('node:crypto') as typeof import('node:crypto')).timingSafeEqual(a, b);
}

/** The host to put in the URL of a server bound to `host`: this machine's name for a wildcard bind. */
export function urlHost(host: string): string {
  if (isWildcard(host)) return os.hostname();
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
