import { spawn } from 'node:child_process'
import { randomInt } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { UsageError } from '../errors.js'
import { createLogMasker, unescapeCommandData } from './mask.js'

/** Options of {@link runAction}. Every field but `name` and `eventName` is optional. */
export interface RunActionOptions {
  /** The action's folder under `actions/` (its bundle is `dist/<name>/index.js`). */
  name: string
  /** `GITHUB_EVENT_NAME`, e.g. `issues`, `schedule`, `workflow_dispatch`. */
  eventName: string
  /** The event payload (written to the file named by `GITHUB_EVENT_PATH`). Default `{}`. */
  payload?: unknown
  /** Inputs by their action.yml names (`issue-number`), as the `with:` block gives them. */
  inputs?: Record<string, string>
  /** `owner/name`; becomes `GITHUB_REPOSITORY` and `${{ github.repository }}`. */
  repository?: string
  /** Becomes `${{ github.token }}` for input defaults. Never put in argv or logs. */
  token?: string
  /** `GITHUB_API_URL` (e.g. the emulator's URL). Default: `https://api.github.com`. */
  apiUrl?: string
  /** `GITHUB_SERVER_URL`. Default: `apiUrl` when it is not api.github.com, else `https://github.com`. */
  serverUrl?: string
  /** More environment variables for the step (`env:`). */
  env?: Record<string, string>
  /** The repository checkout holding `actions/` and `dist/`. Default: this monorepo. */
  rootDir?: string
  /** The node binary that runs the bundle. Default: the current one. */
  node?: string
  /**
   * Called with each line the action prints (stdout and stderr), as it prints it, masked as the
   * runner masks a log: the token and every `::add-mask::` value become `***`.
   */
  onLine?: (line: string) => void
  /** Kill the step after this many ms. Default 10 minutes. */
  timeoutMs?: number
  /**
   * Which run of the action: `main` (default) runs `runs.main`; `post` runs `runs.post`, as the
   * runner does at job end (see {@link runActionWithPost}, which also evaluates `post-if`).
   */
  step?: 'main' | 'post'
  /**
   * State saved by the main run (`core.saveState`, {@link ActionRun.state}), given to the step as
   * `STATE_<name>` variables, as the runner gives it to the post step.
   */
  state?: Record<string, string>
}

/** What a step run produced, read back from the runner files the action wrote. */
export interface ActionRun {
  exitCode: number
  /** Outputs parsed from the `GITHUB_OUTPUT` file. */
  outputs: Record<string, string>
  /** The job summary markdown (`GITHUB_STEP_SUMMARY`). */
  summary: string
  /** Everything the step printed, stdout and stderr interleaved, unmasked (never print it). */
  log: string
  /** The `::error::` / `::warning::` / `::notice::` workflow commands it issued. */
  annotations: Array<{ level: 'error' | 'warning' | 'notice'; message: string }>
  /** State parsed from the `GITHUB_STATE` file (`core.saveState`), for the post step. */
  state: Record<string, string>
}

const DEFAULT_ROOT = resolve(new URL('../../../..', import.meta.url).pathname)

/**
 * Runs the committed bundle `dist/<name>/index.js` in a child process exactly as the Actions
 * runner does for a `node24` action: inputs as `INPUT_<NAME>` (upper-cased, spaces to `_`,
 * hyphens kept, defaults from action.yml with `${{ github.token }}` / `${{ github.repository }}`
 * evaluated), the `GITHUB_*` / `RUNNER_*` variables, and the file commands `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY`, `GITHUB_STATE`, `GITHUB_ENV`, `GITHUB_PATH`.
 * Source: GitHub docs "Metadata syntax for GitHub Actions" (inputs) and "Variables" (default
 * environment variables); @actions/core's file-command format.
 *
 * @throws UsageError when the action, its bundle or a given input does not exist; Error when an
 *   input default uses an expression other than `github.token` / `github.repository`.
 */
