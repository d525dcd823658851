import { expect, it } from '@jest/globals'
import {
  describeActionMetadata,
  describeActionWorkflow
} from '../../../test-support/action-metadata.js'
import { Inputs, Outputs } from '../src/constants.js'

describeActionMetadata('migrate-state', { Inputs, Outputs }, (meta) => {
  it('defaults: automation-state branch, command required', () => {
    expect(meta.inputs[Inputs.Branch]?.default).toBe('automation-state')
    expect(meta.inputs[Inputs.Command]?.required).toBe(true)
  })
})

describeActionWorkflow('migrate-state', { Inputs }, { contents: 'write' })
