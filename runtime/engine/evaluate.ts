/**
 * Evaluates user input against a frame, the way pdb evaluates in a frame's namespace.
 *
 * The input is wrapped in a function whose parameters are the frame's bindings and compiled by the
 * module's own `ev` hook (a direct `eval` at module level), so it also sees the module's top-level
 * bindings and imports; `this` is bound with `.call`. Assignments to locals are written back into
 * the captured record so that later commands see them. Errors are returned, never thrown.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';
import jsTokens = require('js-tokens');
import { type ModuleDesc, UNAVAILABLE, UNINITIALIZED } from '../records';
import { constantsKept, Explained } from '../render/explained';
import { displayable, UNINITIALIZED_PLACEHOLDER } from '../render/format';
import type { Binding, Frame } from './frames';
import { moduleNames, readModuleBinding } from './module-bindings';

/** How to treat the input. */
export type EvalMode =
  /** Must be an expression (`p`, `pp`, `display`): a statement is a SyntaxError. */
  | 'expression'
  /** Must be run as statements (`!stmt`). */
  | 'statement'
  /** An expression if it parses as one, else statements (bare input at the prompt). */
  | 'auto';

/** The result of an evaluation. */
export type EvalResult = { ok: true; value: unknown; isExpression: boolean } | { ok: false; error: unknown };

/** What evaluation needs of a frame (a {@link Frame} has it all). */
export type EvalTarget = Pick<Frame, 'locals' | 'closure' | 'mod' | 'hasThis' | 'thisValue'>;

/**
 * Why a frame has no captured locals (it has no record), for {@link evaluate}: then `locals()`,
 * `this` and a name that does not resolve say so (`No locals for Job.run: <reason>`) instead of
 * answering `{}`, `undefined` or a bare ReferenceError. Globals and module bindings still work.
 */
export interface NoLocals {
  /** The frame's function, as the session names it (`Job.run`). */
  name: string;
  /** Why nothing was captured (`the session opened before the error left it`). */
  reason: string;
}

/** Evaluates `code` in `frame` (see {@link NoLocals} for `noLocals`; default: the frame has a record). Never throws. */
export function evaluate(frame: EvalTarget | undefined, code: string, mode: EvalMode = 'auto', noLocals?: NoLocals): EvalResult {
  try {
    return run(frame ?? emptyTarget(), code, mode, noLocals);
  } catch (error) {
    return { ok: false, error: explain(error, code, frame, noLocals) };
  }
}

/**
 * The error a user is shown: a name missing from a frame without locals says why it is missing;
 * an assignment to a `const` at a breakpoint says that the program keeps its value.
 */
function explain(error: unknown, code: string, frame: EvalTarget | undefined, noLocals: NoLocals | undefined): unknown {
  try {
    if (noLocals && error instanceof ReferenceError) {
      const name = /^(\S+) is not defined$/.exec(error.message)?.[1];
      if (name && identifiers(code).includes(name)) {
        return new Explained(`ReferenceError: ${error.message} (no locals for ${noLocals.name}: ${noLocals.reason})`);
      }
    }
    if (frame && error instanceof TypeError && error.message === 'Assignment to constant variable.') {
      const used = identifiers(code);
      const held = constants(frame).filter((c) => used.includes(c.name));
      if (held.length) return new Explained(constantsKept(held));
    }
  } catch {
    /* the original error, then */
  }
  return error;
}

/** The frame's bindings the program cannot be given a new value (a `const` at a live breakpoint), with their kinds. */
function constants(frame: EvalTarget): Array<{ name: string; kind: string }> {
  const out: Array<{ name: string; kind: string }> = [];
  for (const map of [frame.locals, frame.closure]) {
    for (const [name, b] of map) if (b.constant && !out.some((c) => c.name === name)) out.push({ name, kind: b.constant });
  }
  return out;
}

/** Identifier names the input uses (not property names after `.`), found with a tokenizer. */
function identifiers(code: string): string[] {
  const out: string[] = [];
  let prev = '';
  try {
    for (const t of jsTokens(code)) {
      if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment')
        continue;
      if (t.type === 'IdentifierName' && prev !== '.' && prev !== '?.') out.push(t.value);
      prev = t.value;
    }
  } catch {
    return out;
  }
  return out;
}

