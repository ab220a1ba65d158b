// Run with `npx ts-pdb run src/app.ts` (no build: TypeScript 7 has no compiler API, so ts-pdb
// compiles with this project's Babel): pays over budget, so checkout throws.
import { Shop } from './checkout';

console.log('paid', new Shop().pay(10));
