import { describe, expect, it } from '@jest/globals'
import { failedFields, reactionMutation } from '../../src/objects/marking.js'

describe('reactionMutation', () => {
  it('reactionMutation: one aliased addReaction per mark, in order, node ids as variables', () => {
    const { query, variables } = reactionMutation([
      { nodeId: 'IC_a', content: '+1' },
      { nodeId: 'IC_"b"', content: 'confused' }
    ])
    expect(query).toBe(
      [
        'mutation MarkComments($s0: ID!, $s1: ID!) {',
        '  r0: addReaction(input: {subjectId: $s0, content: THUMBS_UP}) { reaction { content } }',
        '  r1: addReaction(input: {subjectId: $s1, content: CONFUSED}) { reaction { content } }',
        '}'
      ].join('\n')
    )
    expect(variables).toEqual({ s0: 'IC_a', s1: 'IC_"b"' })
  })
})

describe('failedFields', () => {
  const graphqlError = (errors: unknown[], data: unknown = { r0: null }) =>
    Object.assign(new Error('x'), { name: 'GraphqlResponseError', errors, data })

  it('failedFields: an HTTP error or a document-level error means the whole batch', () => {
    expect(
      failedFields(Object.assign(new Error('nf'), { name: 'HttpError', status: 404 }), 3)
    ).toBe('all')
    expect(failedFields(graphqlError([{ message: 'parse error' }], null), 3)).toBe('all')
  })

  it('failedFields: field errors other than NOT_FOUND (a deleted comment) are redone, in order', () => {
    expect(
      failedFields(
        graphqlError([
          { type: 'FORBIDDEN', path: ['r2'] },
          { type: 'NOT_FOUND', path: ['r0'] },
          { type: 'INTERNAL', path: ['r1'] }
        ]),
        3
      )
    ).toEqual([1, 2])
    expect(failedFields(graphqlError([{ type: 'X', path: ['r9'] }]), 3)).toBe('all')
  })
})
