/**
 * What an `attach` request names, and the links it opens (docs/dap-design.md): a snapshot file
 * (`{ "snapshot": FILE }`), a waiting rank from the registry (`{ "rank": 1 }`, with `job` or `host`
 * to choose among several), an address (`{ "address": "/tmp/pdb.sock.1" }` or `"host:port"`, with
 * the token from the registry or `token`), or every waiting rank of a job (`{ "ranks": "all" }`).
 * A mistake in the arguments is an Error whose message the editor shows.
 */
import * as path from 'node:path';
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
function openRanks(_args: AttachArguments, what: 'rank' | 'address' | 'ranks'): Promise<SessionLink[]> {
  return Promise.reject(new AttachError(`attach by ${what}: not built yet`));
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
