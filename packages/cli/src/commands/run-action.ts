import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { collectKeyValue, repositoryFromFlags, tokenFromEnv } from '../options.js'
import { runAction, runActionWithPost } from '../run-action/run-action.js'

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
    .option(
      '--post',
      "then run the action's post step (runs.post, if post-if holds) with the state main saved"
    )
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
          post?: boolean
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
        const options = {
          name,
          eventName: opts.event,
          payload,
          inputs: opts.input,
          repository,
          token: tokenFromEnv(),
          apiUrl: process.env.GITHUB_API_URL,
          serverUrl: process.env.GITHUB_SERVER_URL,
          onLine: opts.json ? undefined : (line: string) => process.stdout.write(`  | ${line}\n`)
        }
        const { main: result, post } = opts.post
          ? await runActionWithPost(options)
          : { main: await runAction(options), post: undefined }
        const postPart = post === undefined ? {} : { post: post && { exitCode: post.exitCode } }
        if (opts.json)
          process.stdout.write(
            `${JSON.stringify({ exitCode: result.exitCode, outputs: result.outputs, ...postPart }, null, 2)}\n`
          )
        else {
          process.stdout.write(`\n${name} exited ${result.exitCode}. Outputs:\n`)
          for (const [k, v] of Object.entries(result.outputs))
            process.stdout.write(`  ${k} = ${v}\n`)
          if (post !== undefined)
            process.stdout.write(
              post ? `post step exited ${post.exitCode}.\n` : 'post step skipped (post-if).\n'
            )
        }
        process.exitCode = result.exitCode || (post?.exitCode ?? 0)
      }
    )
}
