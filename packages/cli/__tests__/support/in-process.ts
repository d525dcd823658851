/**
 * Runs `hubstore <args>` in this process through the CLI's `run(argv)` (src/main.ts), the way
 * `bin/hubstore.js` runs it in a child, and answers what a child would show: the exit code and
 * everything written to stdout and stderr. A spawned CLI pays about a second of tsx start-up per
 * run; in-process it pays nothing, so the tests that run many commands use this and keep real
 * spawns only for what only a child shows (signals, a long-running `watch`, the bin script).
 *
 * For the duration of one run: `env` is applied to `process.env` (a value `undefined` removes
 * the variable), the working directory is `cwd` when given, stdout and stderr are captured and
 * report `isTTY` false (a spawned child's pipes), and `process.exitCode` is reset afterwards.
 * Runs are serialised (one at a time per test file), since they share the process's streams
 * and environment; everything is restored when a run ends, thrown or not.
 */
import { run } from '../../src/main.js'

/** What one run showed: exit code (0 ok, 1 failed, 2 usage or input, 3 not found), output. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Environment overrides for the run (`undefined` removes a variable). */
  env?: Record<string, string | undefined>
  /** Working directory for the run (default: the current one). */
  cwd?: string
}

let queue: Promise<unknown> = Promise.resolve()

/** Runs `hubstore <args>` in-process (see the file comment); never throws for a failed command. */
export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliRun> {
  const next = queue.then(() => runNow(args, options))
  queue = next.catch(() => undefined)
  return next
}

async function runNow(args: string[], { env = {}, cwd }: RunCliOptions): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const text = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  const savedEnv = { ...process.env }
  const savedCwd = process.cwd()
  const write = { out: process.stdout.write, err: process.stderr.write }
  const tty = { out: process.stdout.isTTY, err: process.stderr.isTTY }
  for (const [name, value] of Object.entries(env))
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  if (cwd) process.chdir(cwd)
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += text(chunk)),
    true
  )) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += text(chunk)),
    true
  )) as typeof process.stderr.write
  process.stdout.isTTY = false
  process.stderr.isTTY = false
  try {
    const code = await run(['node', 'hubstore', ...args], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s)
    })
    return { code, stdout, stderr }
  } finally {
    process.stdout.write = write.out
    process.stderr.write = write.err
    process.stdout.isTTY = tty.out
    process.stderr.isTTY = tty.err
    if (cwd) process.chdir(savedCwd)
    for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
    Object.assign(process.env, savedEnv)
    process.exitCode = undefined
  }
}
