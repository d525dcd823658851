/**
 * What every action's `__tests__/action-metadata.test.ts` checks about its `action.yml` and its
 * workflow under `.github/workflows/`: one copy of the checks, each action adding its own.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'

/** The parts of an action.yml the tests read. */
export interface ActionMetadata {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

/** A string enum of input or output names (`src/constants.ts`). */
type NameEnum = Record<string, string>

/** One step of a workflow job. */
export interface WorkflowStep {
  uses?: string
  with?: Record<string, string>
}

/** The parts of a workflow file the tests read. */
export interface Workflow {
  on: Record<string, unknown>
  permissions: Record<string, string>
  concurrency?: unknown
  jobs: Record<
    string,
    {
      permissions?: Record<string, string>
      concurrency?: unknown
      outputs?: Record<string, string>
      steps: WorkflowStep[]
    }
  >
}

const root = new URL('../', import.meta.url)

/** Parses `actions/<action>/action.yml`. */
export function readActionMetadata(action: string): ActionMetadata {
  return parse(readFileSync(new URL(`actions/${action}/action.yml`, root), 'utf8'))
}

/** Parses `.github/workflows/<file>`. */
export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(new URL(`.github/workflows/${file}`, root), 'utf8'))
}

/**
 * `describe('action.yml')` for `actions/<action>`: input and output names match the `Inputs` and
 * `Outputs` enums and each has a description; it runs the committed bundle
 * `../../dist/<action>/index.js` on node24; `token` and `repository` default to the workflow's
 * token and repository. `more` adds the action's own tests inside the same `describe`.
 */
export function describeActionMetadata(
  action: string,
  names: { Inputs: NameEnum; Outputs: NameEnum },
  more?: (meta: ActionMetadata) => void
): ActionMetadata {
  const meta = readActionMetadata(action)
  describe('action.yml', () => {
    it('inputs: names match src/constants.ts and each has a description', () => {
      expect(Object.keys(meta.inputs).sort()).toEqual(Object.values(names.Inputs).sort())
      for (const spec of Object.values(meta.inputs))
        expect(spec.description.length).toBeGreaterThan(10)
    })
    it('outputs: names match src/constants.ts and each has a description', () => {
      expect(Object.keys(meta.outputs).sort()).toEqual(Object.values(names.Outputs).sort())
      for (const spec of Object.values(meta.outputs))
        expect(spec.description.length).toBeGreaterThan(10)
    })
    it('runs: node24 on the committed bundle', () => {
      expect(meta.runs).toEqual({ using: 'node24', main: `../../dist/${action}/index.js` })
    })
    it('token: defaults to the workflow token and the caller repository', () => {
      expect(meta.inputs.token?.default).toBe('${{ github.token }}')
      expect(meta.inputs.repository?.default).toBe('${{ github.repository }}')
    })
    more?.(meta)
  })
  return meta
}

/**
 * `describe('.github/workflows/<action>.yml')`: a step calls `actions/<action>` with inputs the
 * action declares only, and the workflow's permissions are exactly `permissions`. `more` adds
 * the workflow's own tests (it receives the workflow and the step calling the action).
 */
export function describeActionWorkflow(
  action: string,
  names: { Inputs: NameEnum },
  permissions: Record<string, string>,
  more?: (workflow: Workflow, step: WorkflowStep | undefined) => void
): void {
  const file = `${action}.yml`
  describe(`.github/workflows/${file}`, () => {
    const workflow = readWorkflow(file)
    const step = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .find((s) => s.uses?.includes(`/actions/${action}@`))

    it('workflow: calls this action with inputs it declares only', () => {
      expect(step).toBeDefined()
      for (const name of Object.keys(step?.with ?? {}))
        expect(Object.values(names.Inputs)).toContain(name)
    })
    it(`workflow: least privilege — ${JSON.stringify(permissions)} and nothing else`, () => {
      expect(workflow.permissions).toEqual(permissions)
    })
    more?.(workflow, step)
  })
}
