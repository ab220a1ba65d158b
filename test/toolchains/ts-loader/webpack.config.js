// webpack + ts-loader, with ts-pdb's transformer through ts-loader's `getCustomTransformers`.
const path = require('node:path');
const { createTransformer } = require('ts-pdb/transformer');

/** @type {import('webpack').Configuration} */
module.exports = {
  mode: 'development',
  target: 'node',
  // External source maps (the development default, `eval`, runs every module in an `eval`):
  // ts-pdb maps the bundle's positions back to the TypeScript lines through dist/bundle.js.map.
  devtool: 'source-map',
  entry: './src/app.ts',
  output: { path: path.resolve(__dirname, 'dist'), filename: 'bundle.js' },
  resolve: { extensions: ['.ts', '.js'] },
  // ts-pdb stays a run-time `require` from node_modules (`ts-pdb`, `ts-pdb/capture`): bundled, its
  // console cannot start its terminal worker (a file next to its own) and it takes the bundle's
  // frames for its own (webpack.bundled.config.js and test/toolchains.test.mjs show both).
  externalsType: 'commonjs',
  externals: [/^ts-pdb(\/|$)/],
  module: {
    rules: [{
      test: /\.ts$/,
      loader: 'ts-loader',
      options: { getCustomTransformers: () => ({ before: [createTransformer()] }) },
    }],
  },
};
