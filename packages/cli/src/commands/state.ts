import { runStateCommand, type StateCommand } from '@hubstore/core'
import { STATE_COMMANDS } from '@hubstore/core/branch-store'
import { echoValue } from '@hubstore/core/github'
import { JsonTooDeepError, parseJsonChecked } from '@hubstore/core/objects'
import type { Command } from 'commander'
import { EXIT, UsageError } from '../errors.js'
import {
  readFileArgument,
  readStdin,
  repoContextFromFlags,
  repoOptions,
  type RepoFlags
} from '../options.js'

/**
 * Reads a JSON argument: inline JSON, `@file` for a file, `-` for stdin. @throws UsageError
 */
export async function readJsonArgument(
  what: string,
  text: string,
  stdin: () => Promise<string> = readStdin
): Promise<unknown> {
  let raw = text
  if (text === '-') raw = await stdin()
  else if (text.startsWith('@')) raw = await readFileArgument(what, text.slice(1))
  try {
    return parseJsonChecked(raw)
  } catch (error) {
    if (error instanceof JsonTooDeepError) throw new UsageError(`${what}: ${error.message}.`)
    throw new UsageError(
      `${what} must be JSON (inline, @file or - for stdin): ${(error as Error).message}.`
    )
  }
}

/** `hubstore state get|set|merge|delete`: one JSON document on a state branch. */
export function registerState(program: Command): void {
  const state = program
    .command('state')
    .description(
      'Read or change JSON documents on a state branch; every change is one compare-and-swap commit.'
    )
    .addHelpText(
      'after',
      `
The token comes from $GH_TOKEN or $GITHUB_TOKEN (or --token), the API from --api-url or $GITHUB_API_URL.
Examples:
  hubstore state set nightly/state.json '{"cursor": 10}' --repo octocat/data
  hubstore state merge nightly/state.json '{"cursor": 11, "old": null}' --repo octocat/data
  hubstore state get nightly/state.json --repo octocat/data`
    )
  for (const command of STATE_COMMANDS) {
    const sub = state
      .command(command)
      .description(
        {
          get: 'Print the document as JSON; a missing one prints --default, or exits 3 with a message on stderr.',
          set: 'Replace the document with <value>.',
          merge:
            'Apply <value> as a JSON Merge Patch (RFC 7396): objects merge, null removes a key.',
          delete: 'Delete the document.'
        }[command]
      )
      .argument('<path>', 'the document path on the branch, e.g. nightly/state.json')
    if (command === 'set' || command === 'merge')
      sub.argument('<value>', 'JSON, @file, or - for stdin')
    repoOptions(sub)
      .option('-b, --branch <name>', 'the state branch', 'automation-state')
      .option(
        '--create-branch <mode>',
        'how a missing branch is created: orphan or default-branch',
        'orphan'
      )
    if (command === 'get')
      sub.option(
        '--default <json>',
        'printed when the document does not exist (exit 0); without it a missing document exits 3'
      )
    else sub.option('-m, --message <text>', 'commit message')
    sub.action(async (path: string, ...rest: unknown[]) => {
      const hasValue = command === 'set' || command === 'merge'
      const valueText = hasValue ? (rest[0] as string) : undefined
      const opts = rest[hasValue ? 1 : 0] as RepoFlags & {
        branch: string
        createBranch: string
        default?: string
        message?: string
      }
      await runStateCli(command, path, valueText, opts)
    })
  }
}

/**
 * The action of `hubstore state <command>` (exported for tests). `get` of a document that does
 * not exist, without `--default`, prints nothing on stdout, says so on `err` and sets exit code
 * {@link EXIT}.NOT_FOUND (3), so a script tells "missing" from a stored `null`.
 */
export async function runStateCli(
  command: StateCommand,
  path: string,
  valueText: string | undefined,
  opts: RepoFlags & { branch: string; createBranch: string; default?: string; message?: string },
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s)
): Promise<void> {
  if (opts.createBranch !== 'orphan' && opts.createBranch !== 'default-branch')
    throw new UsageError(
      `--create-branch takes orphan or default-branch, got ${echoValue(opts.createBranch)}.`
    )
  const value = valueText === undefined ? undefined : await readJsonArgument('VALUE', valueText)
  const defaultValue =
    opts.default === undefined ? undefined : await readJsonArgument('--default', opts.default)
  const ctx = repoContextFromFlags(opts)
  const result = await runStateCommand(ctx, command, {
    path,
    value,
    defaultValue,
    message: opts.message,
    store: { branch: opts.branch, createBranch: opts.createBranch as 'orphan' | 'default-branch' }
  })
  if (command === 'get' && !result.exists && defaultValue === undefined) {
    err(`hubstore: ${path} does not exist on ${ctx.owner}/${ctx.repo}@${result.branch}\n`)
    process.exitCode = EXIT.NOT_FOUND
    if (opts.json) out(`${JSON.stringify(result, null, 2)}\n`)
    return
  }
  if (opts.json) {
    out(`${JSON.stringify(result, null, 2)}\n`)
    return
  }
  if (command === 'get') {
    out(`${JSON.stringify(result.value, null, 2)}\n`)
    return
  }
  const what =
    command === 'delete' && !result.exists
      ? `${path} did not exist; nothing to delete`
      : result.commitSha
        ? `committed ${result.commitSha}`
        : 'unchanged (no commit)'
  out(`${command} ${path} on ${ctx.owner}/${ctx.repo}@${result.branch}: ${what}\n`)
  if (command === 'merge') out(`${JSON.stringify(result.value, null, 2)}\n`)
}
