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
  // ts-pdb stays a run-time `require` from node_modules (`ts-pdb`, `ts-pdb/capture`), as README
  // advises. Bundled (webpack.bundled.config.js) works too: its console then starts its terminal
  // worker from the installed package (test/e2e/bundled-console.test.mjs).
  externalsType: 'commonjs',
  externals: [/^ts-pdb(\/|$)/],
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        options: { getCustomTransformers: () => ({ before: [createTransformer()] }) },
      },
    ],
  },
};
