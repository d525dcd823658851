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
  runs: { using: string; main: string; post?: string; 'post-if'?: string }
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
    it('runs: node24 on the committed bundle (a post step, if any, on the same bundle)', () => {
      const bundle = `../../dist/${action}/index.js`
      const post = meta.runs.post === undefined ? {} : { post: bundle, 'post-if': 'success()' }
      expect(meta.runs).toEqual({ using: 'node24', main: bundle, ...post })
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

/** `on.workflow_call` of a reusable workflow, as the caller checks read it. */
interface WorkflowCall {
  inputs?: Record<string, { type: string; required?: boolean; default?: unknown }>
  secrets?: Record<string, { required?: boolean }>
}

const LEVELS: Record<string, number> = { none: 0, read: 1, write: 2 }

/**
 * What is wrong with a workflow that calls hubstore's reusable workflows (a caller like the
 * README's, or one `hubstore init` writes), as a list of problems (empty: it passes). For each
 * job `uses: hubstore/hubstore/.github/workflows/<file>@<ref>`: `<file>` exists here; every `with:`
 * key is an input it declares, of its type (a boolean input takes a boolean or an expression);
 * its required inputs are given; and the caller grants every permission the reusable workflow
 * asks for, at least at its level (GitHub can only narrow a caller's permissions in the callee).
 */
export function workflowCallerProblems(caller: Workflow): string[] {
  const problems: string[] = []
  const granted = caller.permissions ?? {}
  for (const [name, job] of Object.entries(caller.jobs ?? {})) {
    const uses = (job as { uses?: string }).uses
    const match = uses?.match(/^hubstore\/hubstore\/\.github\/workflows\/([\w.-]+\.yml)@[\w.-]+$/)
    if (!match) {
      problems.push(`job ${name}: uses ${uses ?? '(nothing)'} is not a hubstore reusable workflow`)
      continue
    }
    let called: Workflow
    try {
      called = readWorkflow(match[1]!)
    } catch {
      problems.push(`job ${name}: ${match[1]} is not in .github/workflows`)
      continue
    }
    const call = (called.on.workflow_call ?? {}) as WorkflowCall
    const given = (job as { with?: Record<string, unknown> }).with ?? {}
    for (const [key, value] of Object.entries(given)) {
      const input = call.inputs?.[key]
      if (!input) problems.push(`job ${name}: ${match[1]} has no input ${key}`)
      else if (
        input.type === 'boolean' &&
        typeof value !== 'boolean' &&
        !/^\$\{\{.*\}\}$/.test(String(value))
      )
        problems.push(`job ${name}: input ${key} is boolean, got ${JSON.stringify(value)}`)
      else if (input.type === 'string' && typeof value !== 'string')
        problems.push(`job ${name}: input ${key} is a string, got ${JSON.stringify(value)}`)
    }
    for (const [key, input] of Object.entries(call.inputs ?? {}))
      if (input.required && !(key in given))
        problems.push(`job ${name}: required input ${key} missing`)
    const jobGrants = (job as { permissions?: Record<string, string> }).permissions ?? granted
    for (const [scope, level] of Object.entries(called.permissions ?? {}))
      if ((LEVELS[jobGrants[scope] ?? 'none'] ?? 0) < (LEVELS[level] ?? 0))
        problems.push(
          `job ${name}: ${match[1]} needs ${scope}: ${level}; the caller grants ${jobGrants[scope] ?? 'none'}`
        )
  }
  return problems
}
