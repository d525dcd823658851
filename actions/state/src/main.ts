import * as core from '@actions/core'
import {
  inputSpecs,
  readInput,
  repoContextFromInputs,
  runStep,
  writeJobSummary,
  type InputSpec
} from '@hubstore/action-kit'
import { runStateCommand, type StateCommand } from '@hubstore/core'
import { STATE_COMMANDS } from '@hubstore/core/branch-store'
import { z } from 'zod'
import { Inputs, Outputs } from './constants.js'

/** Input parsers of this action (shapes beyond action-kit's shared ones). */
export const specs = {
  command: {
    expected: `one of ${STATE_COMMANDS.join(', ')}`,
    schema: z.string().trim().pipe(z.enum(STATE_COMMANDS))
  } satisfies InputSpec<StateCommand>,
  /** Any JSON text; `''` = not given. */
  json: {
    expected: 'a JSON value (e.g. {"count": 1}, [1, 2], "text", 3, true), or empty',
    schema: z.string().transform((s, ctx) => {
      if (s.trim() === '') return undefined
      try {
        return JSON.parse(s) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' })
        return z.NEVER
      }
    })
  } satisfies InputSpec<unknown>,
  createBranch: {
    expected: 'orphan or default-branch',
    schema: z
      .string()
      .trim()
      .pipe(z.enum(['orphan', 'default-branch']))
  } satisfies InputSpec<'orphan' | 'default-branch'>
}

/** The action's entry: inputs → runStateCommand → outputs and a job summary. */
export async function run(): Promise<void> {
  await runStep(async () => {
    const command = readInput(Inputs.Command, specs.command)
    const path = readInput(Inputs.Path, inputSpecs.requiredString)
    const value = readInput(Inputs.Value, specs.json)
    const defaultValue = readInput(Inputs.Default, specs.json)
    const branch = readInput(Inputs.Branch, inputSpecs.requiredString)
    const createBranch = readInput(Inputs.CreateBranch, specs.createBranch)
    const message = readInput(Inputs.Message, inputSpecs.optionalString)
    const { ctx, repository } = repoContextFromInputs()

    const result = await runStateCommand(ctx, command, {
      path,
      value,
      defaultValue,
      message,
      store: { branch, createBranch }
    })
    const json = JSON.stringify(result.value ?? null)
    core.setOutput(Outputs.Value, json)
    core.setOutput(Outputs.Exists, String(result.exists))
    core.setOutput(Outputs.CommitSha, result.commitSha ?? '')
    core.setOutput(Outputs.Changed, String(result.commitSha !== null))
    core.info(
      `${command} ${path} on ${repository}@${branch}: ` +
        (result.commitSha ? `committed ${result.commitSha}` : 'no commit') +
        ` (${result.requests} request(s))`
    )
    await writeJobSummary(`hubstore: state ${command}`, [
      {
        table: {
          header: ['Path', 'Branch', 'Exists', 'Commit', 'Requests'],
          rows: [[path, branch, String(result.exists), result.commitSha ?? '—', result.requests]]
        }
      },
      {
        text: `Value: <code>${escapeHtml(json.length > 500 ? `${json.slice(0, 500)}…` : json)}</code>`
      }
    ])
  })
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
