/**
 * DAP's framing, read defensively: `Content-Length: N\r\n\r\n` and N bytes of JSON, from a client
 * that may send garbage, lie about N, or vanish. @vscode/debugadapter's own reader keeps every byte
 * it gets while it looks for a header (garbage grows it without end), waits for ever on a length
 * that is too big, and throws out of its data handler on a body that is not JSON; this one is
 * bounded and says what it dropped:
 *
 * - a header block is at most {@link MAX_HEADER} bytes; its `Content-Length` is the last one in it
 *   (text before it, left over from a body that was shorter than said, is skipped), any case;
 * - a body is at most {@link MAX_BODY} bytes; a bigger length is refused, and the reader looks for
 *   the next header;
 * - a body that is not JSON is dropped and said (with the request's `seq` and `command` when they
 *   can be read, so that the client gets an error response and is not left waiting);
 * - a length longer than its body: when a JSON object ends before the length and a header follows
 *   it, that object is taken as the message (and said): the next message is not swallowed.
 */

/** Bytes of a header block at most. Default 8 KB. */
export const MAX_HEADER = 8 * 1024;
/** Bytes of one message at most. Default 16 MB (a DAP request is small). */
export const MAX_BODY = 16 * 1024 * 1024;

const SEPARATOR = Buffer.from('\r\n\r\n');
const LENGTH = /content-length[ \t]*:[ \t]*(\d{1,12})[ \t]*$/gim;
const HEADER_START = Buffer.from('Content-Length');

/** What the reader found. */
export interface FrameEvents {
  /** A message (any JSON value: the caller checks its shape). */
  message(value: unknown): void;
  /**
   * Something dropped, and why; `request` when the dropped text was a request whose `seq` and
   * `command` could still be read (the caller answers it with an error response).
   */
  dropped(why: string, request?: { seq: number; command: string }): void;
}

/** Reads messages from chunks of a stream. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** The length of the body awaited, or -1 while reading a header. */
  private length = -1;

  constructor(private readonly events: FrameEvents) {}

  /** Takes the next chunk of the stream. Never throws (a fault in a handler is the handler's). */
  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.length < 0) {
        if (!this.header()) return;
      } else if (!this.body()) {
        return;
      }
    }
  }

  /** Reads a header block; false when more bytes are needed. */
  private header(): boolean {
    const end = this.buffer.indexOf(SEPARATOR);
    if (end < 0) {
      if (this.buffer.length > MAX_HEADER)
        this.resync(`${this.buffer.length} bytes with no DAP header (Content-Length: N, then an empty line)`);
      return false;
    }
    if (end > MAX_HEADER) {
      this.resync(`a header of ${end} bytes (at most ${MAX_HEADER})`);
      return true;
    }
    const block = this.buffer.toString('latin1', 0, end);
    this.buffer = this.buffer.subarray(end + SEPARATOR.length);
    const lengths = [...block.matchAll(LENGTH)];
    if (!lengths.length) {
      this.events.dropped(`a header without Content-Length: ${JSON.stringify(block.slice(0, 200))}`);
      return true;
    }
    const n = Number(lengths[lengths.length - 1][1]);
    if (lengths[lengths.length - 1].index > 0 && !/^(?:[\w-]+:[^\r\n]*\r\n)+$/.test(block.slice(0, lengths[lengths.length - 1].index))) {
      this.events.dropped(`text before a header: ${JSON.stringify(block.slice(0, Math.min(200, lengths[lengths.length - 1].index)))}`);
    }
    if (n > MAX_BODY) {
      this.events.dropped(`a message of ${n} bytes (at most ${MAX_BODY}): not read`);
      return true;
    }
    this.length = n;
    return true;
  }

  /** Reads a body of the awaited length; false when more bytes are needed. */
  private body(): boolean {
    if (this.buffer.length < this.length) {
      // A length that lies (longer than its body): a whole JSON object followed by the next header.
      const next = this.buffer.indexOf(HEADER_START);
      if (next > 0) {
        const text = this.buffer.toString('utf8', 0, next);
        const value = parse(text.trimEnd());
        if (value !== undefined) {
          this.buffer = this.buffer.subarray(next);
          this.events.dropped(
            `a message whose Content-Length (${this.length}) is longer than it (${Buffer.byteLength(text)} bytes)`,
            requestOf(value),
          );
          this.length = -1;
          return true;
        }
      }
      return false;
    }
    const text = this.buffer.toString('utf8', 0, this.length);
    this.buffer = this.buffer.subarray(this.length);
    this.length = -1;
    const value = parse(text);
    if (value === undefined) this.events.dropped(`a message that is not JSON: ${JSON.stringify(text.slice(0, 200))}`, salvage(text));
    else this.events.message(value);
    return true;
  }

  /** Drops bytes up to the next thing that looks like a header (keeping a tail a header may start in). */
  private resync(why: string): void {
    const next = this.buffer.indexOf(HEADER_START, 1);
    this.events.dropped(why);
    this.buffer = next > 0 ? this.buffer.subarray(next) : this.buffer.subarray(Math.max(0, this.buffer.length - HEADER_START.length));
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function requestOf(value: unknown): { seq: number; command: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { seq?: unknown; command?: unknown; type?: unknown };
  return v.type === 'request' && typeof v.seq === 'number' && typeof v.command === 'string'
    ? { seq: v.seq, command: v.command }
    : undefined;
}

/** The `seq` and `command` of a request cut short, when they are still in its text. */
function salvage(text: string): { seq: number; command: string } | undefined {
  const seq = /"seq"\s*:\s*(\d{1,15})/.exec(text);
  const command = /"command"\s*:\s*"([A-Za-z]{1,64})"/.exec(text);
  return seq && command && /"type"\s*:\s*"request"/.test(text) ? { seq: Number(seq[1]), command: command[1] } : undefined;
}
