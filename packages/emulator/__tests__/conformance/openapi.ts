import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { Exchange } from '../../src/index.js'

/**
 * GitHub's OpenAPI description (`@octokit/openapi`, `generated/api.github.com.json`, OpenAPI
 * 3.0.3) turned into Ajv validators per operation, and the checks one recorded exchange must
 * pass (docs/github-behaviour.md §6). The document is read once per process and pre-processed
 * for Ajv: OpenAPI 3.0 `nullable` becomes JSON Schema `null` types, and the 135 nodes with
 * `nullable: true` but no `type` become `anyOf: [node, {type: 'null'}]` (Ajv rejects
 * `nullable` without `type`); `oneOf` is checked as `anyOf` (see `toJsonSchema`). Compiled
 * validators are cached per operation, status and media type.
 */

type Json = Record<string, unknown>

/** One check that did not pass, with where it failed. */
export interface Failure {
  /** `<METHOD> <route template>` as served. */
  route: string
  operationId: string
  /** `operation`, `path`, `query`, `request body`, `status`, `response body`, `response headers`. */
  part: string
  /** JSON pointer into the part (`''` for the whole part). */
  pointer: string
  message: string
}

/** The outcome of checking one exchange. */
export interface Verdict {
  operationId: string
  failures: Failure[]
  /**
   * The request broke the description (a deliberately invalid request) and the emulator
   * rejected it with a 4xx: correct behaviour, recorded as a note rather than a failure.
   */
  rejectedInvalidRequest?: string
  /**
   * Documented response headers that are missing (`Location` on a 201): reported in
   * COVERAGE.md and by the coverage test, but not failing (see README "Conformance").
   */
  warnings: Failure[]
}

/** A served route resolved to its operation in the description. */
export interface OperationRef {
  /** Path key in the description, e.g. `/repos/{owner}/{repo}/contents/{path}`. */
  path: string
  method: string
  operationId: string
  operation: Json
}

/**
 * Emulator templates whose path key in the description differs by more than parameter names
 * (matching ignores parameter names, so `{issue_number}` vs `{number}` needs no entry).
 */
export const PATH_ALIASES: Record<string, string> = {
  // The repository root: `repos/get-content` with an empty `path`.
  '/repos/{owner}/{repo}/contents': '/repos/{owner}/{repo}/contents/{path}',
  '/repos/{owner}/{repo}/contents/': '/repos/{owner}/{repo}/contents/{path}'
}

const SPEC_FILE = join(
  dirname(createRequire(import.meta.url).resolve('@octokit/openapi/package.json')),
  'generated',
  'api.github.com.json'
)

/** Formats the description uses that ajv-formats does not know: accepted as-is. */
const EXTRA_FORMATS = ['repo.nwo', 'timestamp']

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** The description's version, e.g. `@octokit/openapi 23.0.2`. */
export function specVersion(): string {
  const pkg = JSON.parse(readFileSync(join(dirname(SPEC_FILE), '..', 'package.json'), 'utf8')) as {
    version: string
  }
  return `@octokit/openapi ${pkg.version}`
}

/**
 * Rewrites one OpenAPI 3.0 Schema Object (recursively) into JSON Schema for Ajv: `nullable`
 * → `null` in `type` (and in `enum`), or an `anyOf` with `{type: 'null'}` when there is no
 * `type`; `oneOf` → `anyOf` (see below); boolean `exclusiveMinimum/Maximum` → numeric ones;
 * `example`, `discriminator` and `x-*` dropped; `$ref`s into `#/components` point at the
 * document registered under `refBase`.
 */
