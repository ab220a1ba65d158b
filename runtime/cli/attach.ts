/**
 * `ts-pdb attach [rank | path]`: connects to a waiting socket session with line editing and
 * history (Node's readline), where `nc -U` has neither.
 *
 * - No argument: the one waiting session of this user (or the list, when there are several).
 * - A rank: that rank's session from the registry; a path: that socket; `host:port`: a TCP session
 *   (its token, when it has one, comes from the registry).
 *
 * The session's prompt (`(rank-1-pdb) `) becomes readline's prompt, so typing never mixes with it.
 * Tab asks the session for completions out of band (the wire format in front-ends/socket/protocol.ts), so what
 * completes is what the console would complete: command names, names in scope, `obj.attr`; Tab and
 * the list of candidates behave as in bash, as in the console (front-ends/console/tab-completion.ts).
 * Session output that arrives while the user types ahead is written above the typed text.
 *
 * Exit status: 0 when the session ended or the user left it; 1, with one line on stderr, when attach
 * could not connect or was turned away (busy, token refused, a web-mode rank).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { list, reachOf, type RegistryEntry } from '../front-ends/shared/registry';
import { ago, formatList, REACH_HINT } from '../front-ends/shared/registry-table';
import { tabCompletion, type AskCompletions, type CompletionResult } from '../front-ends/console/tab-completion';
import { COMPLETIONS_ANSWER, completionRequest, parseCompletionAnswer, REFUSAL } from '../front-ends/socket/protocol';

/** A prompt at the end of what the session sent. */
const PROMPT = /(\(rank-\d+-pdb\) |ipdb> )$/;

/** Every prompt at the start of a line (a prompt is always written at one). */
const PROMPTS = /(?:^|\n)(?:\(rank-\d+-pdb\) |ipdb> )/g;

/** The prompts in `text`, a piece of the session's output; `lineStart`: it begins a line. */
function countPrompts(text: string, lineStart: boolean): number {
  return (lineStart ? text : text.replace(/^[^\n]*/, '')).match(PROMPTS)?.length ?? 0;
}

/** Longest wait for the session's completions after Tab, in ms; then nothing is completed and typing goes on. */
export const COMPLETION_TIMEOUT_MS = 1000;

/** Longest answer line kept while waiting for its end (a longer one is not ours: it is shown as output). */
const MAX_ANSWER = 4 * 1024 * 1024;

/** Where to connect: a Unix socket path or `host:port`, the token to send first, if any, and the registry entry it came from. */
export interface Target {
  path: string;
  token?: string;
  entry?: RegistryEntry;
}

/** Which sessions a rank (or no target) may name: `--job ID`, `--host H`. */
export interface Scope {
  job?: string;
  host?: string;
}

/** `host:port` (`[::1]:4445`) as net.connect's options, or undefined for a socket path. */
function tcpAddress(address: string): { host: string; port: number } | undefined {
  const m = /^\[?([^\]/]*?)\]?:(\d+)$/.exec(address);
  return m && !address.includes('/') ? { host: m[1], port: Number(m[2]) } : undefined;
}

/** ` of job J on host H`, as far as `scope` says. */
function scoped(scope: Scope): string {
  return `${scope.job !== undefined ? ` of job ${scope.job}` : ''}${scope.host !== undefined ? ` on host ${scope.host}` : ''}`;
}

/** `job J on host H (pid P)`: which of several sessions an entry is. */
function which(e: RegistryEntry): string {
  return `${e.job !== undefined ? `job ${e.job}` : 'no job'} on host ${e.host} (pid ${e.pid})`;
}

/**
 * Where `target` (a rank, a path, `host:port` or nothing) leads, or a message saying why it leads
 * nowhere. A rank (or no target) is looked up among the waiting sessions of `scope`'s job and host;
 * an entry of another host that only its host can reach, or that is `gone`, is a message.
 */
