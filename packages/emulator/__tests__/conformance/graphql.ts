import { readFileSync } from 'node:fs'
import {
  buildClientSchema,
  execute,
  getVariableValues,
  isAbstractType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLAbstractType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql'
import type { Exchange } from '../../src/index.js'
import type { Failure } from './openapi.js'

/**
 * `POST /graphql` is not in the REST description: its exchanges are checked against
 * GitHub's GraphQL schema from `@octokit/graphql-schema` (docs/github-behaviour.md §6, §8
 * item 9). Request: the document parses, validates against the schema and its variables
 * coerce to the declared types. Response: a JSON object with `data` and/or `errors`
 * (each error with a string `message`), and `data` has the shape the document asks for:
 * it is re-executed against the schema with the response as the root value, so a missing
 * field, a `null` in a non-null field, a wrong scalar or an unknown enum value fails.
 * A document the schema rejects must be answered with `errors` and no `data`.
 */

/** The route key under which the emulator serves GraphQL. */
export const GRAPHQL_ROUTE = 'POST /graphql'

let loading: Promise<GraphQLSchema> | null = null

/** The schema, built once per process from the package's introspection JSON. */
export function graphqlSchema(): Promise<GraphQLSchema> {
  loading ??= import('@octokit/graphql-schema').then((m) => {
    const json = (
      m as unknown as { schema: { json: { data?: IntrospectionQuery } & IntrospectionQuery } }
    ).schema.json
    return buildClientSchema(json.data ?? json)
  })
  return loading
}

/** The `@octokit/graphql-schema` version (its `exports` hide package.json from `require`). */
export function graphqlSchemaVersion(): string {
  const file = new URL('../../node_modules/@octokit/graphql-schema/package.json', import.meta.url)
  return `@octokit/graphql-schema ${(JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version}`
}

type Json = Record<string, unknown>

/** Checks one `POST /graphql` exchange; `[]` when it conforms. */
export async function checkGraphql(e: Exchange): Promise<Failure[]> {
  const schema = await graphqlSchema()
  const failures: Failure[] = []
  const fail = (part: string, pointer: string, message: string) =>
    failures.push({ route: GRAPHQL_ROUTE, operationId: 'graphql', part, pointer, message })
  const response = e.responseBody as Json | undefined
  if (e.status !== 200) {
    // Authentication and rate-limit answers are REST-style errors.
    if (!response || typeof response.message !== 'string')
      fail('response body', '', `status ${e.status} without a {message} error body`)
    return failures
  }
  if (!response || typeof response !== 'object' || Array.isArray(response)) {
    fail('response body', '', 'not a JSON object')
    return failures
  }
  if (!('data' in response) && !('errors' in response))
    fail('response body', '', 'neither "data" nor "errors"')
  if ('errors' in response) {
    const errors = response.errors
    if (!Array.isArray(errors) || errors.length === 0)
      fail('response body', '/errors', 'must be a non-empty array')
    else
      errors.forEach((err: unknown, i) => {
        if (typeof (err as Json)?.message !== 'string')
          fail('response body', `/errors/${i}/message`, 'must be a string')
      })
  }
  const request = e.requestBody as Json | undefined
  const rejected = () =>
    'errors' in response && (response.data === undefined || response.data === null)
  if (!request || typeof request.query !== 'string') {
    if (!rejected()) fail('request body', '/query', 'no GraphQL document, yet no errors')
    return failures
  }
  let document: DocumentNode
  try {
    document = parse(request.query)
  } catch (error) {
    if (!rejected()) fail('request body', '/query', `${(error as Error).message} (accepted)`)
    return failures
  }
  const invalid = validate(schema, document).map((err) => err.message)
  const operation = pickOperation(document, request.operationName)
  if (!operation) invalid.push('no operation to run')
  else {
    const coerced = getVariableValues(
      schema,
      operation.variableDefinitions ?? [],
      (request.variables as Json | undefined) ?? {}
    )
    if (coerced.errors) invalid.push(...coerced.errors.map((err) => err.message))
  }
  if (invalid.length > 0) {
    if (!rejected())
      for (const message of invalid) fail('request body', '/query', `${message} (accepted)`)
    return failures
  }
  if (response.data === null || response.data === undefined) {
    if (!('errors' in response)) fail('response body', '/data', 'null data without errors')
    return failures
  }
  const result = await execute({
    schema,
    document,
    rootValue: response.data,
    variableValues: (request.variables as Json | undefined) ?? {},
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    fieldResolver: (source: unknown, _args, _ctx, info) => {
      const key = info.path.key as string
      const obj = source as Json
      if (obj === null || typeof obj !== 'object' || !(key in obj))
        throw new Error(`field "${key}" missing from the response`)
      return obj[key]
    },
    typeResolver: (value, _ctx, info, abstractType) => resolveType(value, info, abstractType)
  })
  for (const err of result.errors ?? []) {
    // A field GitHub nulled with a reported error is fine when the error names its path.
    const path = err.path?.join('/') ?? ''
    const reported = Array.isArray(response.errors)
      ? (response.errors as Json[]).some(
          (r) => Array.isArray(r.path) && (r.path as unknown[]).join('/') === path
        )
      : false
    if (!reported) fail('response body', `/data/${path}`, err.message)
  }
  return failures
}

function pickOperation(
  document: DocumentNode,
  operationName: unknown
): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION
  )
  if (typeof operationName === 'string') return ops.find((o) => o.name?.value === operationName)
  return ops.length === 1 ? ops[0] : undefined
}

/**
 * The concrete type of an interface/union value: its `__typename` when the document asked
 * for it, else the possible type whose selected response keys match the value's keys.
 */
function resolveType(
  value: unknown,
  info: GraphQLResolveInfo,
  abstractType: GraphQLAbstractType
): string | undefined {
  const obj = value as Json
  if (typeof obj?.__typename === 'string') return obj.__typename
  const candidates = info.schema.getPossibleTypes(abstractType)
  if (candidates.length === 1) return candidates[0].name
  const keys = Object.keys(obj ?? {})
  const scored = candidates.map((type) => {
    const selected = new Set<string>()
    for (const node of info.fieldNodes)
      if (node.selectionSet) collectKeys(node.selectionSet, type, info, selected)
    const fits = keys.every((k) => selected.has(k))
    const exact = fits && selected.size === keys.length
    return { type, fits, exact }
  })
  return (scored.find((s) => s.exact) ?? scored.find((s) => s.fits))?.type.name
}

function collectKeys(
  set: SelectionSetNode,
  type: GraphQLObjectType,
  info: GraphQLResolveInfo,
  into: Set<string>
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) into.add(sel.alias?.value ?? sel.name.value)
    else {
      const fragment: FragmentDefinitionNode | typeof sel =
        sel.kind === Kind.FRAGMENT_SPREAD ? info.fragments[sel.name.value] : sel
      if (!fragment) continue
      const condition = fragment.typeCondition?.name.value
      if (condition && !appliesTo(condition, type, info)) continue
      collectKeys(fragment.selectionSet, type, info, into)
    }
  }
}

function appliesTo(condition: string, type: GraphQLObjectType, info: GraphQLResolveInfo): boolean {
  if (condition === type.name) return true
  const conditionType = info.schema.getType(condition)
  return (
    conditionType !== undefined &&
    conditionType !== null &&
    isAbstractType(conditionType) &&
    info.schema.isSubType(conditionType, type)
  )
}