export function toJsonSchema(node: unknown, refBase: string): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, refBase))
  if (node === null || typeof node !== 'object') return node
  const src = node as Json
  const out: Json = {}
  for (const [key, value] of Object.entries(src)) {
    if (key === 'nullable' || key === 'example' || key === 'discriminator') continue
    if (key.startsWith('x-')) continue
    if (key === '$ref' && typeof value === 'string')
      out.$ref = value.startsWith('#/') ? `${refBase}${value}` : value
    else if (key === 'properties' || key === 'patternProperties')
      out[key] = Object.fromEntries(
        Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v, refBase)])
      )
    else if (['items', 'additionalProperties', 'not', 'allOf', 'anyOf', 'oneOf'].includes(key))
      out[key] = toJsonSchema(value, refBase)
    else out[key] = value
  }
  if (src.exclusiveMinimum === true && typeof src.minimum === 'number') {
    out.exclusiveMinimum = src.minimum
    delete out.minimum
  } else if (typeof src.exclusiveMinimum === 'boolean') delete out.exclusiveMinimum
  if (src.exclusiveMaximum === true && typeof src.maximum === 'number') {
    out.exclusiveMaximum = src.maximum
    delete out.maximum
  } else if (typeof src.exclusiveMaximum === 'boolean') delete out.exclusiveMaximum
  // `oneOf` → `anyOf`: GitHub's alternatives overlap (a 409 `{message, documentation_url,
  // status}` is both a `basic-error` and a `repository-rule-violation-error`), and a
  // `discriminator` names a property GitHub does not always send (`repos/get-content` maps
  // `array` to a bare array). The value must still match at least one alternative.
  if (Array.isArray(out.oneOf)) {
    if (out.anyOf === undefined) out.anyOf = out.oneOf
    else out.allOf = [...((out.allOf as unknown[]) ?? []), { anyOf: out.oneOf }]
    delete out.oneOf
  }
  if (src.nullable !== true) return out
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null']
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    return out
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null']
    return out
  }
  return { anyOf: [out, { type: 'null' }] }
}

const REF_BASE = 'github'

/** The loaded description with its validators; one per process (see `openApi()`). */
export class OpenApi {
  readonly doc: Json
  private readonly ajv: Ajv
  /** Query parameter values are strings: this instance coerces them before checking. */
  private readonly ajvQuery: Ajv
  private readonly byShape = new Map<string, string>()
  private readonly validators = new Map<string, ValidateFunction | null>()