/** The frame's locals as a plain object, as `locals()` returns them (closure variables after the locals). */
export function localsObject(frame: EvalTarget): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const map of [frame.locals, frame.closure]) {
    for (const [name, b] of map) {
      if (!Object.prototype.hasOwnProperty.call(out, name)) define(out, name, displayable(safeGet(b)));
    }
  }
  return out;
}

/** The module's top-level bindings and imports as a plain object, as `globals()` returns them. */
export function globalsObject(mod: ModuleDesc | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of moduleNames(mod)) {
    const r = readModuleBinding(mod!, name);
    define(out, name, r.ok ? r.value : UNINITIALIZED_PLACEHOLDER);
  }
  return out;
}

/** True for a name usable as a parameter of a strict-mode function. */
export function isParameterName(name: string): boolean {
  return IDENT.test(name) && !RESERVED.has(name);
}

const IDENT = /^[$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*$/u;
const RESERVED = new Set([
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'import',
  'in',
  'instanceof',
  'new',
  'null',
  'return',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
  'let',
  'static',
  'implements',
  'interface',
  'package',
  'private',
  'protected',
  'public',
  'await',
  'arguments',
  'eval',
]);

interface Param {
  name: string;
  value: unknown;
  /** Where an assignment is written back; undefined for module bindings (a getter cannot be assigned). */
  binding?: Binding;
}

function run(frame: EvalTarget, code: string, mode: EvalMode, noLocals: NoLocals | undefined): EvalResult {
  // `this` of a frame nothing was captured from is unknown, not undefined. (A `this` inside a
  // function or class typed at the prompt is its own: then the input runs as it is.)
  if (noLocals) {
    const used = identifiers(code);
    if (used.includes('this') && !used.includes('function') && !used.includes('class')) {
      throw new Explained(`No 'this' for ${noLocals.name}: ${noLocals.reason}`);
    }
  }
  const params: Param[] = [];
  const taken = new Set<string>();
  const tdz: string[] = [];
  // Innermost first: locals, then free variables, then the module's renamed top-level bindings.
  for (const map of [frame.locals, frame.closure]) {
    for (const [name, binding] of map) {
      if (taken.has(name) || !isParameterName(name)) continue;
      const value = safeGet(binding);
      if (value === UNAVAILABLE) continue; // let the name resolve in the module scope, where it may live
      taken.add(name);
      if (value === UNINITIALIZED) tdz.push(name);
      else params.push({ name, value, binding });
    }
  }
  const mod = frame.mod;
  for (const name of moduleNames(mod)) {
    if (taken.has(name) || !isParameterName(name) || directlyVisible(mod!, name)) continue;
    const r = readModuleBinding(mod!, name);
    if (!r.ok) continue;
    taken.add(name);
    // The transform gives a setter to the module bindings the program assigns itself.
    const g = mod!.g as Record<string, unknown>;
    const writable = typeof Object.getOwnPropertyDescriptor(g, name)?.set === 'function';
    params.push({
      name,
      value: r.value,
      binding: writable
        ? {
            name,
            kind: 'var',
            get: () => g[name],
            set: (v) => {
              g[name] = v;
            },
          }
        : undefined,
    });
  }
  // `require` in any frame (CommonJS or ES module), resolving from the module's file.
  if (!taken.has('require') && mod?.file && path.isAbsolute(mod.file)) {
    taken.add('require');
    params.push({ name: 'require', value: createRequire(mod.file) });
  }
  if (!taken.has('locals')) {
    params.push({
      name: 'locals',
      value: noLocals
        ? () => {
            throw new Explained(`No locals for ${noLocals.name}: ${noLocals.reason}`);
          }
        : () => localsObject(frame),
    });
  }
  if (!taken.has('globals')) params.push({ name: 'globals', value: () => globalsObject(mod) });

  const names = params.map((p) => p.name);
  // `function f() {}` and `class C {}` also parse as expressions; typed at a prompt they mean declarations.
  const isExpression =
    mode === 'expression' || (mode === 'auto' && !/^\s*(?:async\s+)?(?:function|class)\b/.test(code) && parsesAsExpression(code));
  const declared = isExpression ? [] : declaredNames(code);
  const redeclared = constants(frame).filter((c) => declared.includes(c.name));
  if (redeclared.length) throw new Explained(constantsKept(redeclared));
  const tdzDecl = tdz.filter((n) => !declared.includes(n));
  // TDZ bindings are re-created as `let`s after the return, so reading them throws the same
  // ReferenceError the program would have thrown.
  const tail = `\n;${tdzDecl.length ? ` let ${tdzDecl.join(', ')};` : ''}`;
  const back = `() => [${names.join(', ')}]`;
  // An arrow inside a function: `this` is bound by calling the outer function, and `arguments`
  // in user code is the outer function's (empty) one rather than the list of our parameters.
  // A binding the program cannot be given a new value (a `const` at a live breakpoint) is a
  // `const` here too: assigning it fails at the assignment, as it would in the program.
  const fixed = params.map((p, i) => (p.binding?.constant ? `${p.name} = ${HIDDEN}${i}` : '')).filter(Boolean);
  const head = fixed.length ? `const ${fixed.join(', ')}; ` : '';
  const body = isExpression
    ? `${head}return [(${code}\n), ${back}];${tail}`
    : `${head}${code}\n; return [void 0, ${back}, [${declared.map((n) => `() => ${n}`).join(', ')}]];${tail}`;
  const paramList = params.map((p, i) => (p.binding?.constant ? `${HIDDEN}${i}` : p.name));
  const source = `(function () { return (${paramList.join(', ')}) => { ${body} }; })`;

  let outer: () => (...args: unknown[]) => unknown;
  try {
    outer = compile(mod, source) as typeof outer;
  } catch (e) {
    throw e instanceof SyntaxError ? (userSyntaxError(code, isExpression) ?? e) : e;
  }
  const result = outer.call(frame.hasThis ? frame.thisValue : undefined)(...params.map((p) => p.value));
  // A `return` typed by the user leaves the wrapper early: no write-back then.
  if (!Array.isArray(result) || typeof result[1] !== 'function') return { ok: true, value: result, isExpression };
  writeBack(params, (result[1] as () => unknown[])());
  if (!isExpression) keepDeclared(frame, declared, result[2] as Array<() => unknown>);
  return { ok: true, value: result[0], isExpression };
}

/** Prefix of the wrapper's parameters that carry a constant's value (never a name a user types). */
const HIDDEN = '__tsPdbConst';

function compile(mod: ModuleDesc | undefined, source: string): unknown {
  const ev = mod?.ev;
  if (typeof ev === 'function') return ev(source);
  // No module hook (a frame from the stack only): global scope, strict like module code.
  return (0, eval)(`"use strict"; ${source}`);
}

/**
 * The SyntaxError of the user's own text: the wrapper's error names tokens the user never typed
 * (`Unexpected token ';'` for `zz(`).
 */
function userSyntaxError(code: string, isExpression: boolean): SyntaxError | undefined {
  try {
    new Script(code, { filename: '<input>' });
  } catch (e) {
    return e instanceof SyntaxError ? e : undefined;
  }
  return isExpression ? new SyntaxError('expected an expression (statements run with !)') : undefined;
}

function writeBack(params: Param[], after: unknown[]): void {
  params.forEach((p, i) => {
    if (p.binding && !Object.is(p.value, after[i])) p.binding.set(after[i]);
  });
}

/** Names declared by the user's statement become bindings of the frame for the rest of the session (pdb 3.13 does the same). */
function keepDeclared(frame: EvalTarget, declared: string[], thunks: Array<() => unknown> | undefined): void {
  declared.forEach((name, i) => {
    let value: unknown;
    try {
      value = thunks?.[i]?.();
    } catch {
      return;
    } // not really declared (a heuristic miss) or still in TDZ
    const existing = frame.locals.get(name);
    if (existing) {
      existing.set(value);
      return;
    }
    const store = [value];
    frame.locals.set(name, {
      name,
      kind: 'session',
      get: () => store[0],
      set: (v) => {
        store[0] = v;
      },
    });
  });
}

/** True when the input compiles as one expression in the wrapper that {@link run} uses. */
export function parsesAsExpression(code: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled to check the syntax, never called
    new Function(`return [(${code}\n)]`);
    return true;
  } catch {
    return false;
  }
}

