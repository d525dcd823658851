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
})
