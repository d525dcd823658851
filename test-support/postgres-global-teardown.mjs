// Jest `globalTeardown`: see test-support/postgres-global.mjs.
export { teardown as default } from './postgres-global.mjs'
