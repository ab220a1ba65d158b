/**
 * Tells an error of a running program from a program that never started (`ts-pdb run missing.ts`,
 * a file that does not compile): the first gets a session, the second Node's own message and exit
 * code, since a session there would only show Node's module loader. Loaded by the uncaught-error
 * monitor (capture.ts) when an error reaches it, never before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorCapture } from '../records';
import { COMPILE_ERROR } from '../register/compile-error';
import { parseStack, stackTextOf } from '../engine/stack';

/** ts-pdb's own compiled runtime (dist/runtime/, the folder above this one): its loader's frames are not the program's. */
const OWN = path.resolve(__dirname, '..') + path.sep;

/**
 * True when `thrown` says the program could not be loaded: the loader could not compile a file, or
 * the error's stack has frames and none of them is the program's (Node's module loader and ts-pdb's
 * own loader only: the entry file was not found). Without frames (a thrown primitive, a stack trace
 * limit of 0) it cannot tell, and says false.
 */
export function isLoadFailure(thrown: unknown, capture: ErrorCapture | undefined): boolean {
  try {
    if (capture && capture.frames.length > 0) return false;
    if (typeof thrown === 'object' && thrown !== null && codeOf(thrown) === COMPILE_ERROR) return true;
    const frames = parseStack(stackTextOf(thrown)).frames;
    if (frames.length === 0) return false;
    return frames.every(
      (f) => f.kind === 'node' || f.kind === 'native' || (f.kind === 'file' && !!f.file && path.resolve(f.file).startsWith(OWN)),
    );
  } catch {
    return false;
  }
}

/**
 * For a file that does not compile, nobody catching it: prints the compiler's message alone and
 * exits with 1, as `tsc` would, instead of Node's report (a source line and a stack of ts-pdb's
 * loader above the message). Not when the program listens to `uncaughtException` itself (the
 * program would go on: so does it here), nor for any other error (Node's own report follows).
 */
export function reportCompileError(thrown: unknown): void {
  if (typeof thrown !== 'object' || thrown === null || codeOf(thrown) !== COMPILE_ERROR) return;
  if (process.listenerCount('uncaughtException') > 0) return;
  const message: unknown = Object.getOwnPropertyDescriptor(thrown, 'message')?.value;
  if (typeof message !== 'string') return;
  fs.writeSync(2, `ts-pdb: the program does not compile:\n${message}\n`);
  process.exit(1);
}

/** The error's own `code` data property (no getter of the program runs). */
function codeOf(o: object): unknown {
  try {
    const d = Object.getOwnPropertyDescriptor(o, 'code');
    return d && 'value' in d ? d.value : undefined;
  } catch {
    return undefined; // a Proxy
  }
}
