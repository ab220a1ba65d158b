// Generates a realistic TypeScript project for the build-cost benchmark (test/bench/build-cost.mjs):
// deterministic for a given seed, strict-mode clean under `tsc`.
//
//   src/shared.ts       interfaces, a Result type, helpers, a generic Registry class
//   src/mNNN.ts         one module each: an API every later module may import (sumNNN,
//                       StoreNNN, loadNNN, RecNNN), then blocks drawn from the templates below
//                       (classes with getters and generic methods, loops with let/const,
//                       destructuring, try/catch/finally, async functions, generators, unions and
//                       switch, arrow-function pipelines, subclasses), then a block that uses the
//                       API of 2 to 4 earlier modules
//   src/index.ts        imports every module's API and calls it
//
// About 1 function in 8 is marked `// @debuggable`, about 1 method in 5 `@attachOnError()`
// (imported from 'ts-pdb', as examples/your-script.ts does).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded PRNG; the same seed gives the same project. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const pad = (n) => String(n).padStart(3, '0');

const SHARED = `// Shared types and helpers of the generated project.
export interface Entity {
  id: number;
  name: string;
}

export interface Point {
  x: number;
  y: number;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: string): Result<T> {
  return { ok: false, error };
}

export class Registry<T extends Entity> {
  private readonly byId = new Map<number, T>();

  register(entity: T): this {
    this.byId.set(entity.id, entity);
    return this;
  }

  get(id: number): T | undefined {
    return this.byId.get(id);
  }

  find(predicate: (entity: T) => boolean): T[] {
    const found: T[] = [];
    for (const entity of this.byId.values()) {
      if (predicate(entity)) found.push(entity);
    }
    return found;
  }

  get size(): number {
    return this.byId.size;
  }
}
`;

/** The API of module m: what later modules import. */
function api(m, r) {
  const k = r.int(2, 9);
  return `export interface Rec${m} extends Entity {
  score: number;
  tags: string[];
  pos: Point;
}

${r.chance(0.15) ? '// @debuggable\n' : ''}export function sum${m}(xs: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (Number.isFinite(x)) total += x * ${k};
  }
  return total;
}

export class Store${m}<T extends Entity> extends Registry<T> {
  private hits = 0;

  constructor(private readonly label: string = 'store${m}') {
    super();
  }
${r.chance(0.3) ? '\n  @attachOnError()' : ''}
  lookup(id: number): T {
    this.hits++;
    const found = this.get(id);
    if (!found) throw new RangeError(\`\${this.label}: no entity \${id}\`);
    return found;
  }

  get hitCount(): number {
    return this.hits;
  }
}

export async function load${m}(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = await Promise.resolve(i * ${k});
    out.push(v);
  }
  return out;
}
`;
}

