import { expect, it } from '@jest/globals'
import {
  describeActionMetadata,
  describeActionWorkflow
} from '../../../test-support/action-metadata.js'
import { Inputs, MODES, Outputs } from '../src/constants.js'

describeActionMetadata('persist-data', { Inputs, Outputs }, (meta) => {
  it("defaults: the issue's defaults (path data, branch hubstore-data, latest, not if-missing)", () => {
    const d = (name: Inputs) => meta.inputs[name]?.default
    expect(meta.inputs[Inputs.Mode]?.required).toBe(true)
    expect(d(Inputs.Path)).toBe('data')
    expect(d(Inputs.Branch)).toBe('hubstore-data')
    expect(d(Inputs.IfMissing)).toBe('false')
    expect(d(Inputs.RestorePoint)).toBe('latest')
  })
  it('mode: the description names every mode', () => {
    for (const mode of MODES) expect(meta.inputs[Inputs.Mode]?.description).toContain(mode)
  })
  it('descriptions: no ${{ }} expressions outside input defaults', () => {
    for (const spec of [...Object.values(meta.inputs), ...Object.values(meta.outputs)])
      expect(spec.description).not.toContain('${{')
  })
})

describeActionWorkflow('persist-data', { Inputs }, { contents: 'write' }, (workflow, step) => {
  const on = workflow.on as {
    workflow_call: { inputs: Record<string, unknown>; outputs: Record<string, unknown> }
    workflow_dispatch: { inputs: Record<string, unknown> }
  }
  const jobs = Object.values(workflow.jobs) as Array<{
    permissions?: Record<string, string>
    'timeout-minutes'?: number
  }>
  it('workflow: callable and dispatchable, passing every input to the action it declares', () => {
    const declared = Object.values(Inputs) as string[]
    for (const name of Object.keys(on.workflow_call.inputs)) expect(declared).toContain(name)
    for (const name of Object.keys(on.workflow_dispatch.inputs)) expect(declared).toContain(name)
    expect(Object.keys(step?.with ?? {}).sort()).toEqual(declared.sort())
  })
  it('workflow: exposes every output of the action', () => {
    expect(Object.keys(on.workflow_call.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })
  it('workflow: contents: write only, and a timeout on every job', () => {
    for (const job of jobs) {
      expect(job.permissions).toEqual({ contents: 'write' })
      expect(job['timeout-minutes']).toBeGreaterThan(0)
    }
  })
})
