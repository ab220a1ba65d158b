/**
 * Runs a command in a real pseudo-terminal (node-pty) for end-to-end tests.
 *
 * Tests wait for output, never for time: `waitFor` resolves when the output seen so far matches,
 * and on timeout rejects with everything seen, so a failure says what the program printed.
 */
import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';

const require = createRequire(import.meta.url);
const pty = require('node-pty');

/** Default longest wait of {@link Pty.waitFor}, in ms. */
export const DEFAULT_WAIT_MS = 15_000;

/** Control keys for {@link Pty.key}. */
export const KEYS = {
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  tab: '\t',
  enter: '\r',
  ctrlC: '\x03',
  ctrlD: '\x04',
};

/** Removes ANSI escapes and carriage returns, so assertions read like the screen. */
export function plain(text) {
  return stripVTControlCharacters(text).replace(/\r/g, '');
}

/** A process running in a pseudo-terminal. */
export class Pty {
  /**
   * @param {string} file program to run
   * @param {string[]} args its arguments
   * @param {{ cwd?: string, env?: Record<string, string|undefined>, cols?: number, rows?: number }} [options]
   *   `env` is added to `process.env` (an `undefined` value removes a variable); default size 120x40.
   */
  constructor(file, args = [], options = {}) {
    const env = { ...process.env, ...options.env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    /** Everything the terminal showed, raw. */
    this.raw = '';
    /** Where the next {@link waitFor} starts looking, in {@link text} (advanced by each match). */
    this.mark = 0;
    this.waiters = new Set();
    this.proc = pty.spawn(file, args, {
      name: 'xterm-256color',
      cols: options.cols ?? 120,
      rows: options.rows ?? 40,
      cwd: options.cwd ?? process.cwd(),
      env,
    });
    this.proc.onData((d) => {
      this.raw += d;
      this.check();
    });
    /** Resolves with `{ exitCode, signal }` when the process ends. */
    this.exited = new Promise((resolve) =>
      this.proc.onExit((e) => {
        this.exit = e;
        resolve(e);
        this.check();
      }),
    );
  }

  /** Everything shown so far, without ANSI escapes. */
  get text() {
    return plain(this.raw);
  }

  /** Output after the last match of {@link waitFor}. */
  get rest() {
    return this.text.slice(this.mark);
  }

  check() {
    for (const w of this.waiters) w();
  }

  /**
   * Waits until the output after the previous match matches `pattern`.
   * @param {RegExp} pattern
   * @param {number} [timeoutMs] default 15000
   * @returns {Promise<RegExpExecArray>} the match; later waits look after it.
   */
  waitFor(pattern, timeoutMs = DEFAULT_WAIT_MS) {
    return new Promise((resolve, reject) => {
      const started = this.mark;
      const tryMatch = () => {
        const text = this.text;
        const m = pattern.exec(text.slice(started));
        if (m) {
          this.mark = started + m.index + m[0].length;
          done();
          resolve(m);
        } else if (this.exit) {
          done();
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) before ${pattern} appeared; seen:\n${text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; seen:\n${this.text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(tryMatch);
      };
      this.waiters.add(tryMatch);
      tryMatch();
    });
  }

  /** Types `line` and Enter. */
  type(line) {
    this.proc.write(`${line}\r`);
  }

  /** Sends raw keystrokes (see {@link KEYS}). */
  key(sequence) {
    this.proc.write(sequence);
  }

  /**
   * Waits for the process to end.
   * @param {number} [timeoutMs] default 15000; on timeout the process is killed and the output shown.
   * @returns {Promise<{ exitCode: number, signal?: number }>}
   */
  async wait(timeoutMs = DEFAULT_WAIT_MS) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`process did not exit within ${timeoutMs} ms; seen:\n${this.text}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Kills the process and its process group (if still running): the PTY made it a group leader,
   * and `ts-pdb run`'s program, in the same group, must not outlive it.
   */
  kill(signal = 'SIGKILL') {
    if (!this.exit) {
      try {
        process.kill(-this.proc.pid, signal);
      } catch {
        /* no such group */
      }
      try {
        this.proc.kill(signal);
      } catch {
        /* already gone */
      }
    }
  }
}

/**
 * Spawns `node` with `args` in a pseudo-terminal.
 * @param {string[]} args
 * @param {ConstructorParameters<typeof Pty>[2]} [options]
 */
export function spawnNode(args, options) {
  return new Pty(process.execPath, args, options);
}
