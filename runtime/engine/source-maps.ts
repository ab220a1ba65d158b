/**
 * Maps compiled JavaScript positions back to the original source through the file's source map,
 * and reads source text. Never throws: without a usable map a position maps to itself.
 *
 * Maps are read once per file (`//# sourceMappingURL=` to an external `.map` or a `data:` URL);
 * original sources come from `sourcesContent` when the map carries them, else from disk.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LEAST_UPPER_BOUND, originalPositionFor, sourceContentFor, TraceMap } from '@jridgewell/trace-mapping';

/** A position in a file: 1-based line, 0-based column. */
export interface SourcePosition {
  file: string;
  line: number;
  col: number;
}

/** Files larger than this are not read for display (a bundled 50 MB file would stall the session). */
const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

const maps = new Map<string, TraceMap | null>();
const texts = new Map<string, string | null>();
const lineCache = new Map<string, string[] | null>();

/** Forgets every cached map and source text (tests; files rebuilt while a process runs). */
export function clearSourceCaches(): void {
  maps.clear();
  texts.clear();
  lineCache.clear();
}

/** Maps a compiled position to the original one; the same position when there is no map or no mapping. */
export function originalPosition(pos: SourcePosition): SourcePosition {
  const map = mapFor(pos.file);
  if (!map) return pos;
  try {
    const o = originalPositionFor(map, { line: pos.line, column: pos.col });
    if (o.source === null || o.line === null) {
      // Before the line's first mapping (indentation, a generated helper): the line's first mapping
      // is a better answer than the compiled file, whose text the user never wrote.
      const lo = originalPositionFor(map, { line: pos.line, column: pos.col, bias: LEAST_UPPER_BOUND });
      if (lo.source === null || lo.line === null) return pos;
      return { file: sourcePath(lo.source), line: lo.line, col: lo.column ?? 0 };
    }
    return { file: sourcePath(o.source), line: o.line, col: o.column ?? 0 };
  } catch {
    return pos;
  }
}

/** The text of a file (original or compiled), or undefined when it cannot be read. */
export function sourceText(file: string): string | undefined {
  const cached = texts.get(file);
  if (cached !== undefined) return cached ?? undefined;
  let text: string | null = null;
  try {
    const p = file.startsWith('file://') ? fileURLToPath(file) : file;
    const buf = readFileSync(p);
    if (buf.length <= MAX_SOURCE_BYTES) text = buf.toString('utf8');
  } catch {
    text = null;
  }
  texts.set(file, text);
  return text ?? undefined;
}

/** The lines of a file (without terminators), or undefined when it cannot be read. */
export function sourceLines(file: string): string[] | undefined {
  const cached = lineCache.get(file);
  if (cached !== undefined) return cached ?? undefined;
  const text = sourceText(file);
  const lines = text === undefined ? null : text.split(/\r?\n|\r|\u2028|\u2029/);
  // A final line terminator does not start another line (as editors and linecache count).
  if (lines && lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  lineCache.set(file, lines);
  return lines ?? undefined;
}

/** The parsed source map of a compiled file, or undefined. Cached per file, failures included. */
export function mapFor(file: string): TraceMap | undefined {
  const cached = maps.get(file);
  if (cached !== undefined) return cached ?? undefined;
  maps.set(file, null); // a failure below stays cached: one attempt per file
  const js = sourceText(file);
  if (js === undefined) return undefined;
  const url = lastMappingUrl(js);
  if (!url) return undefined;
  try {
    let json: string;
    let mapUrl: string;
    if (url.startsWith('data:')) {
      json = decodeDataUrl(url);
      mapUrl = pathToFileURL(file).href;
    } else {
      const mapPath = url.startsWith('file://') ? fileURLToPath(url) : path.resolve(path.dirname(file), decodeURI(url));
      json = readFileSync(mapPath, 'utf8');
      mapUrl = pathToFileURL(mapPath).href;
    }
    const map = new TraceMap(json, mapUrl);
    maps.set(file, map);
    rememberContents(map);
    return map;
  } catch {
    return undefined;
  }
}

/** The last `sourceMappingURL` comment of the file (the one that counts when several exist). */
function lastMappingUrl(js: string): string | undefined {
  const re = /(?:\/\/[#@]\s*sourceMappingURL=([^\s'"]+)\s*$)|(?:\/\*[#@]\s*sourceMappingURL=([^\s*'"]+)\s*\*\/\s*$)/gm;
  let last: string | undefined;
  for (let m = re.exec(js); m; m = re.exec(js)) last = m[1] ?? m[2];
  return last;
}

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(',');
  const meta = url.slice(5, comma);
  const data = url.slice(comma + 1);
  return /;base64$/i.test(meta) ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data);
}

/** Sources resolved against a `file://` map URL come back as `file://` URLs: show them as paths. */
function sourcePath(source: string): string {
  if (source.startsWith('file://')) {
    try {
      return fileURLToPath(source);
    } catch {
      return source;
    }
  }
  return source;
}

/** Keeps the `sourcesContent` of a map so that original sources display even when not on disk. */
function rememberContents(map: TraceMap): void {
  for (const source of map.resolvedSources) {
    if (source === null || source === undefined) continue;
    const content = sourceContentFor(map, source);
    const file = sourcePath(source);
    if (content !== null && content !== undefined && !texts.has(file)) {
      texts.set(file, content);
      lineCache.delete(file);
    }
  }
}
