/**
 * The terminal worker: a `worker_threads` thread that owns the terminal while the main thread is
 * stopped in a session.
 *
 * It runs `readline` in raw mode (line editing, arrow-key history, tab completion) on its own
 * descriptors of the terminal, and hands each line to the main thread (see shared/worker-link.ts).
 * Completions are asked of the main thread, which is waiting for the line anyway; Tab and the list
 * of candidates behave as in bash (tab-completion.ts).
 *
 * Between lines, while the main thread evaluates a command, the terminal is back in cooked mode:
 * Ctrl-C then interrupts the program as it would without a debugger, instead of being a keystroke
 * nobody reads while an endless expression runs.
 *
 * Nothing here may write through `process.stdout`: a worker's stdout is relayed by the main
 * thread's event loop, which is blocked.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as tty from 'node:tty';
import { workerEnd } from '../shared/worker-link';
import { loadHistory, saveHistory } from './history-file';
import type { FromWorker, ToWorker, WorkerStart } from './protocol';
import { tabCompletion, type CompletionResult, type TabCompletion } from './tab-completion';

// Any fault in this thread reaches the main thread, which would otherwise wait for ever: the
// terminal leaves raw mode first, and the thread lets go of everything after.
const { start, send } = workerEnd<WorkerStart, FromWorker>({ onFault: () => setRaw(false), afterFault: () => shutdown() });
const port = start.port;

let input: tty.ReadStream | undefined;
let output: tty.WriteStream | undefined;
let rl: readline.Interface | undefined;
/** True once the terminal went away (or the session closed it): every later read is EOF. */
let ended = false;
/** True once the main thread asked to close: readline's `close` event is then not an EOF. */
let closing = false;
/** True while a `read` is in progress: a line or an EOF is owed to the main thread. */
let reading = false;
let nextCompletion = 0;
const completions = new Map<number, (result: CompletionResult) => void>();
let tab: TabCompletion | undefined;
/** The answer owed to a Tab pressed while no line was being read (see `open`). */
let typedAhead: ((result: CompletionResult) => void) | undefined;

function setRaw(raw: boolean): void {
  if (input && input.isTTY && input.isRaw !== raw) input.setRawMode(raw);
}

function open(): void {
  const t = start.terminal;
  // Two descriptors on the device: libuv reopens and dup2()s a TTY descriptor onto itself when it
  // wraps it, so one descriptor shared by a read and a write stream would be closed twice.
  const inFd = t.kind === 'device' ? fs.openSync(t.path, 'r') : t.inFd;
  let outFd: number;
  try {
    outFd = t.kind === 'device' ? fs.openSync(t.path, 'w') : t.outFd;
  } catch (e) {
    if (t.kind === 'device') fs.closeSync(inFd);
    throw e;
  }
  input = new tty.ReadStream(inFd);
  output = new tty.WriteStream(outFd);
  tab = tabCompletion(input, output, (line, answer) => {
    // A Tab read together with the Enter before it, while the main thread runs that line: it is
    // answered (with nothing) at the next prompt; until then readline stays paused, so the keys
    // after it wait in the input too, and reach the next prompt in order, as typed-ahead keys do.
    if (!reading) {
      typedAhead = answer;
      return;
    }
    const id = ++nextCompletion;
    completions.set(id, answer);
    send({ type: 'complete', id, line });
  });
  rl = createInterface(input, output, loadHistory(start.historyFile, start.historySize));
  // A worker gets no SIGWINCH (and the main thread, which does, is stopped): look at the size at
  // each key, so that a terminal resized at the prompt gets lines and lists drawn to its new width.
  const to = output;
  input.prependListener('keypress', () => refreshSize(to, true));
  idle();
}

/**
 * Takes the terminal's current size; with `redraw`, a change is announced as SIGWINCH would have it
 * ('resize': readline draws the line being typed again, to the new width). Asked of the device:
 * `tty.WriteStream.getWindowSize()` only returns the size it stored at the last SIGWINCH, which a
 * worker never gets.
 */
