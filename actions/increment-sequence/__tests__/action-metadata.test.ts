import { expect, it } from '@jest/globals'
import {
  describeActionMetadata,
  describeActionWorkflow
} from '../../../test-support/action-metadata.js'
import { Inputs, Outputs } from '../src/constants.js'

describeActionMetadata('increment-sequence', { Inputs, Outputs }, (meta) => {
  it("defaults: the issue's defaults (path, count 1, initial value 0, default branch, 10 attempts)", () => {
    const d = (name: Inputs) => meta.inputs[name]?.default
    expect(meta.inputs[Inputs.Sequence]?.required).toBe(true)
    expect(d(Inputs.Path)).toBe('sequence_data.json')
    expect(d(Inputs.Branch)).toBe('')
    expect(d(Inputs.Count)).toBe('1')
    expect(d(Inputs.InitialValue)).toBe('0')
    expect(d(Inputs.Series)).toBe('none')
    expect(d(Inputs.FiscalYearStartMonth)).toBe('4')
    expect(d(Inputs.MaxAttempts)).toBe('10')
  })
  it('descriptions: no ${{ }} expressions outside input defaults', () => {
    for (const spec of [...Object.values(meta.inputs), ...Object.values(meta.outputs)])
      expect(spec.description).not.toContain('${{')
  })
})

describeActionWorkflow(
  'increment-sequence',
  { Inputs },
  { contents: 'write' },
  (workflow, step) => {
    const on = workflow.on as {
      workflow_call: { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
      workflow_dispatch: { inputs: Record<string, unknown> }
    }
    const jobs = Object.values(workflow.jobs)

    it('workflow: callable and dispatchable, passing every input to the action it declares', () => {
      const declared = Object.values(Inputs) as string[]
      for (const name of Object.keys(on.workflow_call.inputs)) expect(declared).toContain(name)
      for (const name of Object.keys(on.workflow_dispatch.inputs)) expect(declared).toContain(name)
      expect(Object.keys(step?.with ?? {}).sort()).toEqual(declared.sort())
    })
    it('workflow: exposes every output of the action', () => {
      expect(Object.keys(on.workflow_call.outputs).sort()).toEqual(Object.values(Outputs).sort())
    })
    it('workflow: contents: write only in every job, and no concurrency group (compare-and-swap makes it unneeded)', () => {
      for (const job of jobs) {
        expect(job.permissions).toEqual({ contents: 'write' })
        expect(job.concurrency).toBeUndefined()
      }
      expect(workflow.concurrency).toBeUndefined()
    })
  }
)
