/**
 * Loads a package as the program's project sees it, for the loader's two compilers (compile.ts's
 * TypeScript, compile-babel.ts's Babel): the project's own compiler, not one ts-pdb brought along.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * Loads a package as the program's project sees it (from the working directory), else as ts-pdb
 * does; undefined when neither has it.
 */
export function projectRequire(id: string): unknown {
  for (const from of [path.join(process.cwd(), 'index.js'), __filename]) {
    try {
      return createRequire(from)(id);
    } catch {
      // Not there: the next place.
    }
  }
  return undefined;
}
