/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { astTransformers: { before: [{ path: '<rootDir>/ts-pdb-ts-jest.js', options: { instrument: 'marked' } }] } }],
  },
};