  constructor(doc: Json) {
    this.doc = doc
    const components = doc.components as Json
    this.ajv = new Ajv({ strict: false, allErrors: true, logger: false })
    this.ajvQuery = new Ajv({ strict: false, coerceTypes: 'array', logger: false })
    for (const ajv of [this.ajv, this.ajvQuery]) {
      addFormats(ajv)
      for (const f of EXTRA_FORMATS) ajv.addFormat(f, true)
      const schemas = Object.fromEntries(
        Object.entries(components.schemas as Json).map(([k, v]) => [k, toJsonSchema(v, REF_BASE)])
      )
      ajv.addSchema({ $id: REF_BASE, components: { schemas } }, REF_BASE)
    }
    for (const key of Object.keys(doc.paths as Json))
      this.byShape.set(key.replace(/\{[^}]+\}/g, '{}'), key)
  }

  /** Operation for a served route (`null` when the description has no such operation). */
  operationFor(method: string, template: string): OperationRef | null {
    const paths = this.doc.paths as Record<string, Json>
    const key =
      PATH_ALIASES[template] ??
      (paths[template] ? template : this.byShape.get(template.replace(/\{[^}]+\}/g, '{}')))
    if (!key) return null
    const operation = paths[key]?.[method.toLowerCase()] as Json | undefined
    if (!operation) return null
    return { path: key, method, operationId: String(operation.operationId), operation }
  }

  /** Follows `$ref`s to `#/components/<kind>/<name>` (responses, parameters, request bodies). */
  deref<T = Json>(node: unknown): T {
    let n = node as Json
    for (let i = 0; i < 10 && n && typeof n.$ref === 'string'; i++) {
      const parts = (n.$ref as string).replace(/^#\//, '').split('/')
      n = parts.reduce<Json>(
        (acc, p) => acc[p.replace(/~1/g, '/').replace(/~0/g, '~')] as Json,
        this.doc
      )
    }
    return n as T
  }

  /** Checks one recorded exchange against its operation. */
  check(e: Exchange): Verdict {
    const route = `${e.method} ${e.route}`
    const ref = this.operationFor(e.method, e.route)
    if (!ref)
      return {
        operationId: '(none)',
        warnings: [],
        failures: [
          {
            route,
            operationId: '(none)',
            part: 'operation',
            pointer: '',
            message: 'no operation in the OpenAPI description for this route'
          }
        ]
      }
    const { operationId, operation } = ref
    const fail = (part: string, pointer: string, message: string): Failure => ({
      route,
      operationId,
      part,
      pointer,
      message
    })
    const requestProblems = [...this.checkQuery(ref, e, fail), ...this.checkParams(ref, e, fail)]
    requestProblems.push(...this.checkRequestBody(ref, e, fail))
    const failures: Failure[] = []
    let rejectedInvalidRequest: string | undefined
    if (requestProblems.length > 0) {
      if (e.status >= 400 && e.status < 500)
        rejectedInvalidRequest = requestProblems.map(describe).join('; ')
      else
        failures.push(
          ...requestProblems.map((f) => ({
            ...f,
            message: `${f.message} (accepted with ${e.status})`
          }))
        )
    }
    const responses = operation.responses as Json
    const documented = responses[String(e.status)] ?? responses.default
    if (!documented) {
      failures.push(
        fail(
          'status',
          '',
          `status ${e.status} is not documented (documented: ${Object.keys(responses).join(', ')})`
        )
      )
      return { operationId, failures, rejectedInvalidRequest, warnings: [] }
    }
    failures.push(...this.checkResponseBody(ref, e, fail))
    const warnings = this.checkResponseHeaders(ref, e, fail)
    return { operationId, failures, rejectedInvalidRequest, warnings }
  }

  private checkQuery(
    ref: OperationRef,
    e: Exchange,
    fail: (part: string, pointer: string, message: string) => Failure
  ): Failure[] {
    const declared = this.parameters(ref).filter((p) => p.in === 'query')
    const out: Failure[] = []
    for (const [name, value] of Object.entries(e.query)) {
      const param = declared.find((p) => p.name === name)
      if (!param) {
        out.push(fail('query', `/${name}`, `query parameter "${name}" is not declared`))
        continue
      }
      const v = this.validator(`${ref.operationId} query ${name}`, param.schema, true)
      if (v && !v(coerceHolder(value)))
        out.push(...ajvFailures(v.errors, 'query', `/${name}`, fail))
    }
    for (const p of declared)
      if (p.required && !(p.name in e.query))
        out.push(fail('query', `/${p.name}`, `required query parameter "${p.name}" missing`))
    return out
  }

  private checkParams(
    ref: OperationRef,
    e: Exchange,
    fail: (part: string, pointer: string, message: string) => Failure
  ): Failure[] {
    const declared = this.parameters(ref).filter((p) => p.in === 'path')
    const out: Failure[] = []
    // Our template names may differ from the description's: match by position.
    const ours = [...e.route.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
    const theirs = [...ref.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
    theirs.forEach((name, i) => {
      const value = e.params[ours[i]]
      const param = declared.find((p) => p.name === name)
      if (!param || value === undefined) return
      const v = this.validator(`${ref.operationId} path ${name}`, param.schema, true)
      if (v && !v(coerceHolder(value))) out.push(...ajvFailures(v.errors, 'path', `/${name}`, fail))
    })
    return out
  }

  private checkRequestBody(
    ref: OperationRef,
    e: Exchange,
    fail: (part: string, pointer: string, message: string) => Failure
  ): Failure[] {
    const requestBody = this.deref<Json | undefined>(ref.operation.requestBody)
    if (!requestBody) return []
    const content = requestBody.content as Record<string, Json> | undefined
    const schema = content?.['application/json']?.schema
    if (e.requestBody === undefined)
      return requestBody.required === true && schema
        ? [fail('request body', '', 'required request body missing')]
        : []
    if (!schema) return []
    const v = this.validator(`${ref.operationId} request`, schema, false)
    if (v && !v(e.requestBody)) return ajvFailures(v.errors, 'request body', '', fail)
    return []
  }

  private checkResponseBody(
    ref: OperationRef,
    e: Exchange,
    fail: (part: string, pointer: string, message: string) => Failure
  ): Failure[] {
    const responses = ref.operation.responses as Json
    const key = responses[String(e.status)] ? String(e.status) : 'default'
    const response = this.deref(responses[key])
    const content = response.content as Record<string, Json> | undefined
    const jsonType = content && mediaType(Object.keys(content), e.requestHeaders.accept)
    if (e.status === 204 || e.status === 304 || !jsonType) {
      if (e.responseBody === undefined) return []
      // Some errors are documented by description only (`git/delete-ref` 422); GitHub still
      // sends its error envelope, which must then be a `basic-error`.
      if (e.status >= 400 && e.status !== 304) {
        const v = this.validator('basic-error', { $ref: '#/components/schemas/basic-error' }, false)
        if (v && !v(e.responseBody)) return ajvFailures(v.errors, 'response body', '', fail)
        return []
      }
      return [fail('response body', '', `status ${e.status} is documented without a JSON body`)]
    }
    if (e.responseBody === undefined) {
      // A non-JSON representation the client asked for (`application/vnd.github.raw`).
      if (!/json/.test(e.responseHeaders['content-type'] ?? '')) return []
      return [fail('response body', '', `status ${e.status} is documented with a JSON body`)]
    }
    const schema = content[jsonType].schema
    if (!schema) return []
    const v = this.validator(`${ref.operationId} ${key} ${jsonType}`, schema, false)
    if (v && !v(e.responseBody)) return ajvFailures(v.errors, 'response body', '', fail)
    return []
  }

  /**
   * Documented response headers: `Location` and `X-RateLimit-*` must be sent; `Link` is only
   * sent when there is more than one page, and then every URL must be absolute on the origin
   * the client used (docs/github-behaviour.md §8 item 12: Octokit follows them verbatim).
   */
  private checkResponseHeaders(
    ref: OperationRef,
    e: Exchange,
    fail: (part: string, pointer: string, message: string) => Failure
  ): Failure[] {
    const responses = ref.operation.responses as Json
    const response = this.deref(responses[String(e.status)] ?? responses.default)
    const documented = Object.keys((response.headers as Json | undefined) ?? {})
    const out: Failure[] = []
    for (const name of documented) {
      const value = e.responseHeaders[name.toLowerCase()]
      if (name.toLowerCase() === 'link') {
        if (value === undefined) continue
        const origin = `http://${String(e.requestHeaders.host)}`
        for (const part of value.split(',')) {
          const m = /^\s*<([^>]+)>;\s*rel="(first|prev|next|last)"\s*$/.exec(part)
          if (!m) out.push(fail('response headers', '/link', `malformed link entry ${part.trim()}`))
          else if (!m[1].startsWith(`${origin}/`))
            out.push(fail('response headers', '/link', `${m[1]} is not on ${origin}`))
        }
      } else if (value === undefined)
        out.push(
          fail('response headers', `/${name.toLowerCase()}`, `documented header ${name} missing`)
        )
    }
    return out
  }

  private parameters(ref: OperationRef): Array<{
    name: string
    in: string
    required?: boolean
    schema?: unknown
  }> {
    const item = (this.doc.paths as Record<string, Json>)[ref.path]
    const all = [
      ...((item.parameters as unknown[]) ?? []),
      ...((ref.operation.parameters as unknown[]) ?? [])
    ]
    return all.map((p) => this.deref(p)) as never
  }

  private validator(key: string, schema: unknown, query: boolean): ValidateFunction | null {
    if (schema === undefined) return null
    if (!this.validators.has(key)) {
      const ajv = query ? this.ajvQuery : this.ajv
      const converted = toJsonSchema(schema, REF_BASE)
      const holder = query ? { type: 'object', properties: { value: converted } } : converted
      this.validators.set(key, ajv.compile(holder as Json))
    }
    return this.validators.get(key) ?? null
  }
}

/**
 * The documented media type a response answers: the one the request's `Accept` names
 * (`application/vnd.github.object`), else `application/json`, else the first JSON type.
 */
function mediaType(types: string[], accept: string | string[] | undefined): string | undefined {
  const asked = String(accept ?? '')
    .split(',')
    .map((t) =>
      t
        .split(';')[0]
        .trim()
        .replace(/^application\/vnd\.github\.v3\./, 'application/vnd.github.')
        .replace(/\+json$/, '')
    )
  return (
    types.find((t) => t !== 'application/json' && asked.includes(t)) ??
    types.find((t) => t === 'application/json') ??
    types.find((t) => /json/.test(t))
  )
}

/** Query and path values arrive as strings; Ajv coerces them inside a holder object. */
function coerceHolder(value: string): Json {
  return { value }
}

function ajvFailures(
  errors: ErrorObject[] | null | undefined,
  part: string,
  prefix: string,
  fail: (part: string, pointer: string, message: string) => Failure
): Failure[] {
  return (errors ?? []).map((err) => {
    const pointer = prefix + err.instancePath.replace(/^\/value/, '')
    const extra =
      err.keyword === 'additionalProperties'
        ? ` (${String((err.params as { additionalProperty?: string }).additionalProperty)})`
        : err.keyword === 'enum'
          ? ` (${JSON.stringify((err.params as { allowedValues?: unknown }).allowedValues)})`
          : ''
    return fail(part, pointer, `${err.message ?? err.keyword}${extra} [${err.schemaPath}]`)
  })
}

/** `operationId part pointer: message`, one line. */
export function describe(f: Failure): string {
  return `${f.route} (${f.operationId}) ${f.part} ${f.pointer || '/'}: ${f.message}`
}

let cached: OpenApi | null = null

/** The description, read and prepared once per process (≈ 13 MB of JSON). */
export function openApi(): OpenApi {
  cached ??= new OpenApi(JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json)
  return cached
}
