// The shape ts-jest's `astTransformers` expects of a transformer module (it `require`s the module
// and calls `factory(tsCompiler, options)`; `name` and `version` go into Jest's cache key), around
// ts-pdb's `createTransformer`. `ts-pdb/transformer` itself exports only the ts-patch default and
// `createTransformer`, so ts-jest rejects it ("beforeTransformer.factory is not a function").
// The TypeScript module is ts-jest's own (`configSet.compilerModule`), the one that parsed the file.
const { createTransformer } = require('ts-pdb/transformer');
const { version } = require('ts-pdb/package.json');

exports.name = 'ts-pdb';
exports.version = version;
/**
 * @param {{ configSet: { compilerModule: typeof import('typescript') } }} tsCompiler ts-jest's compiler instance
 * @param {import('ts-pdb/transformer').TransformOptions} [options] the `options` of the astTransformers entry
 */
exports.factory = (tsCompiler, options) => createTransformer(options, tsCompiler.configSet.compilerModule);
