/**
 * What an `attach` request names, and the links it opens (docs/dap-design.md): a snapshot file
 * (`{ "snapshot": FILE }`), a waiting rank from the registry (`{ "rank": 1 }`, with `job` or `host`
 * to choose among several), an address (`{ "address": "/tmp/pdb.sock.1" }` or `"host:port"`, with
 * the token from the registry or `token`), or every waiting rank of a job (`{ "ranks": "all" }`).
 * A mistake in the arguments is an Error whose message the editor shows.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { RegistryEntry } from '../front-ends/shared/registry';
import type { SessionLink } from './session-link';

/** The arguments of `attach` that ts-pdb reads (an editor adds its own: `type`, `request`, `name`, `__sessionId`, ...). */
export interface AttachArguments {
  snapshot?: unknown;
  rank?: unknown;
  ranks?: unknown;
  address?: unknown;
  job?: unknown;
  host?: unknown;
  token?: unknown;
  /** Where a relative snapshot path starts; default: the adapter's working directory. */
  cwd?: unknown;
}

/** An attach mistake: the editor shows the message. */
export class AttachError extends Error {}

/** The example every mistake ends with. */
const EXAMPLES =
  'attach takes one of: {"snapshot": "FILE"}, {"rank": N} (with "job" or "host" to choose), {"address": "/tmp/pdb.sock.1" or "host:port"}, {"ranks": "all"}';

/**
 * Opens the links `args` names (one, or one per waiting rank for `ranks: "all"`).
 * @throws AttachError with a message for the editor.
 */
export async function openTargets(args: AttachArguments): Promise<SessionLink[]> {
  const given = (['snapshot', 'rank', 'address', 'ranks'] as const).filter((k) => args[k] !== undefined && args[k] !== null);
  if (given.length === 0) throw new AttachError(`nothing to attach to: ${EXAMPLES}`);
  if (given.length > 1) throw new AttachError(`attach to one thing at a time (${given.join(' and ')} were given): ${EXAMPLES}`);
  const what = given[0];
  if (what === 'snapshot') return [openSnapshot(args)];
  return openRanks(args, what);
}

/** A waiting rank, an address, or every waiting rank: over the socket's structured protocol. */
async function openRanks(args: AttachArguments, what: 'rank' | 'address' | 'ranks'): Promise<SessionLink[]> {
  const { RankLink } = require('./rank-link') as typeof import('./rank-link');
  const registry = require('../front-ends/shared/registry') as typeof import('../front-ends/shared/registry');
  const job = optionalText(args, 'job');
  const host = optionalText(args, 'host');
  const token = optionalText(args, 'token');
  const open = async (address: string, entryToken: string | undefined): Promise<SessionLink> => {
    try {
      return await RankLink.open(address, token ?? entryToken);
    } catch (e) {
      throw new AttachError(e instanceof Error ? e.message : String(e));
    }
  };

  if (what === 'address') {
    if (typeof args.address !== 'string' || !args.address.trim())
      throw new AttachError(`"address" is a socket path (/tmp/pdb.sock.1) or host:port, not ${JSON.stringify(args.address)}`);
    const address = args.address.trim();
    // A TCP session's token is in the registry when the rank is this user's.
    const known = registry.list().find((e) => e.address === address);
    return [await open(address, known?.token)];
  }

  // A gone entry (another host's, its heartbeat silent for 15 s) is no session to attach to.
  const waiting = registry
    .list()
    .filter((e) => e.state !== 'gone' && (job === undefined || e.job === job) && (host === undefined || e.host === host));
  // A Unix socket or loopback bind of another host is not for this host (ts-pdb ls says so).
  const elsewhereOnly = (e: RegistryEntry): boolean => e.host !== os.hostname() && registry.reachOf(e) === 'host';
  const reachable = (e: RegistryEntry): boolean => (e.mode === 'socket' || e.mode === 'tcp') && !elsewhereOnly(e);
  if (what === 'rank') {
    const rank = rankNumber(args.rank);
    const of = waiting.filter((e) => e.rank === rank);
    const listed = of.filter(reachable);
    if (!listed.length) {
      const web = of.find((e) => e.mode === 'web');
      const far = of.find(elsewhereOnly);
      if (far)
        throw new AttachError(
          `rank ${rank} waits on host ${far.host} at ${far.address}, which other hosts cannot reach: run the adapter on ${far.host}, ` +
            `or start the job with IPDB_CONNECTION_TYPE=tcp IPDB_HOST=0.0.0.0`,
        );
      if (web)
        throw new AttachError(
          `rank ${rank} waits in web mode: open its page (${web.address}); ts-pdb dap attaches to socket and TCP sessions`,
        );
      throw new AttachError(`no waiting session of rank ${rank}${scope(job, host)} (ts-pdb ls lists the waiting sessions)`);
    }
    if (listed.length > 1) {
      throw new AttachError(
        `${listed.length} waiting sessions of rank ${rank}: ${listed.map(describeEntry).join('; ')}; say which with "job" or "host"`,
      );
    }
    return [await open(listed[0].address, listed[0].token)];
  }

  if (args.ranks !== 'all') throw new AttachError(`"ranks" takes "all" (every waiting rank of a job), not ${JSON.stringify(args.ranks)}`);
  const all = waiting.filter(reachable);
  if (!all.length) throw new AttachError(`no waiting socket or TCP session${scope(job, host)} (ts-pdb ls lists the waiting sessions)`);
  const jobs = [...new Set(all.map((e) => e.job ?? ''))];
  if (job === undefined && jobs.length > 1) {
    throw new AttachError(`waiting ranks of ${jobs.length} jobs (${jobs.map((j) => j || 'no job').join(', ')}): say which with "job"`);
  }
  const links = await Promise.allSettled(all.map((e) => open(e.address, e.token)));
  const opened = links.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (!opened.length) {
    const why = links.map((r, i) => (r.status === 'rejected' ? `rank ${all[i].rank}: ${(r.reason as Error).message}` : '')).filter(Boolean);
    throw new AttachError(`no waiting rank could be attached: ${why.join('; ')}`);
  }
  return opened;
}

/** A rank number as attach gives it (a number, or its digits in a string: a launch input's value). */
function rankNumber(v: unknown): number {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new AttachError(`"rank" is a rank number (0, 1, ...), not ${JSON.stringify(v)}`);
  return n;
}

/** An optional text argument; a mistake in its type is said. */
function optionalText(args: AttachArguments, key: 'job' | 'host' | 'token'): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new AttachError(`"${key}" is text, not ${JSON.stringify(v)}`);
  return String(v);
}

function scope(job: string | undefined, host: string | undefined): string {
  return [job !== undefined ? ` of job ${job}` : '', host !== undefined ? ` on host ${host}` : ''].join('');
}

function describeEntry(e: RegistryEntry): string {
  return `${e.address} (pid ${e.pid}, host ${e.host}${e.job !== undefined ? `, job ${e.job}` : ''})`;
}

function openSnapshot(args: AttachArguments): SessionLink {
  if (typeof args.snapshot !== 'string' || args.snapshot.trim() === '')
    throw new AttachError(`"snapshot" is the path of a snapshot file (*.tspdb.json.gz), not ${JSON.stringify(args.snapshot)}`);
  const cwd = typeof args.cwd === 'string' && args.cwd ? args.cwd : process.cwd();
  const file = path.resolve(cwd, args.snapshot);
  const { SnapshotLink } = require('./snapshot-link') as typeof import('./snapshot-link');
  try {
    return SnapshotLink.open(file);
  } catch (e) {
    throw new AttachError(e instanceof Error ? e.message : String(e));
  }
}
