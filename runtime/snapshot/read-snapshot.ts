/**
 * Reads a snapshot file: size, gzip, JSON, format and version, and the shape of every part, before
 * anything is made of it. A truncated, corrupt, hostile or newer-version file gets a one-line
 * error (never a stack trace, never a throw); nothing from the file is run: it is data for
 * decode-values.ts and snapshot-source.ts, which only build plain values from it.
 */
import * as fs from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type SnapshotFile } from './snapshot-format';

/** Bytes of a snapshot file read at most (compressed). Default 256 MB. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/**
 * Bytes of JSON a snapshot may expand to (a gzip bomb stops there). Default 256 MB: fifty times
 * the default size budget, and less than the longest string V8 makes (512 MB).
 */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
/**
 * What reading costs in memory, estimated before parsing: heap bytes per byte of JSON, and per
 * object or array (`{` or `[`) on top. Parsing takes up to about 28 bytes per byte of text, for
 * nested empty arrays (56 bytes each); restoring adds an object per node. Defaults 6 and 128.
 */
export const HEAP_PER_BYTE = 6;
export const HEAP_PER_CONTAINER = 128;
/** The share of the free heap a snapshot may take (what is left is for the session). Default 0.6. */
export const HEAP_SHARE = 0.6;

/** A snapshot read, or why not (one line). */
export type ReadResult = { ok: true; snapshot: SnapshotFile } | { ok: false; error: string };

/** Reads and checks the snapshot at `file`. Never throws. */
export function readSnapshot(file: string): ReadResult {
  let data: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return fail(`${file} is not a file`);
    if (st.size > MAX_FILE_BYTES) return fail(`${file} is ${st.size} bytes, more than a snapshot can be (${MAX_FILE_BYTES})`);
    data = fs.readFileSync(file);
  } catch (e) {
    return fail(`cannot read ${file}: ${oneLine(e)}`);
  }
  return parseSnapshot(data, file);
}

