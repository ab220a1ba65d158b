/**
 * ES module hooks of the loader (registered by `ts-pdb/register` with `module.register`): load
 * `.ts`, `.mts` (and `.cts`) files, and the program's own JavaScript with markers, compiled with the
 * ts-pdb transform, and resolve the `./x.js` specifiers TypeScript code writes to the `./x.ts` file
 * that exists.
 */
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { compile, formatOf, shouldCompile } from './compile';

type Next<A extends unknown[], R> = (...args: A) => Promise<R>;
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | null;
  shortCircuit?: boolean;
}

/** Resolves `./x.js` to `./x.ts` (and `.mjs`/`.cjs` to `.mts`/`.cts`) when only the TypeScript file exists. */
export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<[string, unknown], ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await next(specifier, context);
  } catch (e) {
    const m = /^(\.{1,2}\/.*)\.([mc]?)js$/.exec(specifier);
    if (!m || !context.parentURL || (e as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    return next(`${m[1]}.${m[2]}ts`, context);
  }
}

/** Loads TypeScript files compiled and instrumented; CommonJS ones go to the require hook. */
export async function load(url: string, context: { format?: string }, next: Next<[string, unknown], LoadResult>): Promise<LoadResult> {
  if (!url.startsWith('file:')) return next(url, context);
  const file = fileURLToPath(url);
  let source: string | undefined;
  const read = (): string => (source ??= readFileSync(file, 'utf8'));
  if (!shouldCompile(file, read)) return next(url, context);
  const format = formatOf(file);
  // CommonJS: Node's CommonJS loader reads the file and calls the require hook of register.ts.
  if (format === 'commonjs') return { format: 'commonjs', shortCircuit: true };
  return { format: 'module', source: compile(read(), file, 'module'), shortCircuit: true };
}