// Each template: (s: a unique suffix, r: the PRNG, mark: '// @debuggable\n' or '', dec: '  @attachOnError()\n' or '') => text.
const TEMPLATES = [
  // A generic class with a parameter property, getters, destructuring in loops.
  (s, r, mark, dec) => `export interface Item${s} extends Entity {
  weight: number;
  tags: string[];
  pos: Point;
}

export class Inventory${s}<T extends Item${s}> {
  private readonly items = new Map<number, T>();
  private total = 0;

  constructor(private readonly limit: number = ${r.int(10, 500)}) {}

  add(item: T): boolean {
    if (this.items.size >= this.limit) return false;
    this.items.set(item.id, item);
    this.total += item.weight;
    return true;
  }

${dec}  heaviest(count: number): T[] {
    const all = [...this.items.values()];
    all.sort((a, b) => b.weight - a.weight);
    const out: T[] = [];
    for (let i = 0; i < Math.min(count, all.length); i++) {
      const { weight, tags } = all[i];
      if (weight > ${r.int(1, 50)} && tags.length > 0) out.push(all[i]);
    }
    return out;
  }

  get size(): number {
    return this.items.size;
  }

  get average(): number {
    return this.items.size ? this.total / this.items.size : 0;
  }

  byTag(tag: string): T[] {
    return [...this.items.values()].filter((it) => it.tags.includes(tag));
  }

  centroid(): Point {
    let x = 0;
    let y = 0;
    for (const { pos } of this.items.values()) {
      x += pos.x;
      y += pos.y;
    }
    const n = Math.max(1, this.items.size);
    return { x: x / n, y: y / n };
  }
}
`,
  // Parsing with try/catch, continue, template literals.
  (s, r, mark) => `${mark}export function parse${s}(text: string, scale = ${r.int(1, 9)}): Result<number[]> {
  const out: number[] = [];
  const parts = text.split('${r.pick([',', ';', '|'])}');
  try {
    for (const raw of parts) {
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      const value = Number.parseFloat(trimmed);
      if (Number.isNaN(value)) throw new Error(\`bad number: \${trimmed}\`);
      out.push(value * scale);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return fail(message);
  }
  return ok(out);
}
`,
  // Async function: await in a loop, Promise.all of async arrows, try/finally.
  (s, r, mark) => `${mark}export async function fetch${s}(ids: number[], delayMs = 0): Promise<Map<number, string>> {
  const result = new Map<number, string>();
  for (const id of ids) {
    const name = await Promise.resolve(\`item-\${id}\`);
    if (delayMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, delayMs));
    result.set(id, name.toUpperCase());
  }
  try {
    const extra = await Promise.all(ids.slice(0, ${r.int(2, 8)}).map(async (id) => id * ${r.int(2, 9)}));
    result.set(-1, extra.join('|'));
  } finally {
    result.delete(-2);
  }
  return result;
}
`,
  // Generic helpers.
  (
    s,
    r,
    mark,
  ) => `${mark}export function groupBy${s}<T, K extends string | number>(items: readonly T[], key: (item: T) => K): Record<K, T[]> {
  const groups = {} as Record<K, T[]>;
  for (const item of items) {
    const k = key(item);
    (groups[k] ??= []).push(item);
  }
  return groups;
}

export function topN${s}<T>(items: readonly T[], n: number, by: (item: T) => number): T[] {
  const copy = items.slice();
  copy.sort((a, b) => by(b) - by(a));
  return copy.slice(0, Math.max(0, n));
}

export function zip${s}<A, B>(as: readonly A[], bs: readonly B[]): Array<[A, B]> {
  const len = Math.min(as.length, bs.length);
  const out: Array<[A, B]> = [];
  for (let i = 0; i < len; i++) out.push([as[i], bs[i]]);
  return out;
}
`,
  // Arrow-function pipelines with destructuring parameters.
  (
    s,
    r,
    mark,
  ) => `export const score${s} = ${mark ? '/* @debuggable */ ' : ''}(points: readonly Point[], weight = ${r.int(1, 7)}): number =>
  points
    .map(({ x, y }) => Math.hypot(x, y) * weight)
    .filter((d) => d > ${r.int(0, 20)})
    .reduce((acc, d) => acc + d, 0);

export const normalize${s} = (values: number[]): number[] => {
  const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
  return values.map((v) => clamp(v / max, -1, 1));
};

export const histogram${s} = (values: readonly number[], buckets = ${r.int(4, 16)}): number[] => {
  const counts = new Array<number>(buckets).fill(0);
  for (const v of values) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor(v * buckets)));
    counts[b]++;
  }
  return counts;
};
`,
  // A discriminated union and a switch with block-scoped cases.
  (s, r, mark) => `export type Shape${s} =
  | { kind: 'circle'; r: number }
  | { kind: 'rect'; w: number; h: number }
  | { kind: 'poly'; pts: Point[] };

${mark}export function area${s}(shape: Shape${s}): number {
  switch (shape.kind) {
    case 'circle':
      return Math.PI * shape.r ** 2;
    case 'rect': {
      const { w, h } = shape;
      return w * h;
    }
    case 'poly': {
      let a = 0;
      for (let i = 0; i < shape.pts.length; i++) {
        const p = shape.pts[i];
        const q = shape.pts[(i + 1) % shape.pts.length];
        a += p.x * q.y - q.x * p.y;
      }
      return Math.abs(a) / 2;
    }
  }
}

export function totalArea${s}(shapes: readonly Shape${s}[]): number {
  let sum = 0;
  for (const shape of shapes) sum += area${s}(shape);
  return sum * ${r.int(1, 3)};
}
`,
  // Generators.
  (s, r, mark) => `${mark}export function* windows${s}<T>(xs: Iterable<T>, size = ${r.int(2, 6)}): Generator<T[]> {
  let buf: T[] = [];
  for (const x of xs) {
    buf.push(x);
    if (buf.length === size) {
      yield buf;
      buf = [];
    }
  }
  if (buf.length > 0) yield buf;
}

export function* range${s}(start: number, end: number, step = 1): Generator<number> {
  for (let i = start; i < end; i += step) yield i;
}
`,
  // A tokenizer-style while loop with labels and a nested function.
  (s, r, mark) => `export interface Token${s} {
  type: 'num' | 'ident' | 'op';
  text: string;
  at: number;
}

${mark}export function tokenize${s}(input: string): Token${s}[] {
  const tokens: Token${s}[] = [];
  let i = 0;
  const isDigit = (c: string) => c >= '0' && c <= '9';
  function isAlpha(c: string): boolean {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
  }
  outer: while (i < input.length) {
    const c = input[i];
    if (c === ' ' || c === '\\t') {
      i++;
      continue;
    }
    if (isDigit(c)) {
      const start = i;
      while (i < input.length && isDigit(input[i])) i++;
      tokens.push({ type: 'num', text: input.slice(start, i), at: start });
      continue outer;
    }
    if (isAlpha(c)) {
      const start = i;
      while (i < input.length && (isAlpha(input[i]) || isDigit(input[i]))) i++;
      tokens.push({ type: 'ident', text: input.slice(start, i), at: start });
      continue;
    }
    if ('+-*/()${r.pick(['%', '^', '&'])}'.includes(c)) {
      tokens.push({ type: 'op', text: c, at: i++ });
      continue;
    }
    throw new SyntaxError(\`unexpected \${c} at \${i}\`);
  }
  return tokens;
}
`,
  // A class hierarchy: abstract base, subclass with super calls, static members, a setter.
  (s, r, mark, dec) => `export abstract class Shape${s}Base {
  static created = 0;
  protected readonly origin: Point;

  constructor(x: number, y: number) {
    this.origin = { x, y };
    Shape${s}Base.created++;
  }

  abstract area(): number;

  describe(): string {
    const { x, y } = this.origin;
    return \`\${this.constructor.name} at (\${x}, \${y}) with area \${this.area().toFixed(2)}\`;
  }
}

export class Circle${s} extends Shape${s}Base {
  private radius: number;

  constructor(x: number, y: number, radius: number) {
    super(x, y);
    this.radius = radius;
  }

${dec}  area(): number {
    return Math.PI * this.radius * this.radius;
  }

  set r(value: number) {
    if (value < 0) throw new RangeError('negative radius');
    this.radius = value;
  }

  get r(): number {
    return this.radius;
  }

  override describe(): string {
    return \`circle: \${super.describe()} (r=\${this.radius})\`;
  }
}
`,
  // An async class with a queue, retries and error handling.
  (s, r, mark, dec) => `export class Worker${s} {
  private readonly queue: Array<() => Promise<number>> = [];
  private failures = 0;

  enqueue(job: () => Promise<number>): void {
    this.queue.push(job);
  }

${dec}  async drain(retries = ${r.int(1, 4)}): Promise<number[]> {
    const results: number[] = [];
    while (this.queue.length > 0) {
      const job = this.queue.shift()!;
      let attempt = 0;
      for (;;) {
        try {
          results.push(await job());
          break;
        } catch (err) {
          this.failures++;
          if (++attempt > retries) {
            const reason = err instanceof Error ? err.message : String(err);
            throw new Error(\`job failed after \${attempt} attempts: \${reason}\`);
          }
        }
      }
    }
    return results;
  }

  get failureCount(): number {
    return this.failures;
  }
}
`,
  // Object manipulation: spread, rest, optional chaining, nullish coalescing, Object.entries.
  (s, r, mark) => `export interface Settings${s} {
  name: string;
  retries?: number;
  limits?: { min?: number; max?: number };
  flags: Record<string, boolean>;
}

${mark}export function merge${s}(base: Settings${s}, ...overrides: Partial<Settings${s}>[]): Settings${s} {
  let merged: Settings${s} = { ...base, flags: { ...base.flags } };
  for (const { flags, limits, ...rest } of overrides) {
    merged = { ...merged, ...rest };
    if (flags) merged.flags = { ...merged.flags, ...flags };
    if (limits) merged.limits = { ...merged.limits, ...limits };
  }
  const min = merged.limits?.min ?? 0;
  const max = merged.limits?.max ?? ${r.int(10, 1000)};
  if (min > max) throw new RangeError(\`\${merged.name}: min \${min} > max \${max}\`);
  return merged;
}

export function enabledFlags${s}(settings: Settings${s}): string[] {
  return Object.entries(settings.flags)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .sort();
}
`,
  // Matrix arithmetic with nested loops.
  (s, r, mark) => `export type Matrix${s} = number[][];

${mark}export function multiply${s}(a: Matrix${s}, b: Matrix${s}): Matrix${s} {
  const rows = a.length;
  const cols = b[0]?.length ?? 0;
  const inner = b.length;
  const out: Matrix${s} = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < cols; j++) {
      let acc = 0;
      for (let k = 0; k < inner; k++) acc += a[i][k] * b[k][j];
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

export function identity${s}(n = ${r.int(2, 8)}): Matrix${s} {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}
`,
];

