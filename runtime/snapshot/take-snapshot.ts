/**
 * Takes a snapshot: from a frame source (the live capture of this process, engine/live-source.ts)
 * and the facts about the process, the document of snapshot-format.ts, ready to be written. Every
 * frame of every error of the chain is kept; the size budget cuts values (depth and breadth) and
 * the inlined source files, never a frame. Reads values through the encoder only (nothing of the
 * program runs) and the environment through the redaction.
 */
import * as os from 'node:os';
import { types } from 'node:util';
import { errorChain } from '../engine/error-chain';
import { moduleNames, readModuleBinding } from '../engine/module-bindings';
import type { FrameSource } from '../engine/frame-source';
import type { Binding, Frame } from '../engine/frames';
import type { ModuleDesc } from '../records';
import { ValueEncoder } from './encode-values';
import { type Redaction, redactEnvironment } from './redaction';
import {
  type BindingEntry,
  type FrameEntry,
  type ModuleEntry,
  type ProcessEntry,
  type SnapshotFile,
  type SourceEntry,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
} from './snapshot-format';

/** Bytes of one source file inlined at most. Default 1 MB. */
export const SOURCE_CAP = 1024 * 1024;
/** Share of the size budget the inlined sources may take together. Default 0.4. */
export const SOURCES_SHARE = 0.4;

/** What the writer knows besides the frames. */
export interface SnapshotFacts {
  /** This process's rank (0 when it has none) and the job's size. */
  rank: number;
  worldSize?: number;
  /** The launcher's job id (TORCHELASTIC_RUN_ID, SLURM_JOB_ID, ...), when there is one. */
  jobId?: string;
  /** Where the session opened (the banner's `Exception caught in X`); default: the source's boundary. */
  where?: string;
  /** An error nobody caught. */
  uncaught?: boolean;
  /** A stop at a breakpoint (`breakpoint()`), not an error. */
  breakpoint?: boolean;
  /** False when the code was built without the transform. Default true. */
  transformed?: boolean;
  /** The time of the snapshot. Default now. */
  time?: Date;
  /** The ts-pdb version. */
  tsPdb: string;
  /** The environment (default process.env), redacted as `redaction` says. */
  env?: NodeJS.ProcessEnv;
}

/** The limits of a snapshot. */
export interface SnapshotLimits {
  /** The size budget of the JSON, in bytes (IPDB_DUMP_MAX_MB). Default 5 MB. */
  maxBytes?: number;
  /** Nesting levels of values recorded. Default 32. */
  maxDepth?: number;
  /** Items and keys of one value recorded. Default 1000. */
  maxBreadth?: number;
}

/** The snapshot of `source`'s frames. Never throws for a value of the program (a fault of ts-pdb's own may throw). */
export function takeSnapshot(source: FrameSource, facts: SnapshotFacts, redaction: Redaction, limits: SnapshotLimits = {}): SnapshotFile {
  const maxBytes = limits.maxBytes ?? 5 * 1024 * 1024;
  const chain = errorChain(source.thrown);
  const framesByError = chain.map((entry) => safeFrames(source, entry.value));

  // Sources first: they are few, and `l` needs them whole or not at all.
  const sources: Record<string, SourceEntry> = {};
  let sourceBytes = 0;
  for (const frames of framesByError) {
    for (const f of frames) {
      if (!f.file || f.file in sources || !f.selectable) continue;
      const lines = safeLines(f);
      if (!lines) continue;
      const text = lines.join('\n');
      const cap = Math.min(SOURCE_CAP, Math.max(0, maxBytes * SOURCES_SHARE - sourceBytes));
      if (text.length > cap) {
        sources[f.file] = { cut: { bytes: text.length, cap } };
      } else {
        sources[f.file] = { text };
        sourceBytes += text.length;
      }
    }
  }

  const encoder = new ValueEncoder({
    maxBytes: Math.max(maxBytes - sourceBytes - 64 * 1024, maxBytes / 4),
    maxDepth: limits.maxDepth,
    maxBreadth: limits.maxBreadth,
    redact: redaction.names === false ? undefined : (name) => redaction.name(name),
  });
  // Roots in the order a user looks: the thrown value and its chain, then each frame's locals.
  const thrown = encoder.root(source.thrown);
  const errorRefs = chain.map((entry) => encoder.root(entry.value));
  const modules: ModuleEntry[] = [];
  const moduleIndex = new Map<ModuleDesc, number>();
  const moduleOf = (mod: ModuleDesc | undefined): number | undefined => {
    if (!mod) return undefined;
    let i = moduleIndex.get(mod);
    if (i === undefined) {
      moduleIndex.set(mod, (i = modules.length));
      const bindings: [string, ReturnType<ValueEncoder['root']>][] = [];
      for (const name of moduleNames(mod)) {
        const r = readModuleBinding(mod, name);
        bindings.push([name, r.ok ? encoder.root(name === 'module' ? loaderModule(r.value) : r.value, name) : ['U']]);
      }
      modules.push({ file: mod.file, bindings });
    }
    return i;
  };
  const errors = chain.map((entry, i) => ({
    value: errorRefs[i],
    label: entry.label,
    frames: framesByError[i].map((f) => frameEntry(f, encoder, moduleOf)),
  }));
  const values = encoder.finish();

  const { env, redacted } = redactEnvironment(facts.env ?? process.env, redaction);
  const proc: ProcessEntry = {
    time: (facts.time ?? new Date()).toISOString(),
    host: os.hostname(),
    pid: process.pid,
    rank: facts.rank,
    ...(facts.worldSize !== undefined ? { worldSize: facts.worldSize } : {}),
    ...(facts.jobId !== undefined ? { jobId: facts.jobId } : {}),
    argv: process.argv.slice(),
    cwd: process.cwd(),
    node: process.version,
    tsPdb: facts.tsPdb,
    env,
    redactedEnv: redacted,
  };
  const boundary = safeBoundary(source);
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    process: proc,
    session: {
      ...((facts.where ?? boundary?.name) !== undefined ? { where: facts.where ?? boundary?.name } : {}),
      ...(boundary ? { boundary } : {}),
      ...(facts.uncaught ? { uncaught: true } : {}),
      ...(facts.breakpoint ? { breakpoint: true } : {}),
      ...(facts.transformed === false ? { transformed: false } : {}),
    },
    thrown,
    errors,
    modules,
    sources,
    values,
    budget: { maxBytes, ...encoder.counts },
  };
}

