// Shared by the snapshot tests: the compiled snapshot modules, a round trip of values through the
// file's JSON, and a snapshot of a real error captured by the transcript fixtures.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { capture, LiveFrameSource, ROOT, thrownBy } from '../transcripts/harness.mjs';

const require = createRequire(import.meta.url);
const dist = (p) => require(join(ROOT, 'dist', 'runtime', p));

export const { ValueEncoder } = dist('snapshot/encode-values.js');
export const decode = dist('snapshot/decode-values.js');
export const { takeSnapshot } = dist('snapshot/take-snapshot.js');
export const redaction = dist('snapshot/redaction.js');
export const writer = dist('snapshot/write-snapshot.js');
export const reader = dist('snapshot/read-snapshot.js');
export const { SnapshotFrameSource } = dist('snapshot/snapshot-source.js');
export const format = dist('render/format.js');

/**
 * Encodes `values` (an object of named roots) with `limits`, passes the graph through JSON text
 * (as the file holds it), and decodes it: the restored roots, by name, and the graph.
 */
export function roundTrip(values, limits = {}) {
  const enc = new ValueEncoder(limits);
  const refs = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, enc.root(v, k)]));
  const graph = JSON.parse(JSON.stringify({ refs, values: enc.finish() }));
  const dec = new decode.ValueDecoder(graph.values);
  const restored = Object.fromEntries(Object.entries(graph.refs).map(([k, r]) => [k, dec.value(r)]));
  return { restored, graph, counts: enc.counts };
}

/** No redaction (IPDB_REDACT unset). */
export const NO_REDACTION = redaction.redactionOf(undefined).redaction;

/**
 * The live frame source of what `fn` throws through the instrumented fixture, and a snapshot of it
 * read back from gzip bytes (as from a file). `stackLimit` as in harness.mjs's sessionOn.
 */
export async function liveAndSnapshot(fn, { stackLimit, facts = {}, limits = {} } = {}) {
  const saved = Error.stackTraceLimit;
  if (stackLimit !== undefined) Error.stackTraceLimit = stackLimit;
  let err;
  try {
    err = await thrownBy(fn);
  } finally {
    Error.stackTraceLimit = saved;
  }
  const live = new LiveFrameSource(err, capture.captureOf(err, false));
  const snapshot = takeSnapshot(live, { rank: 0, tsPdb: '0.1.0', ...facts }, NO_REDACTION, limits);
  const read = reader.parseSnapshot(gzipSync(JSON.stringify(snapshot)));
  if (!read.ok) throw new Error(read.error);
  return { live, snapshot: read.snapshot, source: new SnapshotFrameSource(read.snapshot) };
}
