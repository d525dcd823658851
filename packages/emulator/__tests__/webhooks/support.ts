import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'

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
let ajv: Ajv | null = null
const validators = new Map<string, ValidateFunction>()

/**
 * The validator of one definition of `@octokit/webhooks-schemas` (`push$event`,
 * `issues$opened` …): GitHub's published webhook payload schemas.
 */
export function webhookSchema(definition: string): ValidateFunction {
  if (!ajv) {
    ajv = new Ajv({ strict: false, allErrors: true, logger: false })
    addFormats(ajv)
    const schema = createRequire(import.meta.url)('@octokit/webhooks-schemas') as Record<
      string,
      unknown
    >
    ajv.addSchema({ ...schema, $id: 'webhooks' }, 'webhooks')
  }
  let v = validators.get(definition)
  if (!v) {
    v = ajv.compile({ $ref: `webhooks#/definitions/${definition}` })
    validators.set(definition, v)
  }
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
