// String processing: a tiny tokenizer and recursive-descent parser/evaluator for arithmetic
// with variables, run over generated expressions.

type Token = { kind: 'num'; value: number } | { kind: 'id'; name: string } | { kind: 'op'; op: string };

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 32) { i++; continue; }
    if (c >= 48 && c <= 57) {
      let j = i;
      while (j < src.length && src.charCodeAt(j) >= 48 && src.charCodeAt(j) <= 57) j++;
      out.push({ kind: 'num', value: Number(src.slice(i, j)) });
      i = j;
      continue;
    }
    if ((c >= 97 && c <= 122) || c === 95) {
      let j = i;
      while (j < src.length && /[a-z_0-9]/.test(src[j])) j++;
      out.push({ kind: 'id', name: src.slice(i, j) });
      i = j;
      continue;
    }
    out.push({ kind: 'op', op: src[i] });
    i++;
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly vars: Record<string, number>) {}

  private peek(): Token | undefined { return this.tokens[this.pos]; }

  expr(): number {
    let left = this.term();
    for (let t = this.peek(); t && t.kind === 'op' && (t.op === '+' || t.op === '-'); t = this.peek()) {
      this.pos++;
      const right = this.term();
      left = t.op === '+' ? left + right : left - right;
    }
    return left;
  }

  term(): number {
    let left = this.factor();
    for (let t = this.peek(); t && t.kind === 'op' && (t.op === '*' || t.op === '/'); t = this.peek()) {
      this.pos++;
      const right = this.factor();
      left = t.op === '*' ? left * right : left / right;
    }
    return left;
  }

  factor(): number {
    const t = this.tokens[this.pos++];
    if (!t) throw new SyntaxError('unexpected end');
    if (t.kind === 'num') return t.value;
    if (t.kind === 'id') {
      const v = this.vars[t.name];
      if (v === undefined) throw new ReferenceError(`unknown ${t.name}`);
      return v;
    }
    if (t.op === '(') {
      const inner = this.expr();
      this.pos++; // ')'
      return inner;
    }
    if (t.op === '-') return -this.factor();
    throw new SyntaxError(`unexpected ${t.op}`);
  }
}

export function evaluate(src: string, vars: Record<string, number>): number {
  const parser = new Parser(tokenize(src), vars);
  return parser.expr();
}

const SOURCES = [
  '1 + 2 * 3', '(alpha + 4) * (beta - 2) / 3', 'x_1 * x_1 - 2 * x_1 + 1', '-(12 + gamma) * 7 - (3 * (4 + 5))',
  '100 / (1 + alpha) + beta * beta * beta', '42',
];

/** Parses and evaluates the sample expressions n times each. */
export function run(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const vars = { alpha: i % 10, beta: 3, gamma: i % 7, x_1: i % 5 };
    for (const s of SOURCES) acc += evaluate(s, vars);
  }
  return Math.round(acc);
}