export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const root = options.rootDir ?? DEFAULT_ROOT
  const metaPath = join(root, 'actions', options.name, 'action.yml')
  if (!existsSync(metaPath))
    throw new UsageError(`No action "${options.name}": ${metaPath} does not exist.`)
  const meta = parseYaml(await readFile(metaPath, 'utf8')) as ActionMeta
  const bundle = bundleOf(root, options.name, meta, options.step ?? 'main')
  if (!existsSync(bundle))
    throw new UsageError(
      `Action "${options.name}" has no bundle at ${relative(root, bundle)}: run "pnpm build".`
    )
  const repository = options.repository ?? 'octocat/hello-world'
  const apiUrl = options.apiUrl ?? 'https://api.github.com'
  const serverUrl =
    options.serverUrl ?? (apiUrl === 'https://api.github.com' ? 'https://github.com' : apiUrl)

  const dir = await mkdtemp(join(tmpdir(), 'hubstore-step-'))
  try {
    const files = await createRunnerFiles(dir, options.payload)

    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env))
      if (
        v !== undefined &&
        !k.startsWith('INPUT_') &&
        !k.startsWith('GITHUB_') &&
        !k.startsWith('RUNNER_')
      )
        env[k] = v
    const expr = { 'github.token': options.token ?? '', 'github.repository': repository }
    for (const [name, spec] of Object.entries(meta.inputs ?? {})) {
      const given = options.inputs?.[name]
      const value = given ?? evaluateDefault(spec.default ?? '', expr, name)
      env[inputVariable(name)] = value
    }
    for (const name of Object.keys(options.inputs ?? {}))
      if (!(name in (meta.inputs ?? {})))
        throw new UsageError(
          `Action "${options.name}" has no input "${name}" (see actions/${options.name}/action.yml).`
        )
    // Distinct per call, also for steps started in the same millisecond (concurrent runs).
    const runId = `${Date.now()}${String(randomInt(1000)).padStart(3, '0')}`
    Object.assign(env, {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_ACTION: options.name,
      GITHUB_ACTOR: 'hubstore-runner',
      GITHUB_API_URL: apiUrl,
      GITHUB_GRAPHQL_URL: `${apiUrl}/graphql`,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_EVENT_NAME: options.eventName,
      GITHUB_REPOSITORY: repository,
      GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
      GITHUB_WORKSPACE: root,
      GITHUB_WORKFLOW: 'hubstore run-action',
      GITHUB_JOB: options.name,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_NUMBER: '1',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: '0'.repeat(40),
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_TEMP: dir,
      ...files,
      ...stateVariables(options.state),
      ...options.env
    })

    const { exitCode, log } = await spawnStep(
      options.node ?? process.execPath,
      bundle,
      env,
      options
    )
    return {
      exitCode,
      outputs: parseFileCommand(await readFile(files.GITHUB_OUTPUT, 'utf8')),
      summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
      log,
      annotations: parseAnnotations(log),
      state: parseFileCommand(await readFile(files.GITHUB_STATE, 'utf8'))
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The parts of action.yml run-action reads. */
interface ActionMeta {
  inputs?: Record<string, { default?: string; required?: boolean }>
  runs?: { main?: string; post?: string; 'post-if'?: string }
}

/**
 * The bundle of a step: `runs.post` (or `runs.main`) resolved against the action's folder, as
 * the runner resolves it; `dist/<name>/index.js` when action.yml names no main.
 * @throws UsageError for a post step of an action without `runs.post`.
 */
function bundleOf(root: string, name: string, meta: ActionMeta, step: 'main' | 'post'): string {
  const file = step === 'post' ? meta.runs?.post : meta.runs?.main
  if (step === 'post' && !file)
    throw new UsageError(`Action "${name}" has no post step (action.yml runs.post).`)
  return file ? resolve(root, 'actions', name, file) : join(root, 'dist', name, 'index.js')
}

/** `STATE_<name>` for each saved state, as the runner sets them for the post step. */
function stateVariables(state: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v]))
}

