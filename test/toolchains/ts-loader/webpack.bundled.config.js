// The same build with ts-pdb bundled into the output (webpack's default for target node), to
// bundle-inlined.js: test/toolchains.test.mjs checks its report, test/e2e/bundled-console.test.mjs
// its console session (the terminal worker comes from the installed package).
const config = require('./webpack.config.js');

module.exports = { ...config, externals: [], output: { ...config.output, filename: 'bundle-inlined.js' } };
