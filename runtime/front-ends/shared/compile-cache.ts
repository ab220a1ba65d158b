/**
 * V8's code cache for the session's own modules (Node 22.1+ `module.enableCompileCache`): a session
 * opens in a fresh process, where compiling the front-end, the engine and the snapshot modules is a
 * good part of the time from the throw to the prompt; from the second stop on, they come from the
 * cache. Enabled when this module loads, which the opener (open-session.ts) does as soon as it has
 * started the front-end's thread, so that what it loads next is cached (not in that thread:
 * worker-boot.ts says why).
 *
 * The cache lives in the user's private folder (registry-folder.ts `privateDir()`, 0700:
 * `<TS_PDB_HOME or $TMPDIR/ts-pdb-<uid>>/compile-cache`), never in a folder others can write (the
 * cache is code this process runs). Left alone when the program has a cache already
 * (`NODE_COMPILE_CACHE`, its own call) or Node's `NODE_DISABLE_COMPILE_CACHE` is set; nothing on
 * Node 20. Never throws, never says anything: without a cache the session is only slower.
 * From here on the process compiles through the cache (Node has no way to turn it off again): what
 * the program loads after the stop too, which changes nothing but the time it takes.
 */
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { privateDir } from './registry-folder';

/** Turns the cache on (once; see the header). Never throws. */
export function enableCompileCache(): void {
  try {
    const m = nodeModule as { enableCompileCache?: (dir?: string) => unknown; getCompileCacheDir?: () => string | undefined };
    if (typeof m.enableCompileCache !== 'function' || m.getCompileCacheDir?.()) return;
    if (process.env.NODE_DISABLE_COMPILE_CACHE) return;
    m.enableCompileCache(path.join(privateDir(), 'compile-cache'));
  } catch {
    /* no cache: slower, nothing else */
  }
}

enableCompileCache();
