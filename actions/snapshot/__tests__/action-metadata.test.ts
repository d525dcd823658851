import { describe, expect, it } from '@jest/globals'
import { describeActionMetadata } from '../../../test-support/action-metadata.js'
import { Inputs, Outputs, snapshotInputSpecs } from '../src/constants.js'

describeActionMetadata('snapshot', { Inputs, Outputs }, (meta) => {
  it('defaults: data/store-snapshot.json, incremental, commit true, default branch', () => {
    expect(meta.inputs[Inputs.Path]?.default).toBe('data/store-snapshot.json')
    expect(meta.inputs[Inputs.Mode]?.default).toBe('incremental')
    expect(meta.inputs[Inputs.Commit]?.default).toBe('true')
    expect(meta.inputs[Inputs.Branch]?.default).toBe('')
  })
})

describe('input specs', () => {
  it.each([
    ['path', 'data/store-snapshot.json', true],
    ['path', '/etc/passwd', false],
    ['path', 'a/../../b', false],
    ['mode', 'full', true],
    ['mode', 'update', false],
    ['branch', '', true],
    ['branch', 'snapshots/data', true],
    ['branch', 'bad branch', false]
  ] as const)('%s: %j is %s', (input, value, ok) => {
    expect(snapshotInputSpecs[input].schema.safeParse(value).success).toBe(ok)
  })
})
