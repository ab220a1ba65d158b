/**
 * What a terminal shows, for pseudo-terminal tests that check the screen and not only the bytes:
 * the PTY's output is fed into a headless xterm.js terminal of the PTY's size (@xterm/headless), and
 * tests compare its rendered rows (cursor moves, clears and wrapping applied, as a user would see
 * them). Waits are on the rendered screen, with a timeout that prints it.
 */
import { createRequire } from 'node:module';
import { DEFAULT_WAIT_MS } from './pty.mjs';

const require = createRequire(import.meta.url);
const { Terminal } = require('@xterm/headless');

/** The screen of a {@link import('./pty.mjs').Pty}. */
export class Screen {
  /**
   * Starts rendering everything `pty` shows from now on (create it right after the process starts).
   * @param {import('./pty.mjs').Pty} pty
   * @param {{ scrollback?: number }} [options] rows kept above the visible ones; default 1000
   */
  constructor(pty, options = {}) {
    this.pty = pty;
    this.term = new Terminal({ cols: pty.proc.cols, rows: pty.proc.rows, scrollback: options.scrollback ?? 1000, allowProposedApi: true });
    /** Data written to the PTY but not yet parsed by the terminal. */
    this.parsing = 0;
    this.waiters = new Set();
    pty.proc.onData((d) => {
      this.parsing++;
      this.term.write(d, () => {
        this.parsing--;
        this.check();
      });
    });
    pty.exited.then(() => this.check());
  }

  /** Resizes the terminal and the PTY together (the program gets SIGWINCH, as from a real window). */
  resize(cols, rows) {
    this.term.resize(cols, rows);
    this.pty.proc.resize(cols, rows);
  }

  /** Every row, scrollback included, right-trimmed, without the empty rows at the bottom. */
  lines() {
    const b = this.term.buffer.active;
    const out = [];
    for (let i = 0; i < b.length; i++) out.push((b.getLine(i)?.translateToString(true) ?? '').trimEnd());
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  }

  /** The whole screen as text, one row a line. */
  get text() {
    return this.lines().join('\n');
  }

  /** The cursor: its row in {@link lines} and its column. */
  cursor() {
    const b = this.term.buffer.active;
    return { row: b.baseY + b.cursorY, col: b.cursorX };
  }

  check() {
    for (const w of this.waiters) w();
  }

  /**
   * Waits until the rendered screen matches `pattern` (a RegExp on {@link text}, or a function of the
   * Screen returning something truthy) with nothing left to parse.
   * @returns {Promise<any>} the match (or the function's value)
   */
  waitFor(pattern, timeoutMs = DEFAULT_WAIT_MS) {
    return new Promise((resolve, reject) => {
      const test = () => (typeof pattern === 'function' ? pattern(this) : pattern.exec(this.text));
      const tryMatch = () => {
        if (this.parsing > 0) return;
        const m = test();
        if (m) {
          done();
          resolve(m);
        } else if (this.pty.exit) {
          done();
          reject(
            new Error(`process exited (${JSON.stringify(this.pty.exit)}) before the screen showed ${pattern}; screen:\n${this.framed()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the screen to show ${pattern}; screen:\n${this.framed()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(tryMatch);
      };
      this.waiters.add(tryMatch);
      tryMatch();
    });
  }

  /** The last `n` rows, each between bars so that spaces show, for failure messages. */
  framed(n = 40) {
    return this.lines()
      .slice(-n)
      .map((l) => `|${l}|`)
      .join('\n');
  }
}
