/**
 * Tab completion: command names at the start of a line, names in scope, and property names after
 * a `.`. Completion never runs program code: the object before the `.` is found by walking data
 * properties only (a getter or a Proxy on the way gives no completions).
 */
import { types } from 'node:util';
import { UNAVAILABLE, UNINITIALIZED } from '../records';
import { isParameterName } from './evaluate';
import { moduleNames, readModuleBinding } from './module-bindings';
import type { Frame } from './frames';

/** Names offered at most per completion. */
const MAX_CANDIDATES = 500;

const WORDS = [
  'await',
  'class',
  'const',
  'delete',
  'false',
  'function',
  'globalThis',
  'in',
  'instanceof',
  'let',
  'new',
  'null',
  'this',
  'true',
  'typeof',
  'undefined',
  'var',
  'void',
  'locals',
  'globals',
];

/**
 * Completes `line` as readline wants it: `[candidates, substring]`, where each candidate replaces
 * `substring`, the end of the line. `commands` are offered for the first word only.
 *
 * After a dot, `substring` is the word after the last dot and the candidates are property names
 * (`p Math.LN` gives `[['LN10', 'LN2'], 'LN']`), as bash completes the last part of a path: a
 * terminal lists `LN10  LN2`, not `Math.LN10  Math.LN2`, and inserting works the same either way.
 */
export function completeLine(line: string, frame: Frame | undefined, commands: readonly string[]): [string[], string] {
  try {
    const m = /((?:[$\p{ID_Start}_][$\u200c\u200d\p{ID_Continue}]*\s*\.\s*)*)([$\p{ID_Start}_][$\u200c\u200d\p{ID_Continue}]*)?$/u.exec(
      line,
    );
    const chain = m?.[1] ?? '';
    const partial = m?.[2] ?? '';
    const before = line.slice(0, line.length - (chain + partial).length);
    const out = new Set<string>();
    if (chain) {
      const base = resolveChain(
        chain
          .split('.')
          .map((s) => s.trim())
          .filter(Boolean),
        frame,
      );
      if (base.found) for (const p of propertyNames(base.value)) if (p.startsWith(partial)) out.add(p);
    } else {
      if (before.trim() === '') for (const c of commands) if (c.startsWith(partial)) out.add(c);
      if (before.trim() !== '' || partial) for (const n of scopeNames(frame)) if (n.startsWith(partial)) out.add(n);
    }
    return [[...out].sort().slice(0, MAX_CANDIDATES), partial];
  } catch {
    return [[], line];
  }
}

/** Every name an expression in `frame` can use: locals, free variables, module bindings, globals. */
export function scopeNames(frame: Frame | undefined): string[] {
  const names = new Set<string>();
  if (frame) {
    for (const k of frame.locals.keys()) names.add(k);
    for (const k of frame.closure.keys()) names.add(k);
    for (const k of moduleNames(frame.mod)) names.add(k);
  }
  for (const w of WORDS) names.add(w);
  for (const k of propertyNames(globalThis)) names.add(k);
  return [...names].filter(isParameterName).concat(WORDS.filter((w) => !isParameterName(w)));
}

function resolveChain(parts: string[], frame: Frame | undefined): { found: boolean; value?: unknown } {
  if (parts.length === 0) return { found: false };
  const [head, ...rest] = parts;
  let value: unknown;
  const local = frame?.locals.get(head) ?? frame?.closure.get(head);
  if (head === 'this' && frame?.hasThis) value = frame.thisValue;
  else if (local) value = local.get();
  else if (frame?.mod && moduleNames(frame.mod).includes(head)) {
    const r = readModuleBinding(frame.mod, head);
    if (!r.ok) return { found: false };
    value = r.value;
  } else {
    const d = dataProperty(globalThis, head);
    if (!d.found) return { found: false };
    value = d.value;
  }
  for (const key of rest) {
    if (value === UNINITIALIZED || value === UNAVAILABLE) return { found: false };
    const d = dataProperty(value, key);
    if (!d.found) return { found: false };
    value = d.value;
  }
  return value === UNINITIALIZED || value === UNAVAILABLE ? { found: false } : { found: true, value };
}

/** A data property found along the prototype chain; never calls a getter or a Proxy trap. */
function dataProperty(value: unknown, key: string): { found: boolean; value?: unknown } {
  if (value === null || value === undefined) return { found: false };
  let o: unknown = typeof value === 'object' || typeof value === 'function' ? value : Object(value);
  for (let hops = 0; o !== null && hops < 100; hops++) {
    if (types.isProxy(o)) return { found: false };
    const d = Object.getOwnPropertyDescriptor(o, key);
    if (d) return 'value' in d ? { found: true, value: d.value } : { found: false };
    o = Object.getPrototypeOf(o);
  }
  return { found: false };
}

/** String property names of a value and its prototypes (identifiers only), without running code. */
function propertyNames(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const names = new Set<string>();
  let o: unknown = typeof value === 'object' || typeof value === 'function' ? value : Object(value);
  for (let hops = 0; o !== null && hops < 100 && names.size < MAX_CANDIDATES * 4; hops++) {
    if (types.isProxy(o)) break;
    try {
      for (const k of Object.getOwnPropertyNames(o)) if (isIdentifier(k)) names.add(k);
      o = Object.getPrototypeOf(o);
    } catch {
      break;
    }
  }
  names.delete('constructor');
  return [...names];
}

function isIdentifier(k: string): boolean {
  return /^[$\p{ID_Start}_][$\u200c\u200d\p{ID_Continue}]*$/u.test(k) && !k.startsWith('__');
}
