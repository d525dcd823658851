import { describe, expect, test } from '@jest/globals'
import type { Exchange } from '../../src/index.js'
import { checkGraphql } from './graphql.js'
import { describe as line, openApi, toJsonSchema } from './openapi.js'

/** The oracle itself: bad exchanges must fail, with the operation and a JSON pointer. */

function exchange(partial: Partial<Exchange>): Exchange {
  return {
    method: 'GET',
    route: '/repos/{owner}/{repo}/labels/{name}',
    params: { owner: 'octo', repo: 'r', name: 'bug' },
    path: '/repos/octo/r/labels/bug',
    status: 200,
    query: {},
    requestHeaders: {},
    requestBody: undefined,
    responseHeaders: {},
    responseBody: undefined,
    ...partial
  }
}

const label = {
  id: 1,
  node_id: 'MDU6TGFiZWwx',
  url: 'http://127.0.0.1/repos/octo/r/labels/bug',
  name: 'bug',
  color: 'd73a4a',
  default: false,
  description: null
}

describe('OpenAPI checks', () => {
  test('toJsonSchema: nullable with and without type, oneOf, refs', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, enum: ['a'] }, 'g')).toEqual({
      type: ['string', 'null'],
      enum: ['a', null]
    })
    expect(
      toJsonSchema({ nullable: true, allOf: [{ $ref: '#/components/schemas/x' }] }, 'g')
    ).toEqual({
      anyOf: [{ allOf: [{ $ref: 'g#/components/schemas/x' }] }, { type: 'null' }]
    })
    expect(toJsonSchema({ oneOf: [{ type: 'string' }], discriminator: {} }, 'g')).toEqual({
      anyOf: [{ type: 'string' }]
    })
    expect(
      toJsonSchema({ type: 'object', properties: { nullable: { type: 'string' } } }, 'g')
    ).toEqual({ type: 'object', properties: { nullable: { type: 'string' } } })
  })

  test('OpenApi.check: a conforming label passes', () => {
    expect(openApi().check(exchange({ responseBody: label })).failures).toEqual([])
  })

  test('OpenApi.check: a missing required field fails with operationId and pointer', () => {
    const { name: _name, ...body } = label
    const [f] = openApi().check(exchange({ responseBody: [body] as never })).failures
    expect(f.operationId).toBe('issues/get-label')
    expect(f.part).toBe('response body')
    expect(
      openApi()
        .check(exchange({ responseBody: body }))
        .failures.map(line)
    ).toEqual([
      "GET /repos/{owner}/{repo}/labels/{name} (issues/get-label) response body /: must have required property 'name' [github#/components/schemas/label/required]"
    ])
  })

  test('OpenApi.check: a wrong type fails at its pointer', () => {
    const failures = openApi().check(exchange({ responseBody: { ...label, id: '1' } })).failures
    expect(failures.map((f) => f.pointer)).toEqual(['/id'])
  })

  test('OpenApi.check: an undocumented status fails', () => {
    const [f] = openApi().check(exchange({ status: 409, responseBody: { message: 'x' } })).failures
    expect(f.part).toBe('status')
  })

  test('OpenApi.check: 204 with a body fails', () => {
    const [f] = openApi().check(
      exchange({ method: 'DELETE', status: 204, responseBody: { message: 'x' } })
    ).failures
    expect(f.message).toBe('status 204 is documented without a JSON body')
  })

  test('OpenApi.check: an invalid request answered 2xx fails, answered 4xx is a note', () => {
    const base = {
      method: 'GET',
      route: '/repos/{owner}/{repo}/issues',
      params: { owner: 'octo', repo: 'r' },
      query: { state: 'sideways' }
    }
    const accepted = openApi().check(exchange({ ...base, responseBody: [] }))
    expect(accepted.failures.map((f) => f.pointer)).toEqual(['/state'])
    const rejected = openApi().check(
      exchange({
        ...base,
        status: 422,
        responseBody: {
          message: 'Validation Failed',
          documentation_url: 'https://docs.github.com/rest'
        }
      })
    )
    expect(rejected.failures).toEqual([])
    expect(rejected.rejectedInvalidRequest).toMatch(/query \/state/)
  })

  test('OpenApi.check: an undeclared query parameter fails', () => {
    const failures = openApi().check(
      exchange({ query: { bogus: '1' }, responseBody: label })
    ).failures
    expect(failures.map((f) => f.message)).toEqual([
      'query parameter "bogus" is not declared (accepted with 200)'
    ])
  })

  test('OpenApi.check: a missing Location is a warning, a Link off the origin a warning', () => {
    const created = openApi().check(
      exchange({
        method: 'POST',
        route: '/repos/{owner}/{repo}/labels',
        status: 201,
        requestBody: { name: 'bug' },
        responseBody: label
      })
    )
    expect(created.failures).toEqual([])
    expect(created.warnings.map((w) => w.message)).toEqual(['documented header Location missing'])
    const listed = openApi().check(
      exchange({
        route: '/repos/{owner}/{repo}/labels',
        requestHeaders: { host: '127.0.0.1:1' },
        responseHeaders: { link: '<https://api.github.com/repos/o/r/labels?page=2>; rel="next"' },
        responseBody: [label]
      })
    )
    expect(listed.warnings.map((w) => w.message)).toEqual([
      'https://api.github.com/repos/o/r/labels?page=2 is not on http://127.0.0.1:1'
    ])
  })

  test('OpenApi.check: a route without an operation fails', () => {
    const [f] = openApi().check(exchange({ route: '/nope' })).failures
    expect(f.part).toBe('operation')
  })
})