/** A block that uses the API of earlier modules. */
function uses(m, deps, r, mark) {
  const lines = [];
  lines.push(`${mark}export async function combine${m}(input: readonly number[]): Promise<Result<number>> {`);
  lines.push('  let acc = 0;');
  for (const d of deps) {
    lines.push(`  const store${d} = new Store${d}<Rec${d}>('from${m}');`);
    lines.push(`  store${d}.register({ id: ${r.int(1, 99)}, name: 'r${d}', score: ${r.int(1, 99)}, tags: ['t'], pos: { x: 1, y: 2 } });`);
    lines.push(`  acc += sum${d}(input) + (await load${d}(${r.int(1, 4)})).length;`);
  }
  lines.push('  try {');
  lines.push(`    const { score } = store${deps[0]}.lookup(${r.int(1, 99)});`);
  lines.push('    acc += score;');
  lines.push('  } catch (err) {');
  lines.push('    return fail(err instanceof Error ? err.message : String(err));');
  lines.push('  }');
  lines.push('  return ok(acc);');
  lines.push('}');
  return lines.join('\n') + '\n';
}

function countLines(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * Writes the project's sources into `<dir>/src`. Modules are added until the project has at
 * least `minLines` lines.
 * @returns {{ files: string[], lines: number, modules: number, debuggable: number, attachOnError: number }}
 *   files: absolute paths of the .ts files.
 */
export function generateProject(dir, { seed = 1, minLines = 52000, linesPerModule = [250, 450] } = {}) {
  const r = prng(seed);
  const src = join(dir, 'src');
  mkdirSync(src, { recursive: true });
  const files = [];
  let lines = 0;
  let debuggable = 0;
  let decorated = 0;
  const write = (name, text) => {
    const p = join(src, name);
    writeFileSync(p, text);
    files.push(p);
    lines += countLines(text);
  };
  write('shared.ts', SHARED);
  const mods = [];
  while (lines < minLines) {
    const idx = mods.length;
    const m = pad(idx);
    const deps = [];
    if (idx > 0) {
      const want = Math.min(idx, r.int(2, 4));
      while (deps.length < want) {
        const d = pad(r.int(Math.max(0, idx - 20), idx - 1));
        if (!deps.includes(d)) deps.push(d);
      }
      deps.sort();
    }
    const body = [];
    let usesDecorator = false;
    const apiText = api(m, r);
    if (apiText.includes('@attachOnError()')) usesDecorator = true;
    body.push(apiText);
    const target = r.int(linesPerModule[0], linesPerModule[1]);
    let k = 0;
    let size = countLines(apiText);
    while (size < target) {
      const t = r.int(0, TEMPLATES.length - 1);
      const mark = r.chance(0.125) ? '// @debuggable\n' : '';
      const dec = r.chance(0.2) ? '  @attachOnError()\n' : '';
      const text = TEMPLATES[t](`${m}_${k++}`, r, mark, dec);
      if (dec && text.includes('@attachOnError()')) usesDecorator = true;
      body.push(text);
      size += countLines(text) + 1;
    }
    if (deps.length) {
      const mark = r.chance(0.25) ? '// @debuggable\n' : '';
      body.push(uses(m, deps, r, mark));
    }
    const sharedUsed = ['Entity', 'Point', 'Result', 'Registry', 'clamp', 'fail', 'ok'];
    const head = [`// Generated by test/bench/gen-project.mjs (seed ${seed}): module ${m}.`];
    if (usesDecorator) head.push("import { attachOnError } from 'ts-pdb';");
    head.push(
      `import { ${sharedUsed.map((n) => (/^[A-Z]/.test(n) && n !== 'Registry' ? 'type ' + n : n)).join(', ')} } from './shared.js';`,
    );
    for (const d of deps) head.push(`import { sum${d}, Store${d}, load${d}, type Rec${d} } from './m${d}.js';`);
    // Keep every shared import used (noUnusedLocals is on in many projects).
    body.push(`export const used${m} = [clamp, fail, ok, Registry] as const;\nexport type Used${m} = Entity | Point | Result<number>;\n`);
    const text = head.join('\n') + '\n\n' + body.join('\n');
    debuggable += (text.match(/@debuggable/g) ?? []).length;
    decorated += (text.match(/^\s*@attachOnError\(\)/gm) ?? []).length;
    write(`m${m}.ts`, text);
    mods.push(m);
  }
  const index = [
    `// Generated by test/bench/gen-project.mjs (seed ${seed}): imports every module.`,
    ...mods.map((m) => `import { sum${m} } from './m${m}.js';`),
    '',
    'export function checksum(xs: readonly number[]): number {',
    '  let total = 0;',
    ...mods.map((m) => `  total += sum${m}(xs);`),
    '  return total;',
    '}',
    '',
  ].join('\n');
  write('index.ts', index);
  return { files, lines, modules: mods.length, debuggable, attachOnError: decorated };
}
