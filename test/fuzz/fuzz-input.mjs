// Seeded, reproducible hostile input for the fuzz tests (test/fuzz/): a small PRNG and the kinds of
// bytes a person, a broken client or an attacker sends to a session. Every test prints its seed;
// TS_PDB_FUZZ_SEED=<n> replays a failure with the same input.

/** The default seed of every fuzz test (any 32-bit number; printed in the test names). */
export const DEFAULT_SEED = 20240607;

/** The seed of this run: `TS_PDB_FUZZ_SEED` when set (decimal or 0x hex), else {@link DEFAULT_SEED}. */
export function fuzzSeed(env = process.env) {
  const text = env.TS_PDB_FUZZ_SEED;
  if (text === undefined || text.trim() === '') return DEFAULT_SEED;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`TS_PDB_FUZZ_SEED must be an integer, not ${JSON.stringify(text)}`);
  return n >>> 0;
}

/**
 * A deterministic random source (mulberry32: 32-bit state, good enough to pick bytes, and the same
 * sequence on every machine and Node version, which Math.random is not).
 */
export class Rng {
  /** @param {number} seed any 32-bit integer */
  constructor(seed) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next() {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** One element of `list`. */
  pick(list) {
    return list[this.int(0, list.length - 1)];
  }

  /** `n` uniformly random bytes (every value 0..255, so invalid UTF-8, NULs and control bytes too). */
  bytes(n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
}

/**
 * Byte sequences that are not UTF-8 (or are its edge cases): lone continuation bytes, truncated
 * sequences, overlong encodings, UTF-16 surrogates encoded as UTF-8, code points past U+10FFFF, and
 * bytes that never occur in UTF-8; plus a valid 4-byte character split in two, and a BOM.
 */
export const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xf0, 0x80, 0x80, 0x80], // overlong
  [0xc3],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98], // truncated
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf], // surrogates
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff], // past U+10FFFF, never UTF-8
  [0xf0, 0x9f],
  [0x98, 0x80], // 😀 cut in two
  [0xef, 0xbb, 0xbf], // BOM
].map((a) => Buffer.from(a));

/** Terminal escape sequences (arrows, function keys, bracketed paste, mouse reports, OSC titles, DCS, a lone ESC). */
export const ESCAPES = [
  '\x1b[A',
  '\x1b[B',
  '\x1b[C',
  '\x1b[D',
  '\x1b[H',
  '\x1b[F',
  '\x1b[3~',
  '\x1b[200~',
  '\x1b[201~',
  '\x1b[1;5C',
  '\x1bOP',
  '\x1b[15~',
  '\x1b[M !!',
  '\x1b[<0;10;10M',
  '\x1b]0;title\x07',
  '\x1bP+q544e\x1b\\',
  '\x1b[99999999999999999999m',
  '\x1b[?1049h',
  '\x1bc',
  '\x1b',
  '\x1b\x1b',
  '\x1b[',
  '\x1b[1;',
  '\x9b31m',
].map((s) => Buffer.from(s, 'latin1'));

/**
 * A random chunk of hostile bytes, `max` bytes at most: random bytes, invalid UTF-8, escape
 * sequences, NULs, or a mix of them. `exclude` removes bytes a transport gives a meaning to
 * (a newline that ends a line, a Ctrl-D that ends the input).
 * @param {Rng} rng
 * @param {{ max?: number, exclude?: number[] }} [options]
 */
export function hostileChunk(rng, { max = 200, exclude = [] } = {}) {
  const parts = [];
  let size = 0;
  const target = rng.int(1, max);
  while (size < target) {
    const kind = rng.int(0, 5);
    const part =
      kind === 0
        ? rng.bytes(rng.int(1, 32))
        : kind === 1
          ? rng.pick(INVALID_UTF8)
          : kind === 2
            ? rng.pick(ESCAPES)
            : kind === 3
              ? Buffer.alloc(rng.int(1, 4)) // NULs
              : kind === 4
                ? Buffer.from('p 1+\u00e9\u{1f600}"\'`\\', 'utf8')
                : Buffer.from([rng.int(0, 31)]); // a control byte
    parts.push(part);
    size += part.length;
  }
  const out = [...Buffer.concat(parts).subarray(0, target)].filter((b) => !exclude.includes(b));
  return Buffer.from(out);
}

/**
 * A hostile command line that cannot end or steer the session: its first byte (0xff) is not one a
 * command name starts with (so `c`, `q`, `retry`... never run), and it has no `;` (so `;;` never splits a
 * command off) and no byte in `exclude`; the rest is {@link hostileChunk}. It reaches the session
 * as JavaScript, which it almost never is: the session answers with an error.
 * @param {Rng} rng
 * @param {{ max?: number, exclude?: number[] }} [options]
 */
export function hostileLine(rng, { max = 200, exclude = [] } = {}) {
  // 0xff is never UTF-8: the line starts with U+FFFD, which is not white space (trimmed away) and
  // starts no command or name, whatever follows it.
  const first = Buffer.from([0xff]);
  const body = hostileChunk(rng, { max, exclude: [...exclude, 0x3b /* ; */] });
  return Buffer.concat([first, body]);
}
