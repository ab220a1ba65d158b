/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // babel-jest reads babel.config.json (the ts-pdb/babel plugin, the TypeScript preset, CommonJS).
  transform: { '^.+\\.ts$': 'babel-jest' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
