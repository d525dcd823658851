import { expect, it } from '@jest/globals'
import {
  describeActionMetadata,
  describeActionWorkflow
} from '../../../test-support/action-metadata.js'
import { Inputs, Outputs } from '../src/constants.js'

describeActionMetadata('process-updates', { Inputs, Outputs }, (meta) => {
  it('defaults: a failed object fails the step (fail-on-error true)', () => {
    expect(meta.inputs[Inputs.FailOnError]?.default).toBe('true')
  })
})

describeActionWorkflow(
  'process-updates',
  { Inputs },
  { issues: 'write', contents: 'write' },
  (workflow, step) => {
    it('workflow: passes fail-on-error and forwards every output of the action', () => {
      expect(step?.with?.[Inputs.FailOnError]).toBe('${{ inputs.fail-on-error }}')
      const text = JSON.stringify(workflow)
      for (const name of Object.values(Outputs))
        expect(text).toContain(`steps.process.outputs.${name}`)
    })
  }
)
