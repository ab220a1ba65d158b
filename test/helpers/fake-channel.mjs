// A session Channel fed a script of lines that records everything, as a terminal would show it.

/**
 * @param {string[]} lines what the "user" types, in order; after the last one, readLine returns null (end of input).
 * @param {{ colors?: boolean }} [options] colors: default false.
 */
export class FakeChannel {
  constructor(lines, { colors = false } = {}) {
    this.lines = [...lines];
    this.colors = colors;
    /** Everything shown: output, errors, and each prompt followed by the line typed (as a terminal echoes it). */
    this.transcript = '';
    /** Errors only. */
    this.errors = '';
    /** The prompts shown, in order. */
    this.prompts = [];
    /** The last completer handed to readLine. */
    this.completer = undefined;
    this.closed = false;
  }

  write(text) {
    this.transcript += text;
  }

  error(text) {
    this.transcript += text;
    this.errors += text;
  }

  readLine(prompt, complete) {
    this.prompts.push(prompt);
    this.completer = complete;
    if (this.lines.length === 0) {
      this.transcript += `${prompt}^D\n`; // what a terminal echoes for end of input
      return null;
    }
    const line = this.lines.shift();
    this.transcript += `${prompt}${line}\n`;
    return line;
  }

  close() {
    this.closed = true;
  }
}
