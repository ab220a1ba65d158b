import { defineConfig } from 'vitest/config';
import tsPdb from 'ts-pdb/vite';

export default defineConfig({
  // The ts-pdb transform runs before Vite's own TypeScript pass; with IPDB_DEBUG=1 a test that fails
  // through a marked function opens a session at the throw. tsPdb({ instrument: 'all' }) captures the
  // locals of every function of the project, not only the marked ones.
  plugins: [tsPdb()],
});
