import { describe, expect, it } from '@jest/globals'
import { chooseTarget } from '../src/target.js'

describe('chooseTarget', () => {
  it('input: issue-number wins over the payload', () => {
    expect(chooseTarget(7, { issue: { number: 3, labels: [{ name: 'stored-object' }] } })).toEqual({
      kind: 'issue',
      number: 7
    })
  })
  it('payload: a stored-object issue is processed', () => {
    expect(
      chooseTarget(undefined, {
        issue: { number: 3, labels: [{ name: 'gh-store' }, { name: 'stored-object' }] }
      })
    ).toEqual({
      kind: 'issue',
      number: 3
    })
  })
  it('payload: an issue that is not a stored object is skipped', () => {
    expect(
      chooseTarget(undefined, { issue: { number: 3, labels: [{ name: 'bug' }] } })
    ).toMatchObject({ kind: 'skip' })
  })
  it('payload: no issue (schedule, workflow_dispatch) sweeps', () => {
    expect(chooseTarget(undefined, {})).toEqual({ kind: 'sweep' })
  })
  it('config: with store.base_label my-store, the issue must carry my-store, not stored-object', () => {
    const payload = (name: string) => ({ issue: { number: 3, labels: [{ name }] } })
    expect(chooseTarget(undefined, payload('my-store'), 'my-store')).toEqual({
      kind: 'issue',
      number: 3
    })
    expect(chooseTarget(undefined, payload('stored-object'), 'my-store')).toEqual({
      kind: 'skip',
      why: 'issue #3 is not labelled "my-store"'
    })
  })
})
