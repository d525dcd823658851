/**
 * One way for every action's tests to run its `run()` in-process as the Actions runner would
 * start the step: real `INPUT_*` variables (the runner's name mangling), the `GITHUB_*`
 * variables, and the file commands `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_STATE`,
 * `GITHUB_ENV` and `GITHUB_PATH` in a temporary directory, read back after the step. The
 * environment is restored afterwards, so steps of one test file do not leak into each other.
 * (`hubstore run-action` does the same for the committed bundle in a child process.)
 */
import { createRunnerFiles, inputVariable, parseFileCommand } from '@hubstore/cli'
import type { Emulator } from '@hubstore/emulator'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readActionMetadata } from './action-metadata.js'

/** What a step is started with. */
export interface DriveOptions {
  /**
   * The action's folder under `actions/`: inputs not given take their action.yml default, as
   * the runner does, with `${{ github.token }}` and `${{ github.repository }}` evaluated.
   */
  action?: string
  /** `${{ github.token }}` for input defaults. */
  token?: string
  /** `GITHUB_REPOSITORY`, and `${{ github.repository }}` for input defaults. */
  repository?: string
  /** Inputs by their action.yml names (`issue-number`), as a `with:` block gives them. */
  inputs?: Record<string, string | undefined>
  /** More environment variables (`env:`, or `GITHUB_*` overrides such as `GITHUB_API_URL`). */
  env?: Record<string, string>
  /** `GITHUB_WORKSPACE`. Default: a temporary directory of this step. */
  workspace?: string
  /** `GITHUB_EVENT_NAME`. Default `workflow_dispatch`. */
  eventName?: string
  /**
   * The event payload, written to the file `GITHUB_EVENT_PATH` names. Default `{}`. Note that
   * `@actions/github`'s `context` reads it once, when that module is first imported.
   */
  payload?: unknown
}

/** What the step produced. */
export interface StepResult {
  /** Outputs parsed from `GITHUB_OUTPUT`. */
  outputs: Record<string, string>
  /** The job summary markdown (`GITHUB_STEP_SUMMARY`). */
  summary: string
  /** `GITHUB_STATE` (`core.saveState`), parsed. */
  state: Record<string, string>
  /** `GITHUB_ENV` (`core.exportVariable`), parsed. */
  exportedEnv: Record<string, string>
  /** `core.setFailed` was called (exit code 1). */
  failed: boolean
}

/**
 * Runs `run` (an action's entry, `src/main.ts`'s `run`) as one step.
 *
 * @param run the action's `run()`, which must not throw (action-kit's `runStep` catches)
 */
export async function driveAction(
  run: () => Promise<void>,
  options: DriveOptions = {}
): Promise<StepResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-drive-'))
  const files = await createRunnerFiles(dir, options.payload ?? {})
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
    GITHUB_WORKSPACE: options.workspace ?? dir,
    RUNNER_TEMP: dir,
    ...files,
    ...options.env
  }
  if (options.repository) env.GITHUB_REPOSITORY = options.repository
  for (const [name, value] of Object.entries({ ...defaultInputs(options), ...options.inputs }))
    if (value !== undefined) env[inputVariable(name)] = value

  const saved = new Map<string, string | undefined>()
  for (const name of Object.keys(process.env))
    if (name.startsWith('INPUT_')) saved.set(name, process.env[name])
  for (const name of saved.keys()) delete process.env[name]
  for (const [name, value] of Object.entries(env)) {
    if (!saved.has(name)) saved.set(name, process.env[name])
    process.env[name] = value
  }
  const exitCode = process.exitCode
  process.exitCode = undefined
  try {
    await run()
    const read = (file: string) => readFileSync(file, 'utf8')
    return {
      outputs: parseFileCommand(read(files.GITHUB_OUTPUT)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      state: parseFileCommand(read(files.GITHUB_STATE)),
      exportedEnv: parseFileCommand(read(files.GITHUB_ENV)),
      failed: process.exitCode === 1
    }
  } finally {
    process.exitCode = exitCode
    for (const [name, value] of saved)
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The action.yml defaults of `options.action`'s inputs, expressions evaluated. */
function defaultInputs(options: DriveOptions): Record<string, string> {
  if (!options.action) return {}
  const expressions: Record<string, string | undefined> = {
    'github.token': options.token,
    'github.repository': options.repository
  }
  const defaults: Record<string, string> = {}
  for (const [name, spec] of Object.entries(readActionMetadata(options.action).inputs))
    if (options.inputs?.[name] === undefined)
      defaults[name] = (spec.default ?? '').replace(
        /\$\{\{\s*([^}]*?)\s*\}\}/g,
        (_m, e: string) => {
          const value = expressions[e]
          if (value === undefined)
            throw new Error(
              `Input "${name}" defaults to "\${{ ${e} }}": give the input or the option.`
            )
          return value
        }
      )
  return defaults
}

/** The tokens {@link createActionTokens} makes, by who holds them. */
export const TOKENS = { owner: 'owner', outsider: 'outsider', bot: 'bot' } as const

/**
 * Makes the people of an action test in `emulator`: `owner` (octocat, admin), `outsider`
 * (mallory, read) and `bot` (github-actions[bot], write: the `GITHUB_TOKEN` stand-in).
 */
export async function createActionTokens(emulator: Emulator): Promise<void> {
  await emulator.admin.createToken({ token: TOKENS.owner, login: 'octocat', permission: 'admin' })
  await emulator.admin.createToken({ token: TOKENS.outsider, login: 'mallory', permission: 'read' })
  await emulator.admin.createToken({
    token: TOKENS.bot,
    login: 'github-actions[bot]',
    type: 'Bot',
    permission: 'write'
  })
}
