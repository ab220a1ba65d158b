/**
 * The run-time `@attachOnError()` decorator. With the ts-pdb transform the decorator never runs:
 * the transform removes it and makes the method a debug boundary with every local captured.
 * Without the transform (plain `tsc`) this wrapper still opens a session, with the stack but no
 * locals, and the session says why.
 *
 * The wrapper keeps what a caller can see of the method: its name, length, kind (async,
 * generator, async generator), and that it is not a constructor. One difference remains: a
 * wrapped async method's promise settles a few microtask ticks later than the method's own.
 */
import { captureOf, openOnce, settings } from './capture';

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** Options of {@link attachOnError} (none yet; accepted for py_debug compatibility). */
export type AttachOptions = Record<string, never>;

function onBoundary(thrown: unknown): void {
  if (!settings.enabled) return;
  try {
    const c = captureOf(thrown, true)!;
    openOnce(thrown, c, { instrumented: c.frames.length > 0 });
  } catch {
    // a debugger fault never replaces the user's error
  }
}

const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = function* () {}.constructor;
const AsyncGeneratorFunction = async function* () {}.constructor;

function wrapMethod(fn: AnyFn): AnyFn {
  // Method shorthand: no `prototype`, not constructible, like the method it replaces.
  let wrapped: AnyFn;
  if (fn instanceof AsyncGeneratorFunction) {
    wrapped = {
      async *m(this: unknown, ...args: unknown[]) {
        try {
          return yield* fn.apply(this, args) as AsyncGenerator<unknown, unknown, unknown>;
        } catch (e) {
          onBoundary(e);
          throw e;
        }
      },
    }.m;
  } else if (fn instanceof GeneratorFunction) {
    wrapped = {
      *m(this: unknown, ...args: unknown[]) {
        try {
          return yield* fn.apply(this, args) as Generator<unknown, unknown, unknown>;
        } catch (e) {
          onBoundary(e);
          throw e;
        }
      },
    }.m;
  } else if (fn instanceof AsyncFunction) {
    wrapped = {
      async m(this: unknown, ...args: unknown[]) {
        try {
          return await fn.apply(this, args);
        } catch (e) {
          onBoundary(e);
          throw e;
        }
      },
    }.m;
  } else {
    wrapped = {
      m(this: unknown, ...args: unknown[]) {
        try {
          return fn.apply(this, args);
        } catch (e) {
          onBoundary(e);
          throw e;
        }
      },
    }.m;
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  return wrapped;
}

/**
 * Marks a method (or getter/setter) as a debug boundary: when an exception leaves it and
 * debugging is on (`IPDB_DEBUG=1`), a session opens before the error goes on. Works with TC39
 * decorators and with `experimentalDecorators`. For functions that are not methods, write
 * `// @debuggable` before them.
 * @param _options none yet.
 */
// `any`: the decorator fits both decorator APIs (TC39's and experimentalDecorators), whose types differ.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function attachOnError(_options?: AttachOptions): any {
  return function decorate(target: unknown, context: unknown, descriptor?: PropertyDescriptor): unknown {
    // experimentalDecorators: (prototype, key, descriptor)
    if (descriptor && typeof descriptor === 'object') {
      if (typeof descriptor.value === 'function') descriptor.value = wrapMethod(descriptor.value as AnyFn);
      if (descriptor.get) descriptor.get = wrapMethod(descriptor.get as AnyFn);
      if (descriptor.set) descriptor.set = wrapMethod(descriptor.set as AnyFn);
      return descriptor;
    }
    // TC39 decorators: (method, { kind })
    const kind = context && typeof context === 'object' ? (context as { kind?: string }).kind : undefined;
    if (typeof target === 'function' && (kind === 'method' || kind === 'getter' || kind === 'setter')) {
      return wrapMethod(target as AnyFn);
    }
    throw new TypeError(
      'ts-pdb: @attachOnError() decorates methods, getters and setters; mark other functions with a `// @debuggable` comment',
    );
  };
}
