import { describe, expect, it } from '@jest/globals'
import {
  stateStorageConfigFromEnv,
  STATE_STORAGE_DEFAULTS
} from '../../src/automation-state/index.js'
import { fullJitterDelay } from '../../src/github/backoff.js'
import { applyMergePatch } from '../../src/branch-store/merge-patch.js'
import { backupPath } from '../../src/automation-state/migration/report.js'
import { variableSourceFromJson } from '../../src/automation-state/variables.js'

describe('applyMergePatch', () => {
  it('applyMergePatch: RFC 7396 examples', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' })
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' })
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({})
    expect(applyMergePatch({ a: ['b'] }, { a: 'c' })).toEqual({ a: 'c' })
    expect(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({
      a: { b: 'd' }
    })
    expect(applyMergePatch(['a'], { a: 1 })).toEqual({ a: 1 })
    expect(applyMergePatch({ a: 1 }, [1])).toEqual([1])
    expect(applyMergePatch(undefined, { a: { b: null } })).toEqual({ a: {} })
  })

  it('applyMergePatch: __proto__, constructor and prototype merge as data and never touch a prototype (behaviour change: `state merge` dropped them)', () => {
    const out = applyMergePatch(
      JSON.parse('{"__proto__": {"a": 1}, "constructor": {"name": "Ferrari"}}'),
      JSON.parse('{"__proto__": {"polluted": true}, "prototype": {"polluted": true}}')
    ) as Record<string, unknown>
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(JSON.stringify(out)).toBe(
      '{"__proto__":{"a":1,"polluted":true},"constructor":{"name":"Ferrari"},"prototype":{"polluted":true}}'
    )
  })
})

describe('fullJitterDelay', () => {
  it('fullJitterDelay: uniform below min(max, base × 2^(n−1))', () => {
    const top = () => 0.999999
    expect(fullJitterDelay(1, { baseMs: 100, maxMs: 3000, random: top })).toBe(99)
    expect(fullJitterDelay(3, { baseMs: 100, maxMs: 3000, random: top })).toBe(399)
    expect(fullJitterDelay(10, { baseMs: 100, maxMs: 3000, random: top })).toBe(2999)
    expect(fullJitterDelay(4, { random: () => 0 })).toBe(0)
  })
})

describe('stateStorageConfigFromEnv', () => {
  it('env: unset means the defaults', () => {
    expect(stateStorageConfigFromEnv({})).toEqual(STATE_STORAGE_DEFAULTS)
  })

  it('env: every variable is read', () => {
    expect(
      stateStorageConfigFromEnv({
        STORAGE_BACKEND: 'Repository_Variables',
        ENABLE_PARALLEL_WRITES: 'yes',
        STORAGE_BRANCH: 'state',
        MIGRATION_MODE: '1',
        ENHANCED_METADATA_ENABLED: 'false',
        RETRY_TRACKING_ENABLED: 'off',
        VALIDATE_STORAGE_ON_STARTUP: 'FALSE',
        FALLBACK_TO_LEGACY_ON_ERROR: 'true'
      })
    ).toEqual({
      backend: 'repository_variables',
      parallelWrites: true,
      branch: 'state',
      migrationMode: true,
      enhancedMetadata: false,
      retryTracking: false,
      validateOnStartup: false,
      fallbackToLegacy: true
    })
  })

  it('env: a bad value names the variable', () => {
    expect(() => stateStorageConfigFromEnv({ STORAGE_BACKEND: 'sqlite' })).toThrow(
      /STORAGE_BACKEND is "sqlite"/
    )
    expect(() => stateStorageConfigFromEnv({ MIGRATION_MODE: 'maybe' })).toThrow(
      expect.objectContaining({ code: 'STATE_STORAGE_CONFIG', setting: 'MIGRATION_MODE' })
    )
  })
})

describe('variableSourceFromJson', () => {
  it('vars-json: the vars context becomes a sorted variable list', async () => {
    const source = variableSourceFromJson('{"b_x": "2", "A": "1"}')
    expect(source.kind).toBe('json')
    expect(await source.list()).toEqual([
      { name: 'A', value: '1' },
      { name: 'B_X', value: '2' }
    ])
  })

  it('vars-json: not an object of strings is INVALID_OPTIONS', () => {
    expect(() => variableSourceFromJson('[1]')).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' })
    )
    expect(() => variableSourceFromJson('{"A": 1}')).toThrow(
      expect.objectContaining({ option: 'vars-json.A' })
    )
    expect(() => variableSourceFromJson('{')).toThrow(
      expect.objectContaining({ option: 'vars-json' })
    )
  })
})

describe('backupPath', () => {
  it('backupPath: sortable and without colons', () => {
    expect(backupPath(new Date('2025-01-02T03:04:05.678Z'))).toBe(
      'backups/variables-2025-01-02T03-04-05-678Z.json'
    )
  })
})
