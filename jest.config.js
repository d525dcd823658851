/** Jest 30 + ts-jest (ESM). Run under NODE_OPTIONS=--experimental-vm-modules (scripts/test.mjs does). */
export default {
  testEnvironment: 'node',
  resolver: 'ts-jest-resolver',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true, diagnostics: false }]
  },
  testMatch: ['<rootDir>/{packages,actions}/*/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Zero-length Bottleneck yields without the 1 ms timer minimum: see the file.
  setupFiles: ['<rootDir>/test-support/jest-setup.ts'],
  // The longest files first, also on a fresh clone with no cached durations: see the file.
  testSequencer: '<rootDir>/test-support/test-sequencer.mjs',
  // One PostgreSQL server for the run when two or more of its files use one: see the file.
  globalSetup: '<rootDir>/test-support/postgres-global.mjs',
  globalTeardown: '<rootDir>/test-support/postgres-global-teardown.mjs',
  testTimeout: 60000
}