const module0 = new WeakMap<ModuleDesc, Map<string, boolean>>();

/**
 * True when `name` already resolves, through `ev`, to the module's own binding: then it is not
 * passed as a parameter, so an assignment reaches the real binding. Renamed imports
 * (`readFile` → `fs_1.readFile` in CommonJS output) are not visible by their source name, and a
 * global of the same name must not stand in for them: both need the getter's value.
 */
function directlyVisible(mod: ModuleDesc, name: string): boolean {
  let cache = module0.get(mod);
  if (!cache) module0.set(mod, (cache = new Map<string, boolean>()));
  const known = cache.get(name);
  if (known !== undefined) return known;
  const r = readModuleBinding(mod, name);
  if (!r.ok) return true; // TDZ: let the real binding throw its own ReferenceError
  let direct = false;
  try {
    if (typeof mod.ev === 'function' && mod.ev(`typeof ${name}`) !== 'undefined') direct = Object.is(mod.ev(name), r.value);
  } catch {
    direct = false;
  }
  cache.set(name, direct);
  return direct;
}

/**
 * Names declared at the top level of a statement (`let a = 1, b`, `const {x, y: z} = o`,
 * `function f() {}`, `class C {}`), found with a tokenizer, not a parser: patterns with defaults
 * may yield extra names, which {@link keepDeclared} drops when they do not resolve.
 */