function refreshSize(to: tty.WriteStream, redraw: boolean): void {
  try {
    const handle = (to as unknown as { _handle?: { getWindowSize?(size: number[]): number } })._handle;
    const size: number[] = [];
    if (typeof handle?.getWindowSize !== 'function' || handle.getWindowSize(size) !== 0) return;
    const [columns, rows] = size;
    if (!(columns > 0) || (columns === to.columns && rows === to.rows)) return;
    Object.assign(to, { columns, rows });
    if (redraw) to.emit('resize');
  } catch {
    /* keep the old size */
  }
}

/** A readline interface on the terminal, with `history` (most recent first), wired to the main thread. */
function createInterface(from: tty.ReadStream, to: tty.WriteStream, history: string[]): readline.Interface {
  const r = readline.createInterface({
    input: from,
    output: to,
    terminal: true,
    history,
    historySize: start.historySize,
    removeHistoryDuplicates: true,
    completer: tab!.completer,
  });
  tab!.use(r);
  r.on('history', (history: string[]) => saveHistory(start.historyFile, history, start.historySize));
  r.on('line', (line: string) => {
    if (!reading) return;
    reading = false;
    idle();
    send({ type: 'line', line });
  });
  // Ctrl-C at the prompt: like pdb, abandon the line and prompt again; the program is not killed.
  r.on('SIGINT', () => {
    r.write(null, { ctrl: true, name: 'e' });
    to.write('^C');
    clearLine(r);
    r.prompt();
  });
  r.on('close', () => {
    if (closing) {
      ended = true;
      return;
    }
    setRaw(false);
    // Ctrl-D on an empty line closes readline, but the terminal is still there: the next read
    // gets a new interface with the same history (Ctrl-D leaves `interact` for the session, as
    // in pdb). A terminal that went away ends its stream: every later read is then EOF.
    if (from.readableEnded || from.destroyed) ended = true;
    else {
      rl = createInterface(from, to, (r as unknown as { history: string[] }).history);
      rl.pause();
    }
    if (reading) {
      reading = false;
      send({ type: 'eof' });
    }
  });
  return r;
}

/** Ends the current line on screen and empties readline's line buffer. */
function clearLine(r: readline.Interface): void {
  const anyRl = r as unknown as { clearLine?: () => void; line: string; cursor: number };
  if (typeof anyRl.clearLine === 'function') {
    anyRl.clearLine();
  } else {
    output?.write('\r\n');
    anyRl.line = '';
    anyRl.cursor = 0;
  }
}

/** Between lines: stop reading keys and give the terminal back its ordinary mode. */
function idle(): void {
  rl?.pause();
  setRaw(false);
}

function read(prompt: string): void {
  if (ended || !rl || !output) {
    send({ type: 'eof' });
    return;
  }
  reading = true;
  // A worker gets no SIGWINCH: read the size before each prompt so wrapping stays right.
  refreshSize(output, false);
  setRaw(true);
  const owed = typedAhead;
  typedAhead = undefined;
  owed?.([[], '']);
  rl.setPrompt(prompt);
  rl.prompt();
}

function shutdown(): void {
  closing = true;
  const pending: Promise<void>[] = [];
  try {
    rl?.close();
  } catch {
    /* already closed */
  }
  try {
    setRaw(false);
  } catch {
    /* the terminal may be gone */
  }
  for (const stream of [input, output]) {
    if (!stream || stream.destroyed) continue;
    pending.push(new Promise((resolve) => stream.once('close', () => resolve())));
    stream.destroy();
  }
  // Answer once the descriptors are really closed, so nothing of ours outlives the session.
  void Promise.all(pending).then(() => {
    send({ type: 'closed' });
    port.close();
  });
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'read':
      read(message.prompt);
      break;
    case 'completion': {
      const answer = completions.get(message.id);
      completions.delete(message.id);
      answer?.([message.completions, message.substring]);
      break;
    }
    case 'close':
      shutdown();
      break;
  }
});

try {
  open();
  send({ type: 'ready', colors: output!.hasColors() });
} catch (fault) {
  send({ type: 'fatal', message: `cannot use the terminal: ${(fault as Error).message ?? String(fault)}` });
  shutdown();
}
