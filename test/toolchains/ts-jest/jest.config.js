/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // ts-pdb/transformer exports what ts-jest reads of an AST transformer: name, version, factory.
    '^.+\\.ts$': ['ts-jest', { astTransformers: { before: [{ path: 'ts-pdb/transformer', options: { instrument: 'marked' } }] } }],
  },
};
