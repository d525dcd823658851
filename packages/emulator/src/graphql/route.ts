import { randomBytes } from 'node:crypto'
import { execute, GraphQLError } from 'graphql'
import { fields } from '../decode.js'
import { GraphqlFailure, GraphqlRateLimited, GraphqlRequiresAuthentication } from '../errors.js'
import { rateBucket, type RateStatus } from '../rate-limit.js'
import type { Route, RouteRequest, RouteResult } from '../router.js'
import { fieldResolver, typeResolver, UnsupportedField, type GraphqlContext } from './resolvers.js'
import { githubSchema } from './schema.js'
import { queryCost } from './cost.js'
import { checkDocument, type GraphqlErrorEntry } from './validate.js'

/**
 * `POST /graphql` (docs/github-behaviour.md §2.2–2.4, §5.1–5.4, §8 items 1 and 9): the body
 * `{query, variables?, operationName?}` Octokit's `graphql` sends to `${baseUrl}/graphql`.
 *
 * - No token → 401 `This endpoint requires you to be authenticated.`; an unknown token → 401
 *   `Bad credentials` (the server's authentication, as for REST).
 * - Rate limit: its own per-token bucket (`x-ratelimit-resource: graphql`), 1 point per
 *   request; an exhausted bucket answers HTTP 200 with a `RATE_LIMITED` error (§5.3).
 * - A document that does not parse or validate against GitHub's schema, or whose variables
 *   do not coerce, answers HTTP 200 `{errors}` and runs nothing.
 * - Otherwise HTTP 200 `{data, errors?}`; mutations run in document order.
 */
export const graphqlRoutes: Route[] = [
  {
    method: 'POST',
    template: '/graphql',
    // Charged against the caller's `graphql` bucket inside the handler, not `core`.
    rateLimited: false,
    handler: handleGraphql
  }
]

/** Points charged before the query is read (GitHub's minimum per query or mutation, §5.1). */
const REQUEST_COST = 1

function rateHeaders(rate: RateStatus): Record<string, string> {
  return {
    'x-ratelimit-limit': String(rate.limit),
    'x-ratelimit-remaining': String(rate.remaining),
    'x-ratelimit-reset': String(rate.reset),
    'x-ratelimit-resource': 'graphql',
    'x-ratelimit-used': String(rate.used)
  }
}

async function handleGraphql(req: RouteRequest): Promise<RouteResult> {
  const { ctx, caller } = req
  if (!caller) throw new GraphqlRequiresAuthentication()
  const { key, limit } = rateBucket(caller, 'graphql')
  const spent = ctx.rate.consume(key, limit)
  if (!spent) {
    const limited = new GraphqlRateLimited(caller.user.id)
    return {
      status: 200,
      headers: rateHeaders(ctx.rate.status(key, limit)),
      body: { errors: [{ type: limited.type, message: limited.message }] }
    }
  }
  const headers = rateHeaders(spent)
  const body = fields(req.body)
  if (typeof body.query !== 'string' || body.query.trim() === '')
    return {
      status: 200,
      headers,
      body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }
    }
  const variables = variablesOf(body.variables)
  if (variables === null)
    return {
      status: 200,
      headers,
      body: { errors: [{ message: 'Variables are invalid JSON.' }] }
    }
  const operationName =
    typeof body.operationName === 'string' && body.operationName !== ''
      ? body.operationName
      : undefined
  const schema = await githubSchema()
  const checked = checkDocument(schema, body.query, operationName, variables)
  if (!checked.ok) return { status: 200, headers, body: { errors: checked.errors } }
  // GitHub's formula (§12.5): the request was charged REQUEST_COST above, the rest now
  const { cost, nodeCount } = queryCost(schema, checked.document, checked.operation, variables)
  let rate = spent
  if (cost > REQUEST_COST) {
    const more = ctx.rate.consume(key, limit, cost - REQUEST_COST)
    if (!more) {
      const limited = new GraphqlRateLimited(caller.user.id)
      return {
        status: 200,
        headers: rateHeaders(ctx.rate.status(key, limit)),
        body: { errors: [{ type: limited.type, message: limited.message }] }
      }
    }
    rate = more
  }
  Object.assign(headers, rateHeaders(rate))
  const contextValue: GraphqlContext = {
    ctx,
    caller,
    origin: req.shapes.origin,
    rate,
    cost,
    nodeCount
  }
  const result = await execute({
    schema,
    document: checked.document,
    rootValue: {},
    contextValue,
    variableValues: variables,
    operationName: checked.operation.name?.value,
    fieldResolver,
    typeResolver
  })
  const errors = (result.errors ?? []).map(formatExecutionError)
  return {
    status: 200,
    headers,
    body: errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null }
  }
}

/** `variables` as an object; `{}` when absent; `null` when it is not an object (or JSON of one). */
function variablesOf(value: unknown): Record<string, unknown> | null {
  if (value === undefined || value === null || value === '') return {}
  let parsed: unknown = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown
    } catch {
      return null
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : null
}

/**
 * An execution error in GitHub's form: `{type, path, locations, message}` for the errors the
 * resolvers throw (`STALE_DATA`, `NOT_FOUND`, `FORBIDDEN`, `UNPROCESSABLE`, …); graphql-js's
 * own errors (e.g. a `null` in a non-null field) keep their message; anything unexpected is
 * logged and answered with GitHub's "Something went wrong" text.
 */
function formatExecutionError(error: GraphQLError): GraphqlErrorEntry {
  const original = error.originalError
  const path = error.path ? [...error.path] : undefined
  const locations = error.locations?.map((l) => ({ line: l.line, column: l.column }))
  const where = { ...(path ? { path } : {}), ...(locations ? { locations } : {}) }
  if (original instanceof GraphqlFailure)
    return { type: original.type, ...where, message: original.message }
  if (original instanceof UnsupportedField)
    return {
      ...(path ? { path } : {}),
      extensions: {
        code: 'emulatorUnsupportedField',
        typeName: original.typeName,
        fieldName: original.fieldName
      },
      ...(locations ? { locations } : {}),
      message: original.message
    }
  if (!original || original instanceof GraphQLError) return { ...where, message: error.message }
  console.error('[hubstore emulator] GraphQL resolver failed', original)
  const id = randomBytes(8).toString('hex').toUpperCase()
  return {
    ...where,
    message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${id.slice(0, 4)}:${id.slice(4)}\` when reporting this issue.`
  }
}
