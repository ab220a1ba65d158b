/**
 * Who is at the other end of a loopback TCP connection. `ts-pdb dap --port` listens on 127.0.0.1,
 * which every user of the machine can reach; its client may attach to this user's waiting ranks
 * (their tokens are in this user's private registry) and run code in them, so a connection from
 * another user is refused. Linux says who owns each TCP socket in /proc/net/tcp: the client's own
 * socket (local port = the connection's remote port, remote port = ours) carries its user's uid.
 * Where there is no /proc (not Linux) nothing can be checked and the connection is taken.
 */
import * as fs from 'node:fs';
import type { Socket } from 'node:net';

/**
 * True when the client of `socket` (a connection accepted on 127.0.0.1) runs as this process's
 * user or as root; false when another user's, or when its socket cannot be found in /proc. Never throws.
 */
export function peerIsThisUser(socket: Socket): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/tcp', 'latin1');
  } catch {
    return true; // no /proc: nothing to check with
  }
  const theirs = hexPort(socket.remotePort);
  const ours = hexPort(socket.localPort);
  if (!theirs || !ours) return false;
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
    if (f.length < 8 || !f[1].endsWith(`:${theirs}`) || !f[2].endsWith(`:${ours}`)) continue;
    const owner = Number(f[7]);
    return owner === uid || owner === 0;
  }
  return false;
}

function hexPort(port: number | undefined): string | undefined {
  return port === undefined ? undefined : port.toString(16).toUpperCase().padStart(4, '0');
}
