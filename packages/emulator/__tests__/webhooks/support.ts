import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { _, Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import standaloneModule from 'ajv/dist/standalone/index.js'

/** One POST the receiver got: headers (lower-cased) and the raw body, as sent. */
export interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A local webhook receiver (node:http on 127.0.0.1): records every POST, answers 200. */
export class Receiver {
  readonly received: Received[] = []
  private server: Server | null = null
  url = ''

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end('ok')
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`
    return this
  }

  /** The deliveries of `event` (`X-GitHub-Event`), optionally only with this `action`. */
  of(event: string, action?: string): Array<Received & { payload: Record<string, unknown> }> {
    return this.received
      .filter((r) => r.headers['x-github-event'] === event)
      .map((r) => ({ ...r, payload: JSON.parse(r.body) as Record<string, unknown> }))
      .filter((r) => action === undefined || r.payload.action === action)
  }

  async close(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
  }
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
const standaloneCode = standaloneModule as unknown as (
  ajv: Ajv,
  refs: Record<string, string>
) => string

/**
 * Every definition of `@octokit/webhooks-schemas` the emulator's tests validate against
 * (`<event>$<action>`, or `<event>$event` for events without actions). {@link webhookSchema}
 * answers only these: add a definition here to validate against it.
 */
export const WEBHOOK_DEFINITIONS = [
  'installation$created',
  'installation$deleted',
  'installation_repositories$added',
  'installation_repositories$removed',
  'issue_comment$created',
  'issue_comment$deleted',
  'issue_comment$edited',
  'issues$closed',
  'issues$edited',
  'issues$labeled',
  'issues$opened',
  'issues$reopened',
  'issues$unlabeled',
  'ping$event',
  'pull_request$closed',
  'pull_request$edited',
  'pull_request$opened',
  'push$event',
  'repository$created',
  'repository$deleted',
  'repository$renamed'
] as const

const AJV_OPTIONS = { strict: false, allErrors: true, logger: false, inlineRefs: false } as const
let validators: Record<string, ValidateFunction> | null = null

/**
 * The validators of {@link WEBHOOK_DEFINITIONS}, compiled once per machine: compiling GitHub's
 * schemas takes seconds of CPU per test file (they are one 7 MB document of shared
 * definitions), so the compiled code is kept as an Ajv standalone module
 * (https://ajv.js.org/standalone.html) in the package's `node_modules/.cache/hubstore-tests/`,
 * named by a digest of the package versions, the options and the definitions. A missing file is
 * compiled and written (written to a temporary name and renamed, so a file running at the same
 * time reads either none or a whole one); the validators always come from the file, so the
 * code that validates is the same on the first run and later ones. `inlineRefs: false` compiles
 * each shared definition once instead of inlining it into every reference (a quarter of the
 * time, the same answers).
 */
function compiledValidators(): Record<string, ValidateFunction> {
  if (validators) return validators
  const require = createRequire(import.meta.url)
  const version = (name: string) => (require(`${name}/package.json`) as { version: string }).version
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        ['ajv', 'ajv-formats', '@octokit/webhooks-schemas'].map(version),
        AJV_OPTIONS,
        WEBHOOK_DEFINITIONS
      ])
    )
    .digest('hex')
    .slice(0, 16)
  const dir = fileURLToPath(new URL('../../node_modules/.cache/hubstore-tests/', import.meta.url))
  const file = join(dir, `webhook-validators-${key}.cjs`)
  if (!existsSync(file)) {
    const ajv = new Ajv({
      ...AJV_OPTIONS,
      code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` }
    })
    addFormats(ajv)
    const schema = require('@octokit/webhooks-schemas') as Record<string, unknown>
    ajv.addSchema({ ...schema, $id: 'webhooks' }, 'webhooks')
    const code = standaloneCode(
      ajv,
      Object.fromEntries(WEBHOOK_DEFINITIONS.map((d) => [d, `webhooks#/definitions/${d}`]))
    )
    mkdirSync(dir, { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, code)
    renameSync(temporary, file)
  }
  validators = require(file) as Record<string, ValidateFunction>
  return validators
}

/**
 * The validator of one definition of `@octokit/webhooks-schemas` (`push$event`,
 * `issues$opened` …): GitHub's published webhook payload schemas.
 *
 * @throws Error for a definition not in {@link WEBHOOK_DEFINITIONS}.
 */
export function webhookSchema(definition: string): ValidateFunction {
  const v = compiledValidators()[definition]
  if (!v)
    throw new Error(
      `webhookSchema: ${definition} is not in WEBHOOK_DEFINITIONS (webhooks/support.ts): add it there`
    )
  return v
}

/** The schema errors of `payload` against `definition` (empty when it validates). */
export function schemaErrors(definition: string, payload: unknown): string[] {
  const validate = webhookSchema(definition)
  if (validate(payload)) return []
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`
  )
}
