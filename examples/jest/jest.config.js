/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    // ts-jest compiles the TypeScript; the ts-pdb transformer runs before TypeScript's own ones.
    '^.+\\.ts$': ['ts-jest', { astTransformers: { before: [{ path: 'ts-pdb/transformer' }] } }],
  },
};