/**
 * Runs an action's main step, then `between` (what the job's later steps would do), then its
 * post step with the state main saved, if action.yml's `post-if` holds (`success()`: main
 * succeeded; `always()`, the runner's default; `failure()`), as the runner does at job end.
 * Source: GitHub docs "Metadata syntax for GitHub Actions" (`runs.post`, `runs.post-if`) and
 * "Workflow commands" (sending values to the pre and post actions); docs/persist-data.md §11.
 *
 * @returns both runs; `post` is `null` when `post-if` did not hold.
 * @throws UsageError when the action has no `runs.post`, or a `post-if` other than those three.
 */
export async function runActionWithPost(
  options: Omit<RunActionOptions, 'step' | 'state'>,
  between: (main: ActionRun) => Promise<void> = async () => undefined
): Promise<{ main: ActionRun; post: ActionRun | null }> {
  const root = options.rootDir ?? DEFAULT_ROOT
  const meta = parseYaml(
    await readFile(join(root, 'actions', options.name, 'action.yml'), 'utf8')
  ) as ActionMeta
  bundleOf(root, options.name, meta, 'post')
  const condition = (meta.runs?.['post-if'] ?? 'always()').replace(/\s+/g, '')
  if (!['always()', 'success()', 'failure()'].includes(condition))
    throw new UsageError(
      `run-action evaluates post-if success(), always() or failure(), not "${condition}".`
    )
  const main = await runAction({ ...options, step: 'main' })
  await between(main)
  const runs = condition === 'always()' || (condition === 'success()') === (main.exitCode === 0)
  const post = runs ? await runAction({ ...options, step: 'post', state: main.state }) : null
  return { main, post }
}

/** The files a step's file commands write to, by the variable that names each. */
export interface RunnerFiles {
  GITHUB_EVENT_PATH: string
  GITHUB_OUTPUT: string
  GITHUB_STEP_SUMMARY: string
  GITHUB_STATE: string
  GITHUB_ENV: string
  GITHUB_PATH: string
}

/**
 * Creates a step's runner files in `dir`: the event payload (`GITHUB_EVENT_PATH`, default `{}`)
 * and empty `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_STATE`, `GITHUB_ENV`, `GITHUB_PATH`.
 */
export async function createRunnerFiles(dir: string, payload: unknown = {}): Promise<RunnerFiles> {
  const files: RunnerFiles = {
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'step_summary'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path')
  }
  await writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(payload, null, 2))
  for (const file of [
    files.GITHUB_OUTPUT,
    files.GITHUB_STEP_SUMMARY,
    files.GITHUB_STATE,
    files.GITHUB_ENV,
    files.GITHUB_PATH
  ])
    await writeFile(file, '')
  return files
}

/** The runner's input variable name: `INPUT_` + name upper-cased with spaces as `_`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

function evaluateDefault(value: string, expr: Record<string, string>, input: string): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, e: string) => {
    if (e in expr) return expr[e] as string
    throw new Error(
      `Input "${input}" defaults to the expression "${e}", which run-action cannot evaluate: pass --input ${input}=…`
    )
  })
}

/**
 * Parses a file-command file (`GITHUB_OUTPUT`, `GITHUB_ENV`) in both forms @actions/core writes:
 * `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks.
 */
export function parseFileCommand(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string)
      out[name] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      out[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return out
}

function parseAnnotations(log: string): ActionRun['annotations'] {
  const found: ActionRun['annotations'] = []
  for (const m of log.matchAll(/^::(error|warning|notice)[^:]*::(.*)$/gm))
    found.push({
      level: m[1] as 'error' | 'warning' | 'notice',
      message: unescapeCommandData(m[2] as string)
    })
  return found
}

function spawnStep(
  node: string,
  bundle: string,
  env: Record<string, string>,
  options: RunActionOptions
): Promise<{ exitCode: number; log: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    let pending = ''
    const mask = createLogMasker([options.token])
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8')
      log += text
      pending += text
      const parts = pending.split('\n')
      pending = parts.pop() ?? ''
      for (const p of parts) options.onLine?.(mask(p))
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (pending) options.onLine?.(mask(pending))
      resolvePromise({ exitCode: code ?? (signal ? 128 : 1), log })
    })
  })
}