export function resolveTarget(target: string | undefined, scope: Scope = {}): Target | { message: string } {
  const all = list();
  const here = os.hostname();
  // A web session's page (its URL, or its host:port) is for a browser: attach cannot speak to it.
  if (target && /^https?:\/\//i.test(target))
    return { message: `ts-pdb attach: ${target} is a web session's page: open it in a browser\n` };
  if (target && (target.includes('/') || fs.existsSync(target) || tcpAddress(target))) {
    const tcpTarget = tcpAddress(target);
    const web = tcpTarget && all.find((e) => e.mode === 'web' && isAddressOf(e, tcpTarget));
    if (web) return inBrowser(web);
    // A TCP session bound to 0.0.0.0 is reached as 127.0.0.1 (or any address of this host): by port, among this host's.
    const port = tcpTarget?.port;
    const entry = all.find(
      (e) => e.address === target || (port !== undefined && e.mode === 'tcp' && e.host === here && tcpAddress(e.address)?.port === port),
    );
    return { path: target, token: entry?.token, ...(entry ? { entry } : {}) };
  }
  if (target !== undefined && !/^\d+$/.test(target))
    return { message: `ts-pdb attach: ${JSON.stringify(target)} is neither a rank, a socket path nor host:port\n` };
  const inScope = all.filter(
    (e) => (scope.job === undefined || e.job === scope.job) && (scope.host === undefined || e.host === scope.host),
  );
  if (target !== undefined) {
    const rank = Number(target);
    const of = inScope.filter((e) => e.rank === rank);
    const waiting = of.filter((e) => e.state !== 'gone');
    if (waiting.length === 1) return targetOf(waiting[0], here);
    if (waiting.length > 1)
      return {
        message: `ts-pdb attach: ${waiting.length} waiting sessions of rank ${rank}${scoped(scope)}: ${waiting
          .map(which)
          .sort()
          .join('; ')}; say which with --job ID or --host H\n`,
      };
    const gone = of[0];
    if (gone)
      return {
        message:
          `ts-pdb attach: rank ${rank} of ${which(gone)} is gone: no heartbeat for ${ago(Date.now() - (gone.beat ?? gone.since))} ` +
          `(its host or process is down); its snapshot, if any: ${gone.snapshot ?? 'none'}\n`,
      };
    return { message: `ts-pdb attach: no waiting session of rank ${target}${scoped(scope)}\n${formatList(all)}` };
  }
  // With no target, the one session a terminal client can join (web sessions wait for a browser).
  const entries = inScope.filter((e) => e.state !== 'gone');
  const clients = entries.filter((e) => e.mode !== 'web');
  if (clients.length === 1) return targetOf(clients[0], here);
  if (!clients.length && entries.length === 1) return inBrowser(entries[0]);
  return {
    message: entries.length
      ? `ts-pdb attach: which one? give a rank or a path\n${formatList(entries)}`
      : `ts-pdb attach: no waiting ts-pdb sessions${scoped(scope)}\n`,
  };
}

/** The target of a waiting entry, or why attach cannot reach it from this host. */
function targetOf(e: RegistryEntry, here: string): Target | { message: string } {
  if (e.mode === 'web') return inBrowser(e);
  if (e.host !== here && reachOf(e) === 'host') {
    const how = e.mode === 'socket' ? `a Unix socket (${e.address})` : `a loopback address (${e.address})`;
    return {
      message:
        `ts-pdb attach: rank ${e.rank} waits on host ${e.host} on ${how}, which other hosts cannot reach: ` +
        `run ts-pdb attach ${e.rank} on ${e.host}, or start the job with ${REACH_HINT}\n`,
    };
  }
  return { path: e.address, token: e.token, entry: e };
}

/** True when `to` (host:port) reaches the web session `entry`: its URL's host and port, or its port on this host by a loopback name. */
function isAddressOf(entry: { address: string; host?: string }, to: { host: string; port: number }): boolean {
  let url: URL;
  try {
    url = new URL(entry.address);
  } catch {
    return false;
  }
  if (Number(url.port || (url.protocol === 'https:' ? 443 : 80)) !== to.port) return false;
  const local =
    /^(127\.\d+\.\d+\.\d+|::1|localhost|0\.0\.0\.0)$/i.test(to.host) && (entry.host === undefined || entry.host === os.hostname());
  return local || url.hostname.replace(/^\[|\]$/g, '') === to.host;
}

/** What attach says of a web session: its page is the client (its address is the URL, with the token if any). */
function inBrowser(entry: { rank: number; address: string }): { message: string } {
  return { message: `ts-pdb attach: rank ${entry.rank} waits in web mode: open ${entry.address} in a browser\n` };
}

/**
 * Takes completion answers out of the session's output as it arrives. `push(chunk)` returns the
 * text to show and calls `onAnswer` with the JSON of each answer; an answer cut between chunks is
 * kept until its end of line arrives. A NUL that does not start an answer is ordinary output.
 */
export function answerSplitter(onAnswer: (json: string) => void): { push(chunk: string): string } {
  let held = '';
  return {
    push(chunk: string): string {
      let text = held + chunk;
      held = '';
      let out = '';
      for (;;) {
        const at = text.indexOf(COMPLETIONS_ANSWER[0]);
        if (at < 0) return out + text;
        out += text.slice(0, at);
        text = text.slice(at);
        const nl = text.indexOf('\n');
        if (text.startsWith(COMPLETIONS_ANSWER) && nl >= 0) {
          onAnswer(text.slice(COMPLETIONS_ANSWER.length, nl));
          text = text.slice(nl + 1);
        } else if (nl < 0 && text.length < MAX_ANSWER && (text.startsWith(COMPLETIONS_ANSWER) || COMPLETIONS_ANSWER.startsWith(text))) {
          held = text; // the rest of an answer is still on its way
          return out;
        } else {
          out += text[0];
          text = text.slice(1);
        }
      }
    },
  };
}

/** How long the start of a prompt is held for its end, in ms. */
const PROMPT_WAIT_MS = 200;

/** True when `tail` (text after the last end of line) may be the start of a session's prompt. */
export function isPromptStart(tail: string): boolean {
  return 'ipdb> '.startsWith(tail) || /^\((r(a(n(k(-(\d+(-(p(d(b(\) ?)?)?)?)?)?)?)?)?)?)?)?$/.test(tail);
}

/** Longest wait for a TCP connection to be made, in ms: an address that drops what it is sent (a firewall, a host that is down) answers nothing. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The `code` of the error attach makes when a TCP connection is not made within {@link CONNECT_TIMEOUT_MS}. */
const NO_ANSWER = 'TS_PDB_NO_ANSWER';

/** What attach says when the connection cannot be made, in one line. */
function cannotConnect(where: Target, e: NodeJS.ErrnoException): string {
  const e2 = where.entry;
  const tcp = tcpAddress(where.path);
  // A session of another host: say what the network did, and what to set.
  if (e2 && e2.host !== os.hostname() && tcp) {
    const who = `rank ${e2.rank} on host ${e2.host} (${where.path})`;
    const elsewhere = `or run ts-pdb attach ${e2.rank} on ${e2.host}`;
    if (e.code === 'ECONNREFUSED')
      return `ts-pdb attach: ${who} refused the connection: the session ended, or a firewall on ${e2.host} turns this host away (let this host reach TCP port ${tcp.port} there, ${elsewhere})\n`;
    if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'EHOSTDOWN')
      // An ICMP answer: a firewall that rejects (rather than drops), or no route to the address.
      return `ts-pdb attach: ${who} cannot be reached from this host (${e.code}): a firewall there rejects the connection, or no route leads to it (let this host reach TCP port ${tcp.port} there, or set IPDB_HOST on ${e2.host} to an address this host can reach, ${elsewhere})\n`;
    if (e.code === NO_ANSWER)
      return `ts-pdb attach: ${who} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s: a firewall drops the connection, or the host is down (let this host reach TCP port ${tcp.port} there, ${elsewhere})\n`;
  }
  if (e.code === NO_ANSWER)
    return `ts-pdb attach: ${where.path} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (a firewall drops the connection, or the host is down)\n`;
  if (e.code === 'ENOENT')
    return `ts-pdb attach: no socket at ${where.path} (the session ended, or the path is wrong; ts-pdb ls lists the waiting sessions)\n`;
  if (e.code === 'ECONNREFUSED')
    return `ts-pdb attach: nothing listens at ${where.path} (the session ended; ts-pdb ls lists the waiting sessions)\n`;
  return `ts-pdb attach: cannot connect to ${where.path}: ${e.message}\n`;
}

