import type { Command } from 'commander'
import { UsageError } from '../errors.js'
import { collectRepo, collectToken, parsePort, type TokenFlag } from '../options.js'

/** File-system errors that mean the `--data` directory cannot be used as given. */
const DATA_DIR_ERRORS = new Set([
  'EEXIST',
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOENT',
  'EISDIR'
])

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
    .option('--repo <owner/name>', 'create this repository at start (repeatable)', collectRepo, [])
    .option(
      '--token <token:login:permission>',
      'create a token for a user at start; permission admin, write or read; a login ending in [bot] is a Bot (repeatable)',
      collectToken,
      []
    )
    .addHelpText(
      'after',
      `
Example:
  hubstore emulator --port 0 --repo octocat/store --token t1:octocat:admin --token t2:github-actions[bot]:write
Then point clients at it: GITHUB_API_URL=<url> GITHUB_SERVER_URL=<url> GITHUB_TOKEN=t1 …
The admin API (/_emulator/…) creates more repositories and tokens; see the emulator's README.`
    )
    .action(async (opts: { port: number; data?: string; repo: string[]; token: TokenFlag[] }) => {
      // Loaded here, not at the top: every other command starts faster without the emulator.
      const { EmulatorAdminError, startEmulator } = await import('@hubstore/emulator')
      const emulator = await startEmulator({ port: opts.port, dataDir: opts.data }).catch(
        (error: unknown) => {
          // A port in use is the caller's to fix: one line, exit 2, not a stack.
          if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
            throw new UsageError(
              `--port ${opts.port} is in use on 127.0.0.1: pick another port, or --port 0 for a free one.`
            )
          // A --data path that is a file, or not writable: the caller's to fix as well.
          const fsError = error as NodeJS.ErrnoException
          if (opts.data && fsError.path && DATA_DIR_ERRORS.has(fsError.code ?? ''))
            throw new UsageError(
              `--data ${opts.data}: cannot keep the emulator's state there (${fsError.code} on ${fsError.path}): give a directory you can write, or leave --data out to keep state in memory.`
            )
          throw error
        }
      )
      for (const full_name of opts.repo)
        await emulator.admin.createRepo({ full_name }).catch((error: unknown) => {
          // With --data, a restart finds the repository already there.
          if (!(error instanceof EmulatorAdminError && error.status === 409)) throw error
        })
      for (const t of opts.token)
        await emulator.admin.createToken({
          token: t.token,
          login: t.login,
          type: t.type,
          permission: t.permission
        })
      process.stdout.write(
        `hubstore emulator listening on ${emulator.url}${opts.data ? ` (data in ${opts.data})` : ' (in memory)'}\n`
      )
      for (const r of opts.repo) process.stdout.write(`  repository ${r}\n`)
      // Tokens are secrets even here: say whose they are, never echo them.
      for (const t of opts.token) process.stdout.write(`  token for ${t.login} (${t.permission})\n`)
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      await emulator.close()
    })
}
