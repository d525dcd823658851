import type { Command } from 'commander'
import { runDemo } from '../demo.js'

/** `hubstore demo`: the process-updates job end to end against the embedded emulator. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'Run the main job on real input against an embedded emulator: create objects, queue authorised, ' +
        'unauthorised and malformed updates, run the bundled process-updates action on an issues/reopened payload.'
    )
    .action(async () => {
      const result = await runDemo()
      process.exitCode = result.run.exitCode
    })
}
