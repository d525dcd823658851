/**
 * The persist-data action's test fixture: one emulator holding the data repository and a token,
 * started before the file's tests and closed after them, and a step of the action driven as the
 * runner starts it (test-support/drive-action.ts: real INPUT_* variables and file commands).
 */
import { afterAll, beforeAll } from '@jest/globals'
import { startEmulator, type Emulator } from '@hubstore/emulator'
import { rmSync } from 'node:fs'
import { captureLog } from '../../../test-support/capture-log.js'
import { driveAction } from '../../../test-support/drive-action.js'
import { run } from '../src/main.js'

/** What {@link persistFixture} needs: the repository, its token and the step's workspace. */
export interface PersistFixtureOptions {
  repository: string
  token: string
  /** the token's user; default `github-actions[bot]` (a Bot with write) */
  login?: string
  permission?: 'write' | 'admin'
  workspace: string
  /** `XDG_CACHE_HOME` of the steps (the pack cache), removed after the file; default none */
  cacheHome?: string
  /** runs after the emulator is up, before the first test */
  seed?: (emulator: Emulator) => Promise<void>
}

/** The fixture: the emulator (once started) and a step runner. */
export interface PersistFixture {
  emulator: () => Emulator
  /** Runs one step with `inputs`; its result (outputs, summary, failed) and its log. */
  step: (
    inputs: Record<string, string>
  ) => Promise<{ result: Awaited<ReturnType<typeof driveAction>>; log: string }>
}

/** Registers the file's emulator (beforeAll/afterAll) and answers the step runner. */
export function persistFixture(options: PersistFixtureOptions): PersistFixture {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await startEmulator()
    await emulator.admin.createRepo({ full_name: options.repository })
    await emulator.admin.createToken({
      token: options.token,
      login: options.login ?? 'github-actions[bot]',
      ...(options.login ? {} : { type: 'Bot' as const }),
      permission: options.permission ?? 'write'
    })
    await options.seed?.(emulator)
  })
  afterAll(async () => {
    await emulator.close()
    rmSync(options.workspace, { recursive: true, force: true })
    if (options.cacheHome) rmSync(options.cacheHome, { recursive: true, force: true })
  })
  return {
    emulator: () => emulator,
    step: (inputs) =>
      captureLog(() =>
        driveAction(run, {
          action: 'persist-data',
          token: options.token,
          repository: options.repository,
          workspace: options.workspace,
          inputs,
          env: {
            GITHUB_API_URL: emulator.url,
            GITHUB_SERVER_URL: emulator.url,
            ...(options.cacheHome ? { XDG_CACHE_HOME: options.cacheHome } : {})
          }
        })
      )
  }
}
