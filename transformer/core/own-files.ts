/**
 * ts-pdb's own built files are never instrumented, whichever tool hands them to an adapter (a
 * linked checkout is not under node_modules, so babel-jest or `instrument: "all"` would reach them):
 * the capture module would otherwise load itself before it exists.
 */
import * as path from 'node:path';

/** The package's `dist/` folder (this file is dist/transformer/core/own-files.js). */
const OWN_DIST = path.resolve(__dirname, '..', '..') + path.sep;

/** True when `fileName` is one of ts-pdb's own built files. */
export function isOwnFile(fileName: string | undefined): boolean {
  return !!fileName && path.resolve(fileName).startsWith(OWN_DIST);
}
