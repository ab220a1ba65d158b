/**
 * The address a registry entry gives other hosts (docs/hosts-design.md): other hosts can connect to
 * a TCP or web session bound to a non-loopback address, at an IP address of the interface bound (host
 * names need not resolve on every host); for a wildcard bind (`0.0.0.0`, `::`), the first
 * non-internal address of `os.networkInterfaces()`. A loopback bind, or a Unix socket, is for this
 * host only. Pure: the interfaces are a parameter.
 */
import * as os from 'node:os';
import { isLoopback } from './session-token';

/** Who can connect to a session: `network` (other hosts too) or `host` (this host only). */
export type Reach = 'network' | 'host';

/** What {@link reachableFrom} finds. */
export interface Reachable {
  reach: Reach;
  /** The IP address other hosts use, for `network`. */
  ip?: string;
}

/**
 * Who can reach a server bound to `bound` (the address it reports, or `IPDB_HOST`), and at which IP.
 * A wildcard bind with no interface but loopback (a container with `lo` alone) is `host`.
 * @param interfaces default `os.networkInterfaces()`.
 */
export function reachableFrom(bound: string, interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces()): Reachable {
  const h = bound.replace(/^\[|\]$/g, '');
  if (isLoopback(h)) return { reach: 'host' };
  if (h === '0.0.0.0' || h === '::' || h === '') {
    const ip = firstExternal(interfaces, h !== '0.0.0.0');
    return ip ? { reach: 'network', ip } : { reach: 'host' };
  }
  return { reach: 'network', ip: h };
}

/**
 * The first non-internal address: IPv4 first (a `0.0.0.0` bind takes IPv4 only), then, for `::`,
 * IPv6 other than link-local (which needs the interface's name to be reached).
 */
function firstExternal(interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>, ipv6: boolean): string | undefined {
  const all = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal);
  const v4 = all.find((i) => i.family === 'IPv4');
  if (v4) return v4.address;
  if (!ipv6) return undefined;
  return all.find((i) => i.family === 'IPv6' && !/^fe80:/i.test(i.address))?.address;
}

/** `ip:port`, with brackets around an IPv6 address (`[fd00::2]:4445`). */
export function withPort(ip: string, port: number): string {
  return `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
}
