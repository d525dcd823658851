import { readFileSync } from 'node:fs'
import { InvalidOptionsError } from '@hubstore/core'
import { Command, CommanderError } from 'commander'
import { registerActivity } from './commands/activity.js'
import { registerData } from './commands/data.js'
import { registerDemo } from './commands/demo.js'
import { registerEmulator } from './commands/emulator.js'
import { registerInit } from './commands/init.js'
import { registerObjects } from './commands/objects.js'
import { registerProcessUpdates } from './commands/process-updates.js'
import { registerRunAction } from './commands/run-action.js'
import { registerSequence } from './commands/sequence.js'
import { registerSnapshot } from './commands/snapshot.js'
import { registerMigrate } from './commands/migrate.js'
import { registerState } from './commands/state.js'
import { EXIT, reportError } from './errors.js'

/** The CLI's version: `version` of packages/cli/package.json. */
export const CLI_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
).version

/** Builds the `hubstore` program (exported for tests, which parse with `{ from: 'user' }`). */
export function buildProgram(): Command {
  const program = new Command('hubstore')
    .description('A GitHub repository as a free, versioned, auditable data store.')
    .version(CLI_VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'print help for the command')
    // program options only before the command, so `objects get --version 1` stays the command's
    .enablePositionalOptions()
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Exit codes: 0 success; 1 the operation failed (contention, a mismatch found, GitHub refusing or
failing); 2 a usage or input error; 3 "state get" of a document that does not exist.
The token comes from --token, $GH_TOKEN or $GITHUB_TOKEN; --json prints camelCase JSON.`
    )
  // The store commands first, then the tooling (help lists them in this order).
  registerObjects(program)
  registerProcessUpdates(program)
  registerSnapshot(program)
  registerSequence(program)
  registerState(program)
  registerMigrate(program)
  registerData(program)
  registerActivity(program)
  registerInit(program)
  registerEmulator(program)
  registerRunAction(program)
  registerDemo(program)
  return program
}

/** Where {@link run} writes: standard output and standard error by default. */
export interface CliStreams {
  stdout: (s: string) => void
  stderr: (s: string) => void
}

/** Every command of `program`, itself first, depth first. */
export function everyCommand(program: Command): Command[] {
  return [program, ...program.commands.flatMap(everyCommand)]
}

/**
 * Runs the CLI in-process on `argv` (process.argv shape) and returns the exit code (README
 * "Exit codes and JSON"): commander's own errors (unknown command or option, missing argument)
 * are usage errors, 2, like every other; `--help` and `--version` are 0. Commander's messages
 * and help go to `streams`; the commands' results still go to process.stdout.
 */
export async function run(
  argv: string[],
  streams: CliStreams = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s)
  }
): Promise<number> {
  process.exitCode = undefined // a command sets it (e.g. validate's mismatches); one run, one code
  const program = buildProgram()
  let ran: Command | undefined // the command whose action runs, for inFlagTerms
  program.hook('preAction', (_program, command) => void (ran = command))
  for (const command of everyCommand(program))
    command.exitOverride().configureOutput({ writeOut: streams.stdout, writeErr: streams.stderr })
  try {
    await program.parseAsync(argv)
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE
    return reportError(ran ? inFlagTerms(error, ran) : error, streams.stderr)
  }
}

/**
 * Core option names that are not the attribute name of the flag that gives them: core's
 * `getObjectAt` takes `date`, which `objects get` reads from `--at`.
 */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = { date: '--at' }

/**
 * Core's `INVALID_OPTIONS` on an option a flag of `command` gave re-worded to name the flag and
 * echo the value (`InvalidOptionsError.as`): the flag whose commander attribute name is the
 * option's name (`timeZone` ← `--time-zone`), else the one {@link FLAG_OF_OPTION} names.
 * Anything else, or an option no flag of `command` gives (an argument), as is.
 */
export function inFlagTerms(error: unknown, command: Command): unknown {
  if (!(error instanceof InvalidOptionsError) || error.label !== undefined) return error
  const flag =
    command.options.find((o) => o.long !== undefined && o.attributeName() === error.option) ??
    command.options.find((o) => o.long === FLAG_OF_OPTION[error.option])
  return flag?.long === undefined ? error : error.as(flag.long)
}

/** Runs the CLI with `argv` (process.argv shape) and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  process.exitCode = await run(argv)
}
