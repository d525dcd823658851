import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromASTUntyped,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode
} from 'graphql'

/**
 * What a GraphQL query costs, by GitHub's published formula (docs/github-behaviour.md §12.5,
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api):
 * every connection (a field whose type is named `…Connection`) needs one request per node of
 * the connections it is nested in, each assumed to return its full `first` / `last`; the
 * requests are added up, divided by 100 and rounded, with a minimum of 1 point. `nodeCount` is
 * the most nodes the query can return (the sum, over connections, of `first` × the nodes of
 * the enclosing connections), GitHub's 500,000-node limit. Mutations cost 1 point here.
 */
export interface QueryCost {
  /** Requests needed to fill every connection. */
  requests: number
  /** Points charged: `max(1, round(requests / 100))`. */
  cost: number
  nodeCount: number
}

/** The cost of `operation` with `variables` (already coerced). */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>
): QueryCost {
  if (operation.operation !== 'query') return { requests: 0, cost: 1, nodeCount: 0 }
  const fragments = new Map<string, FragmentDefinitionNode>()
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d)
  const total = { requests: 0, nodeCount: 0 }
  const root = schema.getQueryType()
  if (root) walk(schema, root, operation.selectionSet, 1, fragments, variables, total)
  return {
    requests: total.requests,
    cost: Math.max(1, Math.round(total.requests / 100)),
    nodeCount: total.nodeCount
  }
}

/**
 * Visits `set` on `type`; `parents` = how many times it is evaluated (the nodes of the
 * enclosing connections). Unknown fields are skipped (validation has already failed them).
 */
function walk(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  set: SelectionSetNode,
  parents: number,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  total: { requests: number; nodeCount: number }
): void {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD || sel.kind === Kind.INLINE_FRAGMENT) {
      const fragment = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel
      if (!fragment) continue
      const on = fragment.typeCondition
        ? (typeFromAST(schema, fragment.typeCondition) as GraphQLCompositeType | undefined)
        : type
      if (on) walk(schema, on, fragment.selectionSet, parents, fragments, variables, total)
      continue
    }
    if (!sel.selectionSet || !(isObjectType(type) || isInterfaceType(type))) continue
    const field = type.getFields()[sel.name.value]
    if (!field) continue
    const named = getNamedType(field.type)
    if (!isCompositeType(named)) continue
    let nodes = parents
    if (named.name.endsWith('Connection')) {
      const args: Record<string, unknown> = {}
      for (const arg of sel.arguments ?? [])
        args[arg.name.value] = valueFromASTUntyped(arg.value, variables)
      const size = Number(args.first ?? args.last ?? 0)
      total.requests += parents
      nodes = parents * (Number.isFinite(size) ? size : 0)
      total.nodeCount += nodes
    }
    walk(schema, named, sel.selectionSet, nodes, fragments, variables, total)
  }
}