/** Checks a snapshot's bytes (gzip-compressed JSON). `name` is how errors name it. Never throws. */
export function parseSnapshot(data: Buffer, name = 'the snapshot'): ReadResult {
  if (data.length < 2 || data[0] !== 0x1f || data[1] !== 0x8b) return fail(`${name} is not a ts-pdb snapshot (not gzip-compressed)`);
  let json: Buffer;
  try {
    json = gunzipSync(data, { maxOutputLength: MAX_JSON_BYTES });
  } catch (e) {
    if ((e as { code?: unknown })?.code === 'ERR_BUFFER_TOO_LARGE')
      return fail(
        `${name} is not a snapshot ts-pdb can open: it expands to more than ${mb(MAX_JSON_BYTES)} MB (a snapshot is at most that)`,
      );
    const why = /unexpected end/i.test(oneLine(e)) ? 'it is truncated' : `it cannot be decompressed (${oneLine(e)})`;
    return fail(`${name} is damaged: ${why}`);
  }
  // A small file can expand to JSON whose parse alone outgrows the heap (a fatal, uncatchable
  // out-of-memory crash after many seconds): refuse it before parsing.
  const need = json.length * HEAP_PER_BYTE + containers(json) * HEAP_PER_CONTAINER;
  const free = freeHeap();
  if (need > free * HEAP_SHARE) {
    return fail(
      `${name} is too big to open with this process's memory: reading it takes about ${mb(need)} MB, and ${mb(free)} MB are free ` +
        '(NODE_OPTIONS=--max-old-space-size=MB gives more)',
    );
  }
  let text: string;
  try {
    text = json.toString('utf8');
  } catch (e) {
    return fail(`${name} cannot be read: ${oneLine(e)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return fail(`${name} is damaged: its JSON does not parse (${oneLine(e)})`);
  }
  if (!isRecord(doc) || doc.format !== SNAPSHOT_FORMAT) return fail(`${name} is not a ts-pdb snapshot (no "format": "${SNAPSHOT_FORMAT}")`);
  if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1)
    return fail(`${name} has no valid format version`);
  if (doc.version > SNAPSHOT_VERSION) {
    return fail(
      `${name} was written by a newer ts-pdb (snapshot format ${doc.version}; this ts-pdb reads ${SNAPSHOT_VERSION}): upgrade ts-pdb to open it`,
    );
  }
  const problem = checkShape(doc);
  if (problem) return fail(`${name} is damaged or not a ts-pdb snapshot: ${problem}`);
  return { ok: true, snapshot: doc as unknown as SnapshotFile };
}

/** The number of `{` and `[` bytes: at least the objects and arrays the JSON makes. */
function containers(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x7b || b === 0x5b) n++;
  }
  return n;
}

function freeHeap(): number {
  const h = getHeapStatistics();
  return Math.max(0, h.heap_size_limit - h.used_heap_size);
}

const mb = (bytes: number): number => Math.ceil(bytes / (1024 * 1024));

function fail(error: string): ReadResult {
  return { ok: false, error: error.replace(/\s*\n\s*/g, ' ') };
}

/** An error's message in one line of at most 300 characters (never throws). */
export function oneLine(e: unknown): string {
  try {
    const m = (e as Error)?.message;
    return (typeof m === 'string' ? m : String(e)).split('\n')[0].slice(0, 300);
  } catch {
    return 'unknown error';
  }
}

type Rec = Record<string, unknown>;
function isRecord(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A shape error: thrown inside the check with the path of the part at fault, caught at its top. */
class Bad {
  constructor(readonly where: string) {}
}
function need(ok: boolean, where: string): asserts ok {
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (!ok) throw new Bad(where);
}
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown, max = Number.MAX_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
const optStr = (v: unknown): boolean => v === undefined || isStr(v);
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
// Lines and columns are whole numbers: a listing counts lines from them.
const optInt = (v: unknown): boolean => v === undefined || isInt(v);
const MAX_LENGTH = 2 ** 32 - 1;

/** The first shape error of a document whose format and version are known, or undefined. */
function checkShape(doc: Rec): string | undefined {
  try {
    const count = Array.isArray(doc.values) ? doc.values.length : -1;
    need(count >= 0, 'values');
    const ref = (v: unknown, where: string, hole = false): void => checkRef(v, where, count, hole);
    (doc.values as unknown[]).forEach((n, i) => checkNode(n, `values[${i}]`, ref));
    ref(doc.thrown, 'thrown');
    checkProcess(doc.process);
    need(isRecord(doc.session), 'session');
    const s = doc.session;
    need(optStr(s.where) && optBool(s.uncaught) && optBool(s.breakpoint) && optBool(s.transformed), 'session');
    need(
      s.boundary === undefined || (isRecord(s.boundary) && isStr(s.boundary.name) && typeof s.boundary.retry === 'boolean'),
      'session.boundary',
    );
    need(Array.isArray(doc.modules), 'modules');
    const modules = doc.modules as unknown[];
    modules.forEach((m, i) => {
      need(isRecord(m) && isStr(m.file) && Array.isArray(m.bindings), `modules[${i}]`);
      (m.bindings as unknown[]).forEach((b, j) => {
        need(Array.isArray(b) && b.length === 2 && isStr(b[0]), `modules[${i}].bindings[${j}]`);
        ref(b[1], `modules[${i}].bindings[${j}]`);
      });
    });
    need(Array.isArray(doc.errors) && doc.errors.length > 0, 'errors');
    (doc.errors as unknown[]).forEach((e, i) => {
      need(isRecord(e) && isStr(e.label) && Array.isArray(e.frames), `errors[${i}]`);
      ref(e.value, `errors[${i}].value`);
      (e.frames as unknown[]).forEach((f, j) => checkFrame(f, `errors[${i}].frames[${j}]`, ref, modules.length));
    });
    need(isRecord(doc.sources), 'sources');
    for (const [file, src] of Object.entries(doc.sources)) {
      need(
        isRecord(src) && optStr(src.text) && (src.cut === undefined || (isRecord(src.cut) && isInt(src.cut.bytes) && isInt(src.cut.cap))),
        `sources[${JSON.stringify(file).slice(0, 80)}]`,
      );
    }
    need(isRecord(doc.budget), 'budget');
    return undefined;
  } catch (e) {
    if (e instanceof Bad) return `${e.where} is not as the format says`;
    return `it cannot be checked (${oneLine(e)})`;
  }
}

function checkRef(v: unknown, where: string, count: number, hole = false): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') return need(Number.isFinite(v), where);
  need(Array.isArray(v) && v.length >= 1, where);
  const a = v as unknown[];
  switch (a[0]) {
    case 'u':
    case 'U':
    case 'A':
    case 'R':
      return need(a.length === 1, where);
    case 'h':
      return need(hole && a.length === 1, where);
    case 'n':
      return need(a.length === 2 && ['NaN', 'Infinity', '-Infinity', '-0'].includes(a[1] as string), where);
    case 'b':
      return need(a.length === 2 && isStr(a[1]) && /^-?\d{1,100000}$/.test(a[1]), where);
    case 'y':
      return need((a.length === 3 || (a.length === 4 && a[3] === 1)) && (a[1] === null || isStr(a[1])) && isInt(a[2]), where);
    case 'c':
      return need(a.length === 3 && (a[1] === 'depth' || a[1] === 'size') && isStr(a[2]) && a[2].length <= 1000, where);
    case 'o':
      return need(a.length === 2 && isInt(a[1]) && a[1] < count, where);
    case 's':
      return need(a.length === 3 && isStr(a[1]) && isInt(a[2]) && a[2] >= a[1].length, where);
    default:
      need(false, where);
  }
}

function checkNode(n: unknown, where: string, ref: (v: unknown, where: string, hole?: boolean) => void): void {
  need(isRecord(n) && isStr(n.t), where);
  need(n.cls === undefined || (Array.isArray(n.cls) && n.cls.length <= 1000 && n.cls.every(isStr)), `${where}.cls`);
  need(
    n.methods === undefined ||
      (Array.isArray(n.methods) && n.methods.length <= 1000 && n.methods.every((m) => Array.isArray(m) && m.every(isStr))),
    `${where}.methods`,
  );
  need(n.base === undefined || n.base === null || isStr(n.base), `${where}.base`);
  need(n.more === undefined || isInt(n.more), `${where}.more`);
  if (n.props !== undefined) {
    need(Array.isArray(n.props), `${where}.props`);
    (n.props as unknown[]).forEach((p, i) => {
      const at = `${where}.props[${i}]`;
      need(Array.isArray(p) && (p.length === 2 || (p.length === 3 && isStr(p[2]) && /^h?g?s?$/.test(p[2]))), at);
      const key = (p as unknown[])[0];
      if (!isStr(key)) checkRef(key, at, 0);
      need(isStr(key) || (Array.isArray(key) && key[0] === 'y'), at);
      ref((p as unknown[])[1], at);
    });
  }
  const items = (list: unknown, hole = false): void => {
    need(Array.isArray(list), `${where}.items`);
    (list as unknown[]).forEach((v, i) => ref(v, `${where}.items[${i}]`, hole));
  };
  switch (n.t) {
    case 'object':
      return;
    case 'array':
      need(isInt(n.len, MAX_LENGTH) && Array.isArray(n.items) && n.items.length <= n.len, `${where}.len`);
      return items(n.items, true);
    case 'map':
      need(isInt(n.size) && Array.isArray(n.entries), `${where}.entries`);
      (n.entries as unknown[]).forEach((e, i) => {
        need(Array.isArray(e) && e.length === 2, `${where}.entries[${i}]`);
        ref((e as unknown[])[0], `${where}.entries[${i}]`);
        ref((e as unknown[])[1], `${where}.entries[${i}]`);
      });
      return;
    case 'set':
      need(isInt(n.size), `${where}.size`);
      return items(n.items);
    case 'typed':
      need(isStr(n.ctor) && isInt(n.len) && Array.isArray(n.items) && n.items.length <= n.len && n.items.length <= 1e7, `${where}.len`);
      return items(n.items);
    case 'buffer':
      return need(isStr(n.ctor) && isInt(n.len) && isStr(n.hex) && /^(?:[0-9a-f]{2})*$/.test(n.hex), where);
    case 'date':
      return need(n.time === null || (typeof n.time === 'number' && Number.isFinite(n.time)), `${where}.time`);
    case 'regexp':
      return need(isStr(n.source) && isStr(n.flags), where);
    case 'error':
      return need(optStr(n.name) && optStr(n.message) && optStr(n.stack), where);
    case 'function':
      return need(
        isStr(n.name) &&
          isStr(n.src) &&
          optStr(n.ext) &&
          ['class', 'function', 'arrow', 'async', 'generator', 'asyncgen'].includes(n.kind as string),
        where,
      );
    case 'opaque':
      return need(isStr(n.type) && isStr(n.text), where);
    case 'cut':
      return need(isStr(n.label) && (n.why === 'depth' || n.why === 'size'), where);
    default:
      need(false, `${where}.t`);
  }
}

function checkProcess(p: unknown): void {
  need(isRecord(p), 'process');
  need(isStr(p.time) && isStr(p.host) && isInt(p.pid) && isInt(p.rank) && isStr(p.cwd) && isStr(p.node) && isStr(p.tsPdb), 'process');
  need(p.worldSize === undefined || isInt(p.worldSize), 'process.worldSize');
  need(optStr(p.jobId), 'process.jobId');
  need(Array.isArray(p.argv) && p.argv.every(isStr), 'process.argv');
  need(isRecord(p.env) && Object.values(p.env).every(isStr), 'process.env');
  need(Array.isArray(p.redactedEnv) && p.redactedEnv.every(isStr), 'process.redactedEnv');
}

const KINDS = ['file', 'node', 'native', 'eval', 'unknown', 'record'];
const BINDING_KINDS = ['param', 'var', 'let', 'const', 'function', 'class', 'catch', 'using', 'closure', 'session'];

function checkFrame(f: unknown, where: string, ref: (v: unknown, where: string) => void, modules: number): void {
  need(isRecord(f) && isStr(f.name) && KINDS.includes(f.kind as string), where);
  need(optStr(f.file) && optInt(f.line) && optInt(f.col) && optStr(f.unmappedFrom), where);
  need(
    typeof f.instrumented === 'boolean' && typeof f.selectable === 'boolean' && typeof f.hasThis === 'boolean' && optBool(f.capturedLater),
    where,
  );
  need(f.module === undefined || (isInt(f.module) && f.module < modules), `${where}.module`);
  if (f.this !== undefined) ref(f.this, `${where}.this`);
  for (const list of ['locals', 'closure'] as const) {
    need(Array.isArray(f[list]), `${where}.${list}`);
    (f[list] as unknown[]).forEach((b, i) => {
      need(Array.isArray(b) && b.length === 3 && isStr(b[0]) && BINDING_KINDS.includes(b[1] as string), `${where}.${list}[${i}]`);
      ref((b as unknown[])[2], `${where}.${list}[${i}]`);
    });
  }
  if (f.stack !== undefined) {
    const s = f.stack;
    need(isRecord(s) && isStr(s.name) && isStr(s.text) && KINDS.includes(s.kind as string), `${where}.stack`);
    need(optStr(s.file) && optInt(s.line) && optInt(s.col) && optStr(s.alias) && optStr(s.evalOrigin), `${where}.stack`);
    need(typeof s.isAsync === 'boolean' && typeof s.isConstructor === 'boolean', `${where}.stack`);
  }
  if (f.meta !== undefined) {
    const m = f.meta;
    need(isRecord(m) && isStr(m.name) && [m.line, m.col, m.endLine, m.endCol].every((x) => isInt(x)), `${where}.meta`);
    need(Array.isArray(m.names) && m.names.every(isStr) && Array.isArray(m.kinds) && m.kinds.every(isStr), `${where}.meta`);
    need(
      Array.isArray(m.closure) && m.closure.every(isStr) && typeof m.boundary === 'boolean' && typeof m.hasThis === 'boolean',
      `${where}.meta`,
    );
  }
}