/**
 * A CommonJS module's `module` as the snapshot keeps it: its own fields but `children` and `parent`,
 * which lead through Node's loader into every module of the process and their exports (ts-pdb's
 * own among them): hundreds of KB that nobody debugging this module asked for, and the time to
 * write them. Any other value is itself.
 */
function loaderModule(value: unknown): unknown {
  const { Module } = require('node:module') as { Module: { new (...args: never[]): object; prototype: object } };
  if (typeof value !== 'object' || value === null || types.isProxy(value) || !(value instanceof Module)) return value;
  const copy = Object.create(Module.prototype) as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (!d || !('value' in d)) continue;
    const v = d.value as unknown;
    if (key === 'children' && Array.isArray(v)) copy.children = `[${v.length} modules: not in the snapshot]`;
    else if (key === 'parent' && v) copy.parent = '[a module: not in the snapshot]';
    else copy[key] = v;
  }
  return copy;
}

function frameEntry(f: Frame, encoder: ValueEncoder, moduleOf: (mod: ModuleDesc | undefined) => number | undefined): FrameEntry {
  const bindings = (map: Map<string, Binding>): BindingEntry[] =>
    [...map.values()].map((b) => [b.name, b.kind, encoder.root(safeGet(b), b.name)]);
  const out: FrameEntry = {
    name: f.name,
    kind: f.kind,
    instrumented: f.instrumented,
    selectable: f.selectable,
    hasThis: f.hasThis,
    locals: bindings(f.locals),
    closure: bindings(f.closure),
  };
  if (f.file !== undefined) out.file = f.file;
  if (f.line !== undefined) out.line = f.line;
  if (f.col !== undefined) out.col = f.col;
  if (f.stack) out.stack = { ...f.stack };
  if (f.capturedLater) out.capturedLater = true;
  if (f.unmappedFrom) out.unmappedFrom = f.unmappedFrom;
  // The capture's metadata is data parsed from the module's JSON (records.ts `metaOf`): written as it is.
  if (f.meta) out.meta = f.meta;
  if (f.hasThis) out.this = encoder.root(f.thisValue);
  const m = moduleOf(f.mod);
  if (m !== undefined) out.module = m;
  return out;
}

function safeFrames(source: FrameSource, value: unknown): Frame[] {
  try {
    return source.framesOf(value);
  } catch {
    return [];
  }
}

function safeLines(f: Frame): string[] | undefined {
  try {
    return f.lines();
  } catch {
    return undefined;
  }
}

function safeGet(b: Binding): unknown {
  try {
    return b.get();
  } catch {
    return undefined;
  }
}

function safeBoundary(source: FrameSource): { name: string; retry: boolean } | undefined {
  try {
    return source.boundary();
  } catch {
    return undefined;
  }
}
