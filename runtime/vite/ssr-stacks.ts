/**
 * Vite's SSR dev server runs modules from memory, and `server.ssrLoadModule` leaves the stack lines of
 * their errors in the code Vite made of them: its module runner for `ssrLoadModule` maps them only
 * when asked, by `server.ssrFixStacktrace`. A session must show the TypeScript. So the plugin
 * registers a stack rewriter for the sessions (records.ts `STACK_REWRITERS`) that has Vite map a copy
 * of the stack text, through the maps of its module graph (the plugin's own, chained): the error,
 * and whatever the program prints of it, stay as they were.
 *
 * Not when the stack is mapped already: with Node's source maps on (Vite's module runners of the
 * environment API turn them on, `createServerModuleRunner`'s default), or with an
 * `Error.prepareStackTrace` set since the server started (a runner's `sourcemapInterceptor`,
 * source-map-support). Mapped twice, every line would move.
 */
import { STACK_REWRITERS, type StackRewriter } from '../records';

/** The part of Vite's dev server this file uses. */
export interface SsrServer {
  ssrFixStacktrace(e: Error): void;
}

/** Registers the rewriter of `server`; returns what removes it (when the server closes). Never throws. */
export function mapSsrStacks(server: SsrServer): () => void {
  const g = globalThis as { [STACK_REWRITERS]?: Set<StackRewriter> };
  const rewriters = (g[STACK_REWRITERS] ??= new Set());
  const E = Error as { prepareStackTrace?: unknown };
  // Node's own (Node 20 and later define one) or none; another one later is someone's mapping.
  const before = E.prepareStackTrace;
  const rewrite: StackRewriter = (stack) => {
    if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled || E.prepareStackTrace !== before) return stack;
    // A stand-in with the stack's text: ssrFixStacktrace rewrites the `stack` of what it is given.
    const copy = { name: 'Error', message: '', stack };
    server.ssrFixStacktrace(copy);
    return copy.stack;
  };
  rewriters.add(rewrite);
  return () => rewriters.delete(rewrite);
}
