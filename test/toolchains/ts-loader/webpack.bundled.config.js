// The same build with ts-pdb bundled into the output (webpack's default for target node), to
// bundle-inlined.js. Known not to work yet: test/toolchains.test.mjs runs it as a `todo` test.
const config = require('./webpack.config.js');

module.exports = { ...config, externals: [], output: { ...config.output, filename: 'bundle-inlined.js' } };
