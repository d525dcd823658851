import { GraphqlFailure } from '../errors.js'

/** GraphQL connections: cursor pagination over a list, as GitHub's connection fields answer. */

/** Largest `first` / `last` GitHub accepts on a connection. */
const CONNECTION_MAX = 100

export interface Connection<T> {
  totalCount: number
  nodes: T[]
  edges: Array<{ cursor: string; node: T }>
  pageInfo: {
    hasNextPage: boolean
    hasPreviousPage: boolean
    startCursor: string | null
    endCursor: string | null
  }
}

/**
 * A page of `items` per GitHub's connection arguments (`first`/`after`, `last`/`before`;
 * cursors are opaque base64 offsets). One of `first`/`last` is required and ≤ 100
 * (`MISSING_PAGINATION_BOUNDARIES` / `EXCESSIVE_PAGINATION` otherwise).
 */
export function connection<T>(
  items: T[],
  args: Record<string, unknown>,
  field: string
): Connection<T> {
  const first = typeof args.first === 'number' ? args.first : undefined
  const last = typeof args.last === 'number' ? args.last : undefined
  if (first === undefined && last === undefined)
    throw new GraphqlFailure(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`
    )
  for (const [name, value] of [
    ['first', first],
    ['last', last]
  ] as const)
    if (value !== undefined && value > CONNECTION_MAX)
      throw new GraphqlFailure(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${CONNECTION_MAX} records.`
      )
  let start = 0
  let end = items.length
  const after = decodeCursor(args.after)
  const before = decodeCursor(args.before)
  if (after !== null) start = Math.min(items.length, after + 1)
  if (before !== null) end = Math.max(start, Math.min(end, before))
  if (first !== undefined) end = Math.min(end, start + Math.max(0, first))
  if (last !== undefined) start = Math.max(start, end - Math.max(0, last))
  const edges = items
    .slice(start, end)
    .map((node, i) => ({ cursor: encodeCursor(start + i), node }))
  return {
    totalCount: items.length,
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null
    }
  }
}

function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index}`).toString('base64')
}

function decodeCursor(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const m = /^cursor:(\d+)$/.exec(Buffer.from(value, 'base64').toString('utf8'))
  return m ? Number(m[1]) : null
}
