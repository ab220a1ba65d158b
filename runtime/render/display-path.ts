/**
 * How a file is named in session output: relative to the working directory when it lies inside it
 * (short, and what the user typed to run the program), absolute otherwise.
 */
import * as path from 'node:path';

/** The file as shown to the user. Never throws. */
export function displayPath(file: string | undefined, cwd: string = safeCwd()): string {
  if (!file) return '<unknown>';
  if (!path.isAbsolute(file) || !cwd) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function safeCwd(): string {
  try {
    return process.cwd();
  } catch {
    return ''; // the directory was removed while the program ran
  }
}