/**
 * `ts-pdb attach [rank | path | host:port] [--job ID] [--host H]`: the arguments read, the client run;
 * resolves with the exit code (2: a usage mistake, said in one line).
 */
export function attachCommand(args: string[]): Promise<number> {
  const usage = (why: string): Promise<number> => {
    process.stderr.write(`ts-pdb attach: ${why}; usage: ts-pdb attach [rank | path | host:port] [--job ID] [--host H]\n`);
    return Promise.resolve(2);
  };
  let target: string | undefined;
  const scope: Scope = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--job' || a === '--host') {
      const v = args[++i];
      if (v === undefined || v.trim() === '') return usage(`${a} takes a value`);
      if (a === '--job') scope.job = v;
      else scope.host = v;
    } else if (a.startsWith('--')) return usage(`unknown option ${a}`);
    else if (target !== undefined) return usage('one session at a time');
    else target = a;
  }
  if ((scope.job !== undefined || scope.host !== undefined) && target !== undefined && !/^\d+$/.test(target))
    return usage('--job and --host choose among the sessions of a rank, not of a path');
  return attach(target, scope);
}

/**
 * Runs the client; resolves with the exit code: 0 when the session ended or the user left it
 * (Ctrl-D, end of piped input), 1 when attach could not connect, was turned away (the session is
 * busy with another client, the token was refused) or the connection closed before any prompt.
 * Every failure is said in one line on stderr.
 */