export function declaredNames(code: string): string[] {
  const toks: string[] = [];
  const kinds: string[] = [];
  try {
    for (const t of jsTokens(code)) {
      if (t.type === 'WhiteSpace' || t.type === 'LineTerminatorSequence' || t.type === 'MultiLineComment' || t.type === 'SingleLineComment')
        continue;
      toks.push(t.value);
      kinds.push(t.type);
    }
  } catch {
    return [];
  }
  const out: string[] = [];
  const add = (n: string): void => {
    if (isParameterName(n) && !out.includes(n)) out.push(n);
  };
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const atStart = depth === 0 && (i === 0 || toks[i - 1] === ';' || toks[i - 1] === '}');
    if (atStart && (t === 'function' || t === 'class')) {
      let j = i + 1;
      if (toks[j] === '*') j++;
      if (kinds[j] === 'IdentifierName') add(toks[j]);
    } else if (
      atStart &&
      (t === 'let' || t === 'const' || t === 'var') &&
      (kinds[i + 1] === 'IdentifierName' || toks[i + 1] === '{' || toks[i + 1] === '[')
    ) {
      // Declarators up to the `;` (or end) at this depth.
      let j = i + 1;
      let expectName = true;
      let d = 0;
      for (; j < toks.length; j++) {
        const u = toks[j];
        if (d === 0 && u === ';') break;
        if (expectName && d === 0 && kinds[j] === 'IdentifierName') {
          add(u);
          expectName = false;
          continue;
        }
        if (expectName && (u === '{' || u === '[')) {
          // A destructuring pattern: names followed by `,` `}` `]` or `=` (not keys followed by `:`).
          let e = 0;
          for (; j < toks.length; j++) {
            const v = toks[j];
            if (v === '{' || v === '[') e++;
            else if (v === '}' || v === ']') {
              if (--e === 0) break;
            } else if (kinds[j] === 'IdentifierName' && [',', '}', ']', '='].includes(toks[j + 1]) && toks[j - 1] !== '.') add(v);
          }
          expectName = false;
          continue;
        }
        if (u === '(' || u === '[' || u === '{') d++;
        else if (u === ')' || u === ']' || u === '}') d--;
        else if (d === 0 && u === ',') expectName = true;
      }
      i = j;
      continue;
    }
    if (t === '(' || t === '[' || t === '{' || t === '${') depth++;
    else if (t === ')' || t === ']' || t === '}') depth = Math.max(0, depth - 1);
  }
  return out;
}

function safeGet(b: Binding): unknown {
  try {
    return b.get();
  } catch {
    return UNAVAILABLE;
  }
}

function define(o: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(o, name, { value, enumerable: true, writable: true, configurable: true });
}

function emptyTarget(): EvalTarget {
  return { locals: new Map(), closure: new Map(), mod: undefined, hasThis: false, thisValue: undefined };
}
