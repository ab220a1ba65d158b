// The program @babel/cli builds (dist/app.js): pays over budget, so checkout throws.
import { Shop } from './checkout';

console.log('paid', new Shop().pay(10));
