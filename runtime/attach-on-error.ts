/**
 * The run-time `@attachOnError()` decorator. With the ts-pdb transform the decorator never runs:
 * the transform removes it and makes the method a debug boundary with every local captured.
 * Without the transform (plain `tsc`) this wrapper still opens a session, with the stack but no
 * locals, and the session says why.
 */
import { settings } from './config';
import { openOnce } from './capture';
import { captureOf } from './records';

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

function wrapMethod(fn: AnyFn): AnyFn {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (e) {
      onBoundary(e);
      throw e;
    }
    if (result instanceof Promise) {
      return result.then(undefined, (e: unknown) => { onBoundary(e); throw e; });
    }
    return result;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  return wrapped;
}

/**
 * Marks a method as a debug boundary: when an exception leaves it and debugging is on
 * (`IPDB_DEBUG=1`), a session opens before the error goes on. Works with TC39 decorators and with
 * `experimentalDecorators`. For functions that are not methods, write `// @debuggable` before them.
 * @param _options none yet.
 */
export function attachOnError(_options?: AttachOptions): any {
  return function decorate(target: unknown, context: unknown, descriptor?: PropertyDescriptor): unknown {
    // experimentalDecorators: (prototype, key, descriptor)
    if (descriptor && typeof descriptor.value === 'function') {
      descriptor.value = wrapMethod(descriptor.value as AnyFn);
      return descriptor;
    }
    // TC39 decorators: (method, { kind: 'method' })
    if (typeof target === 'function' && context && typeof context === 'object' && (context as { kind?: string }).kind === 'method') {
      return wrapMethod(target as AnyFn);
    }
    throw new TypeError('ts-pdb: @attachOnError() decorates methods; mark other functions with a `// @debuggable` comment');
  };
}
