/**
 * The loader's second compiler: the project's Babel with the TypeScript preset and ts-pdb's Babel
 * plugin, for projects whose TypeScript has no compiler API (TypeScript 7) or that have none.
 * Babel's own configuration files are not read: the loader needs one known output (the module
 * format Node asks for, an inline source map); decorators go through the project's
 * `@babel/plugin-proposal-decorators` when it has it.
 */
import tsPdbBabelPlugin = require('../../transformer/babel');
import { projectRequire } from './project-require';

type Format = 'module' | 'commonjs';
type Compile = (source: string, file: string, format: Format, instrument: 'marked' | 'all') => string;

interface BabelCore {
  transformSync(code: string, options: object): { code?: string | null } | null;
}

let cached: Compile | null | undefined;

/** A compile function over the project's Babel, or null when it lacks `@babel/core` or the TypeScript preset. */
export function babelCompiler(): Compile | null {
  if (cached !== undefined) return cached;
  const babel = projectRequire('@babel/core') as BabelCore | undefined;
  const preset = projectRequire('@babel/preset-typescript');
  if (!babel || !preset) return (cached = null);
  const commonjs = projectRequire('@babel/plugin-transform-modules-commonjs');
  const decorators = projectRequire('@babel/plugin-proposal-decorators');
  cached = (source, file, format, instrument) => {
    if (format === 'commonjs' && !commonjs && /^\s*(import|export)\b/m.test(source)) {
      throw new Error(
        `ts-pdb/register: ${file} is CommonJS for Node, and compiling its import/export with Babel needs ` +
          '@babel/plugin-transform-modules-commonjs (npm install --save-dev @babel/plugin-transform-modules-commonjs)',
      );
    }
    const out = babel.transformSync(source, {
      filename: file,
      babelrc: false,
      configFile: false,
      sourceMaps: 'inline',
      sourceType: 'unambiguous',
      presets: [preset],
      plugins: [
        [tsPdbBabelPlugin, { instrument }],
        ...(decorators && /@\w/.test(source) ? [[decorators, { version: '2023-11' }]] : []),
        ...(format === 'commonjs' && commonjs ? [commonjs] : []),
      ],
    });
    return out?.code ?? '';
  };
  return cached;
}