export function attach(target: string | undefined, scope: Scope = {}): Promise<number> {
  const where = resolveTarget(target, scope);
  if ('message' in where) {
    process.stderr.write(where.message);
    return Promise.resolve(1);
  }
  return new Promise((resolve) => {
    const tcp = tcpAddress(where.path);
    const socket = tcp ? net.connect(tcp) : net.connect(where.path);
    // An address that drops what it is sent never answers: say so after a while, instead of waiting for the system's minutes.
    const noAnswer = tcp
      ? setTimeout(() => socket.destroy(Object.assign(new Error('no answer'), { code: NO_ANSWER })), CONNECT_TIMEOUT_MS)
      : undefined;
    const terminal = !!process.stdin.isTTY;
    let connected = false;
    /** Set when the session turned this client away (its one line is on stderr). */
    let refused = false;
    /** The Tab waiting for its answer: readline asks for one completion at a time (it pauses input meanwhile). */
    let waiting: { id: number; done: (result: CompletionResult) => void } | undefined;
    let lastId = 0;
    const ask: AskCompletions = (line, answer) => {
      if (!connected || socket.destroyed) {
        answer([[], '']);
        return;
      }
      // readline waits for each answer before it asks again; should it not, the older Tab gets nothing.
      if (waiting) answered(waiting.id, [[], '']);
      const id = ++lastId;
      const timer = setTimeout(() => answered(id, [[], '']), COMPLETION_TIMEOUT_MS);
      waiting = {
        id,
        done: (result) => {
          clearTimeout(timer);
          answer(result);
        },
      };
      socket.write(completionRequest(id, line));
    };
    /** Gives readline its answer once; a late answer (after the timeout) or another id is dropped. */
    const answered = (id: number, result: CompletionResult): void => {
      if (!waiting || waiting.id !== id) return;
      const w = waiting;
      waiting = undefined;
      w.done(result);
    };
    const answers = answerSplitter((json) => {
      const a = parseCompletionAnswer(json);
      if (a && typeof a.id === 'number') answered(a.id, [a.completions, a.substring]);
    });
    // Tab as in bash: the shared part inserted, a second Tab lists the candidates in columns.
    const tab = terminal ? tabCompletion(process.stdin, process.stdout, ask) : undefined;
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal,
      historySize: 1000,
      prompt: '',
      completer: tab?.completer,
    });
    tab?.use(rl);
    const editor = rl as unknown as { line: string; prevRows?: number; getCursorPos(): { rows: number; cols: number } };
    const historyFile = path.join(os.homedir(), '.ts_pdb_attach_history');
    try {
      const saved = fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse();
      (rl as unknown as { history: string[] }).history.push(...saved);
    } catch {
      // No history yet.
    }
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      if (noAnswer) clearTimeout(noAnswer);
      connected = true;
      if (where.token) socket.write(where.token + '\n');
    });
    socket.on('data', (chunk: string) => {
      // Completion answers are for readline, never shown; an answer alone leaves the screen as it is.
      let raw = answers.push(chunk);
      if (!raw) return;
      // The token question is for clients that do not know it; attach sent it already.
      if (where.token) raw = raw.replace(/^ts-pdb: token\? .*\n/m, '');
      // Turned away before any prompt (busy, wrong token): one line on stderr, then the session closes.
      const refusal = prompts === 0 ? REFUSAL.exec(raw) : null;
      if (refusal) {
        refused = true;
        process.stderr.write(`ts-pdb attach: ${refusal[0].replace(/^ts-pdb: /, '')}`);
        raw = raw.slice(0, refusal.index) + raw.slice(refusal.index + refusal[0].length);
      }
      show(raw);
    });
    /** The start of a prompt at the end of what came, held until the rest arrives (or briefly). */
    let partial = '';
    /** True when what comes next starts a line (nothing came yet, or the last text ended one). */
    let lineStart = true;
    /**
     * True while what the user types is drawn from the start of a row (after Enter, or after output
     * that ended a line, or after a prompt): such typed-ahead text can be taken off the screen and
     * drawn again below the output that arrives meanwhile.
     */
    let typingAtLineStart = true;
    let flush: NodeJS.Timeout | undefined;
    /** Session output, written above what the user is typing ahead (if anything), which is drawn again after it. */
    const print = (text: string, promptFollows: boolean): void => {
      if (!text) return;
      const typed = terminal && !inputEnded && editor.line !== '';
      if (typed && typingAtLineStart) {
        // Back to the row where the typed text starts, and clear it and below (readline's own redraw does the same).
        const rows = editor.getCursorPos().rows;
        process.stdout.write(`${rows > 0 ? `\x1b[${rows}A` : ''}\r\x1b[J`);
      }
      process.stdout.write(text);
      typingAtLineStart = text.endsWith('\n');
      if (typed && typingAtLineStart) {
        editor.prevRows = 0;
        // The prompt that follows draws the typed text with it.
        if (!promptFollows) {
          if (tab) tab.afterCompletion(() => redraw());
          else redraw();
        }
      }
    };
    const redraw = (): void => {
      if (!inputEnded) rl.prompt(true);
    };
    const showPrompt = (prompt: string): void => {
      if (inputEnded) return;
      rl.setPrompt(prompt);
      rl.prompt(true);
      typingAtLineStart = true;
    };
    const show = (arrived: string): void => {
      if (flush) {
        clearTimeout(flush);
        flush = undefined;
      }
      const text = partial + arrived;
      partial = '';
      const m = PROMPT.exec(text);
      if (m) {
        print(text.slice(0, m.index), true);
        // Count every prompt that came, not only the last: a prompt, the answer to a command that
        // was already waiting and the next prompt can arrive in one chunk (a loaded machine), and
        // piped input leaves only once each of its lines has been answered.
        prompts += Math.max(1, countPrompts(text, lineStart));
        // The session's next output follows the line the user enters: it starts a line.
        lineStart = true;
        // Piped commands all answered (a prompt after each): leave, as Ctrl-D does.
        if (inputEnded && prompts > sent) {
          socket.end();
          return;
        }
        // Input ended (piped commands still being answered): readline is closed, and Node 22+
        // throws on prompt() after close; show the prompt as text.
        if (inputEnded) {
          process.stdout.write(m[1]);
          return;
        }
        // Not while a Tab waits for its answer: prompt() resumes readline's input, and keys typed
        // after the Tab would reach the line before the Tab is done with it.
        const prompt = m[1];
        if (tab) tab.afterCompletion(() => showPrompt(prompt));
        else showPrompt(prompt);
        return;
      }
      const tail = text.slice(text.lastIndexOf('\n') + 1);
      if (tail && isPromptStart(tail)) {
        print(text.slice(0, text.length - tail.length), false);
        prompts += countPrompts(text.slice(0, text.length - tail.length), lineStart);
        partial = tail;
        lineStart = true;
        // Output that only looks like a prompt's start is shown anyway when nothing follows.
        flush = setTimeout(() => {
          const t = partial;
          partial = '';
          lineStart = false;
          print(t, false);
        }, PROMPT_WAIT_MS);
        return;
      }
      print(text, false);
      prompts += countPrompts(text, lineStart);
      lineStart = text.endsWith('\n');
    };
    /** Lines sent, prompts seen, and whether the input ended: piped commands are answered before attach leaves. */
    let sent = 0;
    let prompts = 0;
    let inputEnded = false;
    rl.on('line', (line) => {
      sent++;
      // Until the session's next prompt, what the user types ahead is drawn alone at the start of the row.
      rl.setPrompt('');
      typingAtLineStart = true;
      if (!socket.destroyed) socket.write(line + '\n');
      if (line.trim() && terminal) {
        try {
          fs.appendFileSync(historyFile, line + '\n', { mode: 0o600 });
        } catch {
          /* history is a convenience */
        }
      }
    });
    // Ctrl-C clears the line, as in the console (and pdb); Ctrl-D leaves.
    rl.on('SIGINT', () => {
      process.stdout.write('^C\n');
      const r = rl as unknown as { line: string; cursor: number };
      r.line = '';
      r.cursor = 0;
      rl.prompt();
    });
    // Ctrl-D: leave the session waiting for the next client (as closing nc does).
    // With piped input (`printf 'p rank\nq\n' | ts-pdb attach 1`), the answers to the last commands
    // (and the session's goodbye after `q`) are still on their way: leave once they are in.
    rl.on('close', () => {
      inputEnded = true;
      if (terminal || prompts > sent) socket.end();
    });
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      if (waiting) answered(waiting.id, [[], '']);
      rl.close();
      resolve(code);
    };
    socket.on('error', (e) => {
      if (!connected) process.stderr.write(cannotConnect(where, e));
      finish(connected && !refused && prompts > 0 ? 0 : 1);
    });
    socket.on('close', () => {
      if (noAnswer) clearTimeout(noAnswer);
      if (connected && !refused && prompts === 0) {
        process.stderr.write(`ts-pdb attach: the session at ${where.path} closed the connection before its prompt\n`);
      }
      finish(connected && !refused && prompts > 0 ? 0 : 1);
    });
  });
}
