/**
 * The web worker's HTTP side: it serves the page's files, the overview of waiting sessions
 * (`/ranks`) and the WebSocket (`/ws`), each request passing http-guard.ts first, and says where it
 * listens (the box on stderr, the registry). What happens on a WebSocket once it is open is the
 * relay's (page-relay.ts).
 *
 * - `Host` must name this server (DNS rebinding); `Origin` must be the page's own on the WebSocket
 *   and on anything but a plain read; a non-loopback bind (or `IPDB_TOKEN=1`) needs the token. The
 *   page's static files (its scripts, app.css, the icon) are the same for everyone and need no
 *   token; the page itself, the overview and the WebSocket do.
 * - Nothing changes state over plain HTTP: commands go over the WebSocket.
 * - A snapshot's page (`ts-pdb open --web`) is no waiting session: it is not registered, its box
 *   says whose snapshot it serves, and it has no overview of waiting sessions (`/ranks`).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { boxed, snapshotLines } from '../../render/boxed';
import { reachableFrom, withPort } from '../shared/reachable-address';
import * as registry from '../shared/registry';
import { hostAllowed, isWildcard, originAllowed, tokenMatches, urlHost } from './http-guard';

/** Largest WebSocket message accepted from a page. */
export const MAX_PAYLOAD = 1 << 20;

/** Content types of the page's files, by extension: a file of another kind in assets/ is not served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Paths that show the session or other sessions: they need the token. */
const PRIVATE = new Set(['/', '/index.html', '/ranks']);

/** What the server is told at start (the web worker's start data, web/protocol.ts). */
export interface PageServerOptions {
  /** The bind address (`IPDB_HOST`). */
  host: string;
  /** The token the page's URL must carry; undefined: none. */
  token?: string;
  rank: number;
  pid: number;
  /** The error's first line, for the box, the registry and refusal pages. */
  title: string;
  /** `IPDB_TIMEOUT` in ms, for the box; undefined: for ever. */
  timeoutMs: number | undefined;
  /** The folder of the page's files. */
  assets: string;
  /** Print the box with the URL on stderr once listening. */
  announce: boolean;
  /** A snapshot's page: whose snapshot and when (the box); undefined: a live program. */
  snapshot?: string;
  /** The snapshot file a live wait leaves, named in the box. */
  keeps?: string;
  /** The job's id, when known (the registry entry). */
  job?: string;
  /** When the program stopped, ms since the epoch (the registry entry). */
  thrown?: number;
  /** A WebSocket that passed the guard, open. */
  onSocket(ws: WebSocket): void;
}

/**
 * The page's files, read once at start: `/name` for each file of `dir` (one folder, no
 * subfolders: a path is looked up here as a whole, never joined to a folder), `/` for index.html.
 */
function readAssets(dir: string): Map<string, [Buffer, string]> {
  const assets = new Map<string, [Buffer, string]>();
  for (const file of fs.readdirSync(dir)) {
    const type = TYPES[path.extname(file)];
    if (!type || !fs.statSync(path.join(dir, file)).isFile()) continue;
    assets.set(`/${file}`, [fs.readFileSync(path.join(dir, file)), type]);
  }
  if (assets.has('/index.html')) assets.set('/', assets.get('/index.html')!);
  return assets;
}

/** Headers of every answer: nothing cached, no framing, no referrer (the URL may carry the token). */
function baseHeaders(req: http.IncomingMessage, type: string): http.OutgoingHttpHeaders {
  return {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Content-Security-Policy':
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
      `connect-src 'self' ws://${req.headers.host ?? ''}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  };
}

function reply(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...baseHeaders(req, type), 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The overview page's code (overview.ts): loaded by the first page that needs it, not before the first page is served. */
function overview(): typeof import('./overview') {
  return require('./overview') as typeof import('./overview');
}

function refusalPage(title: string, text: string): string {
  const { esc } = overview();
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ts-pdb: ${esc(title)}</title>` +
    `<link rel="stylesheet" href="app.css"></head><body class="overview"><header class="bar"><span class="brand">ts-pdb</span>` +
    `<span class="title">${esc(title)}</span></header><main class="overview-main"><p>${esc(text)}</p></main></body></html>\n`
  );
}

