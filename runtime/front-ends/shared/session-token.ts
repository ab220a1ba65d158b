/**
 * When a session needs a token (docs/SPEC.md §6): a debugger is code execution, so a session anyone else
 * can reach asks for a per-session 128-bit token first. A bind other than loopback always does.
 * A loopback bind does not by default (only this machine can connect, as with `node --inspect`);
 * `IPDB_TOKEN=1` asks for one there too, for machines shared with other users (an HPC login node),
 * who can reach this machine's loopback ports as well. Unix sockets need none: they are mode 0600.
 */

/** True for a loopback bind address (`localhost`, `127.x.x.x`, `::1`, `[::1]`, `::ffff:127.x.x.x`). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

/**
 * A new token for a session bound to `host`, or undefined when it needs none.
 * @param env where `IPDB_TOKEN` is read (default: process.env); `1`/`true`/`yes`: a token on loopback too.
 */
export function sessionToken(host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const always = /^(1|true|yes|on)$/i.test((env.IPDB_TOKEN ?? '').trim());
  if (isLoopback(host) && !always) return undefined;
  // node:crypto is loaded only here: it costs milliseconds a loopback session need not wait.
  return (require('node:crypto') as typeof import('node:crypto')).randomBytes(16).toString('hex');
}