describe('GraphQL checks', () => {
  const gql = (query: string, responseBody: unknown, variables?: unknown): Exchange =>
    exchange({
      method: 'POST',
      route: '/graphql',
      params: {},
      requestBody: { query, variables },
      responseBody
    })

  test('checkGraphql: the queried shape passes', async () => {
    expect(
      await checkGraphql(gql('{ viewer { login } }', { data: { viewer: { login: 'octo' } } }))
    ).toEqual([])
  })

  test('checkGraphql: a missing field, a null non-null and a bad enum fail', async () => {
    const missing = await checkGraphql(gql('{ viewer { login } }', { data: { viewer: {} } }))
    expect(missing.map((f) => f.message)).toEqual(['field "login" missing from the response'])
    const nulled = await checkGraphql(gql('{ viewer { login } }', { data: { viewer: null } }))
    expect(nulled.map((f) => f.message)).toEqual([
      'Cannot return null for non-nullable field Query.viewer.'
    ])
    const badEnum = await checkGraphql(
      gql('{ repository(owner: "o", name: "r") { visibility } }', {
        data: { repository: { visibility: 'public' } }
      })
    )
    expect(badEnum).toHaveLength(1)
  })

  test('checkGraphql: an invalid document answered with data fails, with errors only passes', async () => {
    const doc = '{ viewer { noSuchField } }'
    expect(await checkGraphql(gql(doc, { data: { viewer: {} } }))).toHaveLength(1)
    expect(await checkGraphql(gql(doc, { errors: [{ message: 'no such field' }] }))).toEqual([])
  })

  test('checkGraphql: a response without data or errors fails', async () => {
    const [f] = await checkGraphql(gql('{ viewer { login } }', {}))
    expect(f.message).toBe('neither "data" nor "errors"')
  })

  test('checkGraphql: union members are told apart without __typename', async () => {
    const q =
      '{ repository(owner: "o", name: "r") { object(expression: "main:a") { ... on Blob { text } } } }'
    expect(await checkGraphql(gql(q, { data: { repository: { object: { text: 'x' } } } }))).toEqual(
      []
    )
    expect(await checkGraphql(gql(q, { data: { repository: { object: {} } } }))).toEqual([])
  })
})
