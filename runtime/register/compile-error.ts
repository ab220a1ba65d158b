/**
 * The error of a file the loader (`ts-pdb run`, `--import ts-pdb/register`) cannot compile: a
 * SyntaxError whose message is the compiler's own (`app.ts(3,11): error TS1109: Expression
 * expected.`), marked with a code so that no session opens on it (load-failure.ts).
 */

/** `code` of the error thrown for a file that does not compile. */
export const COMPILE_ERROR = 'ERR_TS_PDB_COMPILE';

/** A SyntaxError with `message` and {@link COMPILE_ERROR} as its code. */
export function compileError(message: string): SyntaxError {
  // Node shows this line above the message of an error nobody catches: it says what happened.
  const e = new SyntaxError(message) as SyntaxError & { code: string }; // ts-pdb: the program does not compile (the error below)
  e.code = COMPILE_ERROR;
  return e;
}
