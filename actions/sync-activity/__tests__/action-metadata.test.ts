import { expect, it } from '@jest/globals'
import {
  describeActionMetadata,
  describeActionWorkflow
} from '../../../test-support/action-metadata.js'
import { Inputs, MODES, Outputs } from '../src/constants.js'

describeActionMetadata('sync-activity', { Inputs, Outputs }, (meta) => {
  it("defaults: the issue's (SQLite on the hubstore-activity branch, the current repository, 10m)", () => {
    const d = (name: Inputs) => meta.inputs[name]?.default
    expect(meta.inputs[Inputs.Mode]?.required).toBe(true)
    expect(d(Inputs.Repositories)).toBe('${{ github.repository }}')
    expect(d(Inputs.Database)).toBe('')
    expect(d(Inputs.DataBranch)).toBe('hubstore-activity')
    expect(d(Inputs.MinInterval)).toBe('10m')
    expect(d(Inputs.AppId)).toBe('')
    expect(d(Inputs.AppPrivateKey)).toBe('')
  })
  it('mode: the description names every mode', () => {
    for (const mode of MODES) expect(meta.inputs[Inputs.Mode]?.description).toContain(mode)
  })
  it('descriptions: no ${{ }} expressions outside input defaults', () => {
    for (const spec of [...Object.values(meta.inputs), ...Object.values(meta.outputs)])
      expect(spec.description).not.toContain('${{')
  })
})

describeActionWorkflow('sync-activity', { Inputs }, { contents: 'write' }, (workflow, step) => {
  const on = workflow.on as {
    workflow_call: {
      inputs: Record<string, unknown>
      outputs: Record<string, unknown>
      secrets: Record<string, unknown>
    }
  }
  const jobs = Object.values(workflow.jobs) as Array<{
    permissions?: Record<string, string>
    'timeout-minutes'?: number
    concurrency?: { group?: string; 'cancel-in-progress'?: boolean; queue?: string }
  }>
  it('workflow: callable, passing every input to the action it declares', () => {
    const declared = Object.values(Inputs) as string[]
    for (const name of Object.keys(on.workflow_call.inputs)) expect(declared).toContain(name)
    expect(Object.keys(step?.with ?? {}).sort()).toEqual(declared.sort())
  })
  it('workflow: the credentials come as secrets, never as inputs', () => {
    for (const secret of ['token', 'app-private-key', 'database'])
      expect(on.workflow_call.secrets).toHaveProperty(secret)
    expect(on.workflow_call.inputs).not.toHaveProperty('app-private-key')
    expect(on.workflow_call.inputs).not.toHaveProperty('token')
  })
  it('workflow: exposes every output of the action', () => {
    expect(Object.keys(on.workflow_call.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })
  it('workflow: contents: write only, a timeout, and one run at a time per data branch (queued, not cancelled)', () => {
    for (const job of jobs) {
      expect(job.permissions).toEqual({ contents: 'write' })
      expect(job['timeout-minutes']).toBeGreaterThan(0)
      expect(job.concurrency?.group).toContain('data-branch')
      expect(job.concurrency?.['cancel-in-progress']).toBe(false)
      expect(job.concurrency?.queue).toBe('max')
    }
  })
})
