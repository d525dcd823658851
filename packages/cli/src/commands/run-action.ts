import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { collectKeyValue, repositoryFromFlags, tokenFromEnv } from '../options.js'
import { runAction } from '../run-action/run-action.js'

/** `hubstore run-action`: run a committed action bundle the way the Actions runner does. */
export function registerRunAction(program: Command): void {
  program
    .command('run-action')
    .description(
      'Run dist/<name>/index.js in a child process exactly as the Actions runner does, and print its outputs.'
    )
    .argument('<name>', 'the action, e.g. process-updates')
    .requiredOption(
      '-e, --event <event-name>',
      'GITHUB_EVENT_NAME, e.g. issues, schedule, workflow_dispatch'
    )
    .option('--payload <file>', 'event payload JSON file (default: {})')
    .option(
      '-i, --input <name=value>',
      "an input, as in a step's with: block (repeatable)",
      collectKeyValue,
      {}
    )
    .option('-r, --repo <owner/name>', 'GITHUB_REPOSITORY (default: $GITHUB_REPOSITORY)')
    .option('--json', 'print the outputs as one JSON object')
    .addHelpText(
      'after',
      `
The token for \${{ github.token }} comes from $GH_TOKEN or $GITHUB_TOKEN, the API from $GITHUB_API_URL
(point it at "hubstore emulator"). Exit status is the action's.`
    )
    .action(
      async (
        name: string,
        opts: {
          event: string
          payload?: string
          input: Record<string, string>
          repo?: string
          json?: boolean
        }
      ) => {
        const repository = repositoryFromFlags(opts)
        let payload: unknown = {}
        if (opts.payload) {
          try {
            payload = JSON.parse(await readFile(opts.payload, 'utf8'))
          } catch (e) {
            throw new UsageError(
              `--payload ${opts.payload}: cannot read it as JSON (${(e as Error).message}).`
            )
          }
        }
        const result = await runAction({
          name,
          eventName: opts.event,
          payload,
          inputs: opts.input,
          repository,
          token: tokenFromEnv(),
          apiUrl: process.env.GITHUB_API_URL,
          serverUrl: process.env.GITHUB_SERVER_URL,
          onLine: opts.json ? undefined : (line) => process.stdout.write(`  | ${line}\n`)
        })
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ exitCode: result.exitCode, outputs: result.outputs }, null, 2)}\n`
          )
        else {
          process.stdout.write(`\n${name} exited ${result.exitCode}. Outputs:\n`)
          for (const [k, v] of Object.entries(result.outputs))
            process.stdout.write(`  ${k} = ${v}\n`)
        }
        process.exitCode = result.exitCode
      }
    )
}
