// Small leaf functions with const temporaries, the bulk of most programs: geometry, clamping,
// hashing, formatting a number.

export interface Point { x: number; y: number }

export function distance(a: Point, b: Point): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  const sq = dx * dx + dy * dy;
  return Math.sqrt(sq);
}

export function clamp(v: number, lo: number, hi: number): number {
  const below = v < lo;
  const above = v > hi;
  return below ? lo : above ? hi : v;
}

export function lerp(a: number, b: number, t: number): number {
  const span = b - a;
  const scaled = span * clamp(t, 0, 1);
  return a + scaled;
}

export function hash32(n: number): number {
  let h = n | 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  const mixed = h ^ (h >>> 16);
  return mixed >>> 0;
}

export function pad2(n: number): string {
  const s = String(n);
  return s.length < 2 ? '0' + s : s;
}

/** A workload of n calls to each leaf. */
export function run(n: number): number {
  let acc = 0;
  const origin: Point = { x: 0, y: 0 };
  for (let i = 0; i < n; i++) {
    const p: Point = { x: i % 97, y: (i * 7) % 89 };
    const d = distance(origin, p);
    const t = lerp(0, 100, d / 150);
    acc += t + (hash32(i) & 0xff) + pad2(i % 60).length;
  }
  return Math.round(acc);
}
