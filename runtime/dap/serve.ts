/**
 * `ts-pdb dap`: the adapter on stdio (VS Code's DebugAdapterExecutable, nvim-dap's `executable`), or
 * with `--port N` on loopback TCP (nvim-dap's `server`; port 0: any free one, printed). Each client
 * gets its own adapter (adapter.ts); messages are read by framing.ts (bounded, hostile input said
 * and dropped) and handed to it.
 *
 * On stdio, stdout is the protocol's: whatever else this process writes there (`p console.log(x)`
 * typed in a snapshot's debug console runs here) becomes an `output` event instead of corrupting
 * the stream. A fault nobody caught (a timer set from the debug console that throws) is said in the
 * console; the adapter goes on. The process ends when the client disconnects or goes away.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { DapAdapter } from './adapter';
import { FrameReader } from './framing';
import { peerIsThisUser } from './peer-user';

/** The usage line of `ts-pdb dap`. */
export const DAP_USAGE = 'usage: ts-pdb dap [--port N]   (DAP on stdio; --port: on 127.0.0.1:N, 0 for any free port)';

/**
 * Runs `ts-pdb dap [--port N]`. Resolves to an exit code for a usage mistake (2) or a port that
 * cannot be had (1); otherwise the process ends with its client (stdio) or runs until killed (TCP).
 */
export function runDap(args: string[]): Promise<number> | undefined {
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--port(?:=(.*))?$/.exec(a);
    if (m) {
      const text = m[1] ?? args[++i];
      const n = Number(text);
      if (text === undefined || text.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) {
        process.stderr.write(
          `ts-pdb dap: --port takes a port number (0 for any free one), not ${JSON.stringify(text ?? '')}\n${DAP_USAGE}\n`,
        );
        return Promise.resolve(2);
      }
      port = n;
    } else {
      process.stderr.write(`ts-pdb dap: unknown argument ${JSON.stringify(a)}\n${DAP_USAGE}\n`);
      return Promise.resolve(2);
    }
  }
  keepGoing();
  if (port === undefined) {
    serveStdio();
    return undefined;
  }
  return serveTcp(port);
}

/** The adapters alive in this process, for faults nobody caught. */
const adapters = new Set<DapAdapter>();

/** A rejection or an exception nobody handled (code run from a debug console) is said, not fatal: the adapter and its sessions go on. */
function keepGoing(): void {
  const say = (what: string, e: unknown): void => {
    const text = `ts-pdb dap: ${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
    for (const a of adapters) a.say(text, 'stderr');
  };
  process.on('uncaughtException', (e) => say('an exception nobody caught', e));
  process.on('unhandledRejection', (e) => say('a rejection nobody handled', e));
}

/** Connects an adapter to a byte stream in and a writable out; `end` runs once when the client is gone or disconnected. */
function connect(input: NodeJS.ReadableStream, output: Writable, end: () => void): DapAdapter {
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    adapters.delete(adapter);
    end();
  };
  const adapter = new DapAdapter({ onEnd: finish });
  adapters.add(adapter);
  // The library writes to `output`; its own reader is not used (it gets a stream that never speaks).
  adapter.start(new PassThrough(), output);
  const reader = new FrameReader({
    message: (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        adapter.say(`ts-pdb dap: dropped a message that is not a DAP object: ${JSON.stringify(value).slice(0, 200)}\n`, 'stderr');
        return;
      }
      const m = value as { type?: unknown; seq?: unknown; command?: unknown };
      if (m.type === 'request' && (typeof m.seq !== 'number' || typeof m.command !== 'string')) {
        answerMalformed(
          adapter,
          typeof m.seq === 'number' ? m.seq : 0,
          typeof m.command === 'string' ? m.command : '',
          'a request needs a number "seq" and a string "command"',
        );
        return;
      }
      if (m.type !== 'request') {
        if (m.type !== 'response')
          adapter.say(`ts-pdb dap: dropped a message that is not a request (type ${JSON.stringify(m.type)})\n`, 'stderr');
        return;
      }
      adapter.handleMessage(value as import('@vscode/debugprotocol').DebugProtocol.ProtocolMessage);
    },
    dropped: (why, request) => {
      adapter.say(`ts-pdb dap: dropped ${why}\n`, 'stderr');
      if (request) answerMalformed(adapter, request.seq, request.command, `the request was malformed: ${why}`);
    },
  });
  input.on('data', (chunk: Buffer | string) => reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  // The client went away (closed its end, or the connection broke): let every rank wait on, and end.
  const gone = (): void => {
    void adapter.end(false).finally(finish);
  };
  input.on('end', gone);
  input.on('close', gone);
  input.on('error', gone);
  output.on('error', gone);
  return adapter;
}

/** An error response to a request that could not be read whole. */
function answerMalformed(adapter: DapAdapter, seq: number, command: string, message: string): void {
  const response: import('@vscode/debugprotocol').DebugProtocol.Response = {
    seq: 0,
    type: 'response',
    request_seq: seq,
    command,
    success: false,
    message,
    body: { error: { id: 2, format: message, showUser: true } },
  };
  adapter.sendResponse(response);
}

/** DAP on stdin and stdout; whatever else writes to stdout becomes `output` events. */
function serveStdio(): void {
  const write = process.stdout.write.bind(process.stdout) as (chunk: string | Uint8Array, cb?: (e?: Error | null) => void) => boolean;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      // A pipe to the editor: written whole and at once (Node writes pipes synchronously on POSIX).
      write(chunk, (e) => cb(e ?? null));
    },
  });
  const adapter = connect(process.stdin, out, () => {
    // Let what was written reach the editor, then go.
    out.end(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
  const said = (chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
    adapter.say(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'), 'stdout');
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  process.stdout.write = said;
  // An editor that stops the adapter with a signal gets the ranks left waiting, as a disconnect does.
  for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    process.on(sig, () => {
      void adapter.end(false).finally(() => process.exit(0));
    });
  }
}

/** DAP on 127.0.0.1:port, a client at a time per connection (each its own adapter), for this user only. */
function serveTcp(port: number): Promise<number> | undefined {
  const server = net.createServer((socket) => {
    if (!peerIsThisUser(socket)) {
      socket.end(refusal('ts-pdb dap serves only its own user: this connection comes from another user of the machine'));
      return;
    }
    socket.setNoDelay(true);
    connect(socket, socket, () => socket.end());
  });
  return new Promise((resolve) => {
    server.on('error', (e: NodeJS.ErrnoException) => {
      process.stderr.write(`ts-pdb dap: cannot listen on 127.0.0.1:${port}: ${e.message}\n`);
      resolve(1);
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      // On stdout, as the first line: an editor or a script that started it with port 0 reads the port here.
      fs.writeSync(1, `ts-pdb dap: listening on 127.0.0.1:${address.port}\n`);
    });
  });
}

/** A DAP `output` event, then the end: what a refused client reads. */
function refusal(text: string): string {
  const json = JSON.stringify({ seq: 1, type: 'event', event: 'output', body: { category: 'important', output: `${text}\n` } });
  return `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}
