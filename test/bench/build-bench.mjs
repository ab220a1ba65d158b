// Builds every source of test/bench/src twice with ts.transpileModule (plain, and with
// createTransformer({ instrument: 'all' })) into a fresh scratch folder: <dir>/{plain,instr}/.
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratch, writeBuild } from '../helpers/build.mjs';

const SRC = join(dirname(fileURLToPath(import.meta.url)), 'src');
/** Sources with no function of their own (nothing to instrument). */
const NO_FUNCTIONS = new Set(['app']);

/** Builds the benchmark sources; returns the scratch folder. */
export function buildBench(prefix = 'bench-') {
  const dir = scratch(prefix);
  for (const f of readdirSync(SRC).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(SRC, f), 'utf8');
    const name = f.replace(/\.ts$/, '');
    for (const variant of ['plain', 'instr']) {
      mkdirSync(join(dir, variant), { recursive: true });
      const js = writeBuild(join(dir, variant), name, text, { transform: variant === 'plain' ? false : { instrument: 'all' } });
      const instrumented = /__tsPdb\.f\(/.test(readFileSync(js, 'utf8'));
      if (!NO_FUNCTIONS.has(name) && instrumented !== (variant === 'instr')) {
        throw new Error(`${js}: expected ${variant === 'instr' ? '' : 'no '}instrumentation`);
      }
    }
  }
  return dir;
}