/** The HTTP server of one web session. */
export class PageServer {
  private readonly assets: Map<string, [Buffer, string]>;
  private server: http.Server | undefined;
  private wsServer: WebSocketServer | undefined;
  /** This session as the overview lists it, once the server listens. */
  private ownEntry: registry.RegistryEntry | undefined;
  /** Its entry in the registry, refreshed by this thread until the server closes. */
  private registration: registry.Registration | undefined;

  constructor(private readonly o: PageServerOptions) {
    this.assets = readAssets(o.assets);
  }

  /**
   * Listens on `port`, else (taken) on the next ones, `tries` more times; port 0: any free port.
   * Once listening: registers the session, prints the box (when asked), then calls `onListening`.
   */
  listen(port: number, tries: number, onListening: (port: number, url: string) => void, onFatal: (message: string) => void): void {
    const s = http.createServer((req, res) => this.onRequest(req, res));
    s.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    s.on('clientError', (_e, socket) => socket.destroy());
    s.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE' && port !== 0 && tries > 0 && port < 65535) this.listen(port + 1, tries - 1, onListening, onFatal);
      else onFatal(e.message);
    });
    s.listen(port, this.o.host, () => {
      this.server = s;
      const a = s.address();
      const actual = typeof a === 'object' && a ? a.port : port;
      const url = `http://${urlHost(this.o.host)}:${actual}/`;
      if (this.o.snapshot === undefined) {
        // Other hosts open the page at an IP of the interface bound (host names need not resolve there).
        const reach = reachableFrom(typeof a === 'object' && a ? a.address : this.o.host);
        this.ownEntry = {
          rank: this.o.rank,
          pid: this.o.pid,
          host: os.hostname(),
          mode: 'web',
          address: reach.ip ? `http://${withPort(reach.ip, actual)}/` : url,
          reach: reach.reach,
          ...(this.o.token ? { token: this.o.token } : {}),
          error: this.o.title,
          since: Date.now(),
          ...(this.o.keeps ? { snapshot: path.resolve(this.o.keeps) } : {}),
          ...(this.o.job !== undefined ? { job: this.o.job } : {}),
          ...(this.o.thrown !== undefined ? { thrown: this.o.thrown } : {}),
        };
        // Registered here, with the box, so that another rank's overview lists this one as soon as
        // the box is out; this thread beats for it (the main thread sleeps) and removes it on close.
        this.registration = registry.register(this.ownEntry).keepBeating();
      }
      if (this.o.announce) this.announce(url, actual);
      onListening(actual, url);
    });
  }

  /** Stops listening (open connections are let finish) and removes the session's entry. */
  close(): void {
    this.registration?.remove();
    this.server?.close();
  }

  /** Drops every open connection. */
  dropConnections(): void {
    this.server?.closeAllConnections();
  }

  /**
   * The WebSocket server, made on first use: loading `ws` takes milliseconds that neither the box
   * with the URL nor the page itself need wait for (it is loaded after the first answer, while the
   * browser reads the page).
   */
  private wss(): WebSocketServer {
    const { WebSocketServer: Server } = require('ws') as typeof import('ws');
    return (this.wsServer ??= new Server({ noServer: true, maxPayload: MAX_PAYLOAD, perMessageDeflate: false }));
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    // The page's WebSocket comes next: load `ws` once this answer is on its way.
    if (!this.wsServer) setImmediate(() => this.wss());
    if (!hostAllowed(req.headers.host, this.o.host)) {
      reply(
        req,
        res,
        403,
        'text/plain; charset=utf-8',
        `ts-pdb: refused: this server answers only to its own address, not to Host ${JSON.stringify(req.headers.host ?? '')} (DNS rebinding protection)\n`,
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Nothing here changes state over plain HTTP (commands go over the WebSocket); a cross-site
      // form post is refused before it is even looked at.
      const status = originAllowed(req.headers.origin, req.headers.host) ? 405 : 403;
      reply(
        req,
        res,
        status,
        'text/plain; charset=utf-8',
        status === 405 ? 'ts-pdb: only GET here\n' : 'ts-pdb: refused: cross-origin request\n',
      );
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      reply(req, res, 400, 'text/plain; charset=utf-8', 'ts-pdb: bad request\n');
      return;
    }
    if (PRIVATE.has(url.pathname) && !tokenMatches(url.searchParams.get('token'), this.o.token)) {
      reply(
        req,
        res,
        401,
        'text/html; charset=utf-8',
        refusalPage(
          'token needed',
          `This session needs its token: open the full URL printed in the box on the program's stderr (it ends with ?token=...). ` +
            `npx ts-pdb ls on that machine lists the waiting sessions.`,
        ),
      );
      return;
    }
    if (url.pathname === '/ranks' && this.o.snapshot === undefined) {
      let entries: registry.RegistryEntry[] = [];
      try {
        entries = registry.list();
      } catch {
        /* no registry: an empty list */
      }
      // This rank itself, even before its main thread has registered it (the box comes first).
      const own = this.ownEntry;
      if (own && !entries.some((e) => e.pid === this.o.pid && e.rank === this.o.rank && e.host === own.host)) {
        entries = [...entries, own].sort((a, b) => a.rank - b.rank || a.pid - b.pid);
      }
      reply(
        req,
        res,
        200,
        'text/html; charset=utf-8',
        overview().overviewHtml(entries, { pid: this.o.pid, withTokens: this.o.token !== undefined, token: this.o.token }),
      );
      return;
    }
    const asset = this.assets.get(url.pathname);
    if (asset) {
      reply(req, res, 200, asset[1], asset[0]);
      return;
    }
    reply(req, res, 404, 'text/plain; charset=utf-8', 'ts-pdb: not found\n');
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const refuse = (status: number, reason: string, text: string): void => {
      socket.end(
        `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n` +
          `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
      );
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      refuse(400, 'Bad Request', 'ts-pdb: bad request\n');
      return;
    }
    if (url.pathname !== '/ws') return refuse(404, 'Not Found', 'ts-pdb: not found\n');
    if (!hostAllowed(req.headers.host, this.o.host))
      return refuse(403, 'Forbidden', 'ts-pdb: refused: wrong Host (DNS rebinding protection)\n');
    if (!originAllowed(req.headers.origin, req.headers.host))
      return refuse(403, 'Forbidden', "ts-pdb: refused: the WebSocket must come from the page's own origin\n");
    if (!tokenMatches(url.searchParams.get('token'), this.o.token))
      return refuse(401, 'Unauthorized', 'ts-pdb: refused: this session needs its token\n');
    this.wss().handleUpgrade(req, socket, head, (ws) => this.o.onSocket(ws));
  }

  /**
   * The box on stderr with the URL to open, said here the moment the server listens: the main
   * thread is meanwhile loading the session engine, and the user need not wait for that.
   */
  private announce(url: string, port: number): void {
    const { token, timeoutMs } = this.o;
    const withToken = (u: string): string => (token ? `${u}?token=${token}` : u);
    const seconds = timeoutMs === undefined ? undefined : timeoutMs / 1000;
    try {
      fs.writeSync(
        2,
        boxed([
          ...(this.o.snapshot !== undefined
            ? [`ts-pdb open: a snapshot of ${this.o.snapshot}`, `its error: ${this.o.title}`]
            : [`ts-pdb: rank ${this.o.rank} (pid ${this.o.pid}) stopped: ${this.o.title}`]),
          `open in a browser:  ${withToken(url)}`,
          ...(isWildcard(this.o.host) ? [`(on this machine:  ${withToken(`http://127.0.0.1:${port}/`)})`] : []),
          ...(seconds
            ? [`(waits ${seconds} s for a page, then ${this.o.snapshot !== undefined ? 'ts-pdb open ends' : 'the error goes on'})`]
            : []),
          ...(this.o.snapshot !== undefined ? ['(Ctrl-C here, or q on the page, ends it)'] : []),
          ...(this.o.keeps ? snapshotLines(this.o.keeps) : []),
        ]),
      );
    } catch {
      // stderr closed: the registry (ts-pdb ls) still has the address.
    }
  }
}
