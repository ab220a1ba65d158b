// The quick start of py_debug, in TypeScript. Run it with `npm start` (or, by hand:
// `npx tspc && IPDB_DEBUG=1 IPDB_MODE=console node out/your-script.js` in examples/ts-patch).
import { attachOnError } from 'ts-pdb';

interface Config {
  name: string;
  divisor?: { value: number };
}

// @debuggable
function riskyOperation(config: Config) {
  // any logic that may throw
  const numerator = 10;
  const result = numerator / config.divisor!.value; // config.divisor is undefined: a TypeError
  return result;
}

class Job {
  constructor(private readonly configs: Config[]) {}

  @attachOnError()
  run() {
    const results: number[] = [];
    for (const config of this.configs) {
      results.push(riskyOperation(config));
    }
    return results;
  }
}

function main() {
  const job = new Job([{ name: 'ok', divisor: { value: 2 } }, { name: 'broken' }]);
  console.log('results:', job.run());
}

main();
