import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { registerDemo } from './commands/demo.js'
import { registerEmulator } from './commands/emulator.js'
import { registerObjects } from './commands/objects.js'
import { registerProcessUpdates } from './commands/process-updates.js'
import { registerRunAction } from './commands/run-action.js'
import { registerSequence } from './commands/sequence.js'
import { registerSnapshot } from './commands/snapshot.js'
import { registerMigrate } from './commands/migrate.js'
import { registerState } from './commands/state.js'
import { reportError } from './errors.js'

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
    // program options only before the command, so `objects get --version 1` stays the command's
    .enablePositionalOptions()
    .showHelpAfterError()
  registerEmulator(program)
  registerRunAction(program)
  registerDemo(program)
  registerState(program)
  registerMigrate(program)
  registerObjects(program)
  registerProcessUpdates(program)
  registerSnapshot(program)
  registerSequence(program)
  return program
}

/** Runs the CLI with `argv` (process.argv shape) and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().exitOverride().parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode
      return
    }
    process.exitCode = reportError(error)
  }
}
