import { startEmulator } from '@hubstore/emulator'
import type { Command } from 'commander'
import { parsePort } from '../options.js'

/** `hubstore emulator`: a local GitHub on 127.0.0.1 until Ctrl-C. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('Start the local GitHub emulator on 127.0.0.1 and keep it running until Ctrl-C.')
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .option(
      '-d, --data <dir>',
      'keep state in this directory so it survives a restart (default: in memory)'
    )
    .addHelpText(
      'after',
      `
Point a client at it with GITHUB_API_URL=<url>. Create a repository and a token first, e.g.:
  curl -X POST <url>/_emulator/repos -d '{"full_name":"octocat/store"}'
  curl -X POST <url>/_emulator/tokens -d '{"token":"t1","login":"octocat","permission":"admin"}'`
    )
    .action(async (opts: { port: number; data?: string }) => {
      const emulator = await startEmulator({ port: opts.port, dataDir: opts.data })
      process.stdout.write(
        `hubstore emulator listening on ${emulator.url}${opts.data ? ` (data in ${opts.data})` : ' (in memory)'}\n`
      )
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await emulator.close()
    })
}
