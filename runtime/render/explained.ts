/**
 * A refusal in the session's own words (`*** No locals for Job.run: the session opened before the
 * error left it`): thrown by evaluation where an answer would mislead (`{}` for a frame nothing was
 * captured from, a `const` that the program would keep), and shown as its message alone.
 */

/** An error whose message is the whole of what the session prints (after `*** `). */
export class Explained extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Explained';
  }
}

/**
 * What a live breakpoint says when the user assigns bindings the program cannot be given a new
 * value: `lr is a const: the program keeps its value`.
 * @param kept each binding's name and kind (`const`, `function`, `class`, `using`).
 */
export function constantsKept(kept: ReadonlyArray<{ name: string; kind: string }>): string {
  const what = kept.map(({ name, kind }) => `${name} is ${kind === 'const' ? 'a const' : `a ${kind} declaration`}`).join('; ');
  return `${what}: the program keeps ${kept.length === 1 ? 'its value' : 'their values'}`;
}
