import {
  BREAK,
  coerceInputValue,
  ExecutableDefinitionsRule,
  FieldsOnCorrectTypeRule,
  FragmentsOnCompositeTypesRule,
  getLocation,
  GraphQLError,
  isInputType,
  isNonNullType,
  KnownArgumentNamesRule,
  KnownDirectivesRule,
  KnownFragmentNamesRule,
  KnownTypeNamesRule,
  Kind,
  LoneAnonymousOperationRule,
  NoFragmentCyclesRule,
  NoUndefinedVariablesRule,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  OverlappingFieldsCanBeMergedRule,
  parse,
  PossibleFragmentSpreadsRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  typeFromAST,
  UniqueArgumentNamesRule,
  UniqueDirectivesPerLocationRule,
  UniqueFragmentNamesRule,
  UniqueInputFieldNamesRule,
  UniqueOperationNamesRule,
  UniqueVariableNamesRule,
  validate,
  ValuesOfCorrectTypeRule,
  VariablesAreInputTypesRule,
  VariablesInAllowedPositionRule,
  visit,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SourceLocation,
  type TypeNode,
  type ValidationRule
} from 'graphql'

/**
 * Parsing and static validation of a GraphQL document against GitHub's schema, with the errors
 * in GitHub's (graphql-ruby's) form: `{path, extensions: {code, …}, locations, message}`
 * (docs/github-behaviour.md §2.2, §8 item 9). Messages GitHub is known to send are reproduced
 * (`Field 'x' doesn't exist on type 'Repository'`, `undefinedField`, …); for the other rules
 * the graphql-js message is kept with the graphql-ruby `code` (see README "GraphQL").
 */

/** One entry of the `errors` array of a GraphQL answer, keys in GitHub's order. */
export interface GraphqlErrorEntry {
  type?: string
  path?: Array<string | number>
  extensions?: Record<string, unknown>
  locations?: Array<{ line: number; column: number }>
  message: string
}

/** graphql-ruby's static-validation `code` for each graphql-js rule. */
const RULE_CODES = new Map<ValidationRule, string>([
  [ExecutableDefinitionsRule, 'definitionNotExecutable'],
  [UniqueOperationNamesRule, 'uniquelyNamedOperations'],
  [LoneAnonymousOperationRule, 'anonymousOperationWithOthers'],
  [SingleFieldSubscriptionsRule, 'subscriptionRootFields'],
  [KnownTypeNamesRule, 'undefinedType'],
  [FragmentsOnCompositeTypesRule, 'fragmentOnNonCompositeType'],
  [VariablesAreInputTypesRule, 'variableRequiresValidType'],
  [ScalarLeafsRule, 'selectionMismatch'],
  [FieldsOnCorrectTypeRule, 'undefinedField'],
  [UniqueFragmentNamesRule, 'fragmentNamesNotUnique'],
  [KnownFragmentNamesRule, 'undefinedFragment'],
  [NoUnusedFragmentsRule, 'useAndDefineFragment'],
  [PossibleFragmentSpreadsRule, 'cannotSpreadFragment'],
  [NoFragmentCyclesRule, 'infiniteLoop'],
  [UniqueVariableNamesRule, 'variableNotUnique'],
  [NoUndefinedVariablesRule, 'variableNotDefined'],
  [NoUnusedVariablesRule, 'variableNotUsed'],
  [KnownDirectivesRule, 'undefinedDirective'],
  [UniqueDirectivesPerLocationRule, 'directiveNotUniqueForLocation'],
  [KnownArgumentNamesRule, 'argumentNotAccepted'],
  [UniqueArgumentNamesRule, 'argumentNotUnique'],
  [ValuesOfCorrectTypeRule, 'argumentLiteralsIncompatible'],
  [ProvidedRequiredArgumentsRule, 'missingRequiredArguments'],
  [VariablesInAllowedPositionRule, 'variableMismatch'],
  [OverlappingFieldsCanBeMergedRule, 'fieldConflict'],
  [UniqueInputFieldNamesRule, 'inputFieldNotUnique']
])

/** The outcome of `checkDocument`: a document to execute, or the errors to answer. */
export type CheckedDocument =
  | { ok: true; document: DocumentNode; operation: OperationDefinitionNode }
  | { ok: false; errors: GraphqlErrorEntry[] }

/**
 * Parses `query`, validates it against `schema` with every graphql-js rule, picks the operation
 * (`operationName`) and coerces `variables` against its variable definitions. Never throws for
 * a bad document: the problems come back as GitHub-style error entries, and nothing is run.
 */
export function checkDocument(
  schema: GraphQLSchema,
  query: string,
  operationName: string | undefined,
  variables: Record<string, unknown>
): CheckedDocument {
  const parsed = parseAndValidate(schema, query)
  if (!parsed.ok) return parsed
  const { document } = parsed
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION
  )
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined
  if (!operation)
    return {
      ok: false,
      errors: [
        {
          message: operationName
            ? `No operation named "${operationName}"`
            : 'An operation name is required'
        }
      ]
    }
  const variableErrors = coerceVariables(schema, operation, variables)
  if (variableErrors.length > 0) return { ok: false, errors: variableErrors }
  return { ok: true, document, operation }
}

/** How many distinct documents per schema {@link parseAndValidate} remembers. */
const DOCUMENT_CACHE_SIZE = 256
const documentCache = new WeakMap<
  GraphQLSchema,
  Map<string, { ok: true; document: DocumentNode } | { ok: false; errors: GraphqlErrorEntry[] }>
>()

/**
 * Parses and statically validates `query` against `schema`, remembering the outcome of the last
 * {@link DOCUMENT_CACHE_SIZE} distinct query texts per schema (both depend on nothing else, and
 * clients send the same few documents again and again). Validation runs every graphql-js rule once per rule, so this spares most of a
 * GraphQL request's CPU. The document is shared: `execute` does not change it.
 */
function parseAndValidate(
  schema: GraphQLSchema,
  query: string
): { ok: true; document: DocumentNode } | { ok: false; errors: GraphqlErrorEntry[] } {
  let cache = documentCache.get(schema)
  if (!cache) documentCache.set(schema, (cache = new Map()))
  const hit = cache.get(query)
  if (hit) return hit
  const outcome = parseAndValidateUncached(schema, query)
  if (cache.size >= DOCUMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
  cache.set(query, outcome)
  return outcome
}

function parseAndValidateUncached(
  schema: GraphQLSchema,
  query: string
): { ok: true; document: DocumentNode } | { ok: false; errors: GraphqlErrorEntry[] } {
  let document: DocumentNode
  try {
    document = parse(query)
  } catch (error) {
    const e = error as GraphQLError
    return {
      ok: false,
      errors: [
        {
          extensions: { code: 'parseError' },
          ...(e.locations ? { locations: plainLocations(e.locations) } : {}),
          message: e.message
        }
      ]
    }
  }
  const staticErrors = validateDocument(schema, document)
  if (staticErrors.length > 0) return { ok: false, errors: staticErrors }
  return { ok: true, document }
}

/**
 * Every static-validation error, sorted by position, in GitHub's form. One pass with every rule
 * first: graphql-js visits the document once for all of them, and a document none of them
 * faults is one each of them passes alone. Only a faulty document is walked once per rule, to
 * tell which rule (the error's code) reported what.
 */
function validateDocument(schema: GraphQLSchema, document: DocumentNode): GraphqlErrorEntry[] {
  if (validate(schema, document, specifiedRules).length === 0) return []
  const found: Array<{ entry: GraphqlErrorEntry; at: number }> = []
  for (const rule of specifiedRules) {
    const code = RULE_CODES.get(rule) ?? ruleCode(rule)
    const errors = validate(schema, document, [rule])
    const grouped =
      rule === ProvidedRequiredArgumentsRule ? groupMissingArguments(errors) : errors.map(single)
    for (const { error, names } of grouped) {
      const entry = githubStyle(document, error, code, names)
      found.push({ entry, at: error.nodes?.[0]?.loc?.start ?? 0 })
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.entry)
}

function single(error: GraphQLError): { error: GraphQLError; names: string[] } {
  return { error, names: [] }
}

/** graphql-js reports one error per missing argument; graphql-ruby one per field. */
function groupMissingArguments(errors: readonly GraphQLError[]) {
  const byNode = new Map<ASTNode | undefined, { error: GraphQLError; names: string[] }>()
  for (const error of errors) {
    const node = error.nodes?.[0]
    const name = /argument "([^"]+)"/.exec(error.message)?.[1] ?? '?'
    const group = byNode.get(node)
    if (group) group.names.push(name)
    else byNode.set(node, { error, names: [name] })
  }
  return [...byNode.values()]
}

function ruleCode(rule: ValidationRule): string {
  const name = rule.name.replace(/Rule$/, '')
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** Rewrites one graphql-js validation error into graphql-ruby's message and extensions. */
function githubStyle(
  document: DocumentNode,
  error: GraphQLError,
  code: string,
  names: string[]
): GraphqlErrorEntry {
  const node = error.nodes?.[0]
  const path = node ? nodePath(document, node) : undefined
  let message = error.message
  let extensions: Record<string, unknown> = { code }
  let m: RegExpExecArray | null
  if ((m = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(message))) {
    message = `Field '${m[1]}' doesn't exist on type '${m[2]}'`
    extensions = { code, typeName: m[2], fieldName: m[1] }
  } else if (
    (m = /^Unknown argument "([^"]+)" on (field|directive) "(?:[^."]+\.)?@?([^"]+)"\./.exec(
      message
    ))
  ) {
    const kind = m[2] === 'field' ? 'Field' : 'Directive'
    message = `${kind} '${m[3]}' doesn't accept argument '${m[1]}'`
    extensions = { code, name: m[3], typeName: kind, argumentName: m[1] }
  } else if ((m = /^(Field|Directive) "@?([^"]+)" argument "[^"]+" of type/.exec(message))) {
    message = `${m[1]} '${m[2]}' is missing required arguments: ${names.join(', ')}`
    extensions = { code, className: m[1], name: m[2], arguments: names.join(', ') }
  } else if (
    (m = /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/.exec(message))
  ) {
    const type = m[2].replace(/[[\]!]/g, '')
    message = `Field must have selections (field '${m[1]}' returns ${type} but has no selections. Did you mean '${m[1]} { ... }'?)`
    extensions = { code, nodeName: `field '${m[1]}'`, typeName: type }
  } else if (
    (m = /^Field "([^"]+)" must not have a selection since type "([^"]+)"/.exec(message))
  ) {
    const type = m[2].replace(/[[\]!]/g, '')
    message = `Selections can't be made on scalars (field '${m[1]}' returns ${type} but has selections [${selectionNames(node)}])`
    extensions = { code, nodeName: `field '${m[1]}'`, typeName: type }
  } else if (
    (m = /^Variable "\$([^"]+)" is not defined(?: by operation "([^"]+)")?\./.exec(message))
  ) {
    message = `Variable $${m[1]} is used by ${m[2] ?? 'anonymous query'} but not declared`
    extensions = { code, variableName: m[1] }
  } else if (
    (m = /^Variable "\$([^"]+)" is never used(?: in operation "([^"]+)")?\./.exec(message))
  ) {
    message = `Variable $${m[1]} is declared by ${m[2] ?? 'anonymous query'} but not used`
    extensions = { code, variableName: m[1] }
  } else if ((m = /^Unknown type "([^"]+)"\./.exec(message))) {
    message = `No such type ${m[1]}, so it can't be a fragment condition`
    extensions = { code, typeName: m[1] }
  }
  return {
    ...(path ? { path } : {}),
    extensions,
    ...(error.locations ? { locations: plainLocations(error.locations) } : {}),
    message
  }
}

function selectionNames(node: ASTNode | undefined): string {
  const set =
    node?.kind === Kind.SELECTION_SET ? node : node?.kind === Kind.FIELD ? node.selectionSet : null
  if (!set) return ''
  return set.selections
    .map((s) => (s.kind === Kind.FIELD ? `"${s.name.value}"` : '"..."'))
    .join(', ')
}

function plainLocations(locations: readonly SourceLocation[]) {
  return locations.map(plainLocation)
}

function plainLocation(l: SourceLocation) {
  return { line: l.line, column: l.column }
}

/**
 * graphql-ruby's `path` of a node: the operation (`query`, `mutation Name`), then each field
 * (alias or name), inline fragment (`... on Type`), argument and input-object field down to it.
 */
function nodePath(document: DocumentNode, target: ASTNode): string[] | undefined {
  let found: string[] | undefined
  visit(document, {
    enter(node, _key, parent, _path, ancestors) {
      if (node !== target) return undefined
      // `ancestors` stops above `parent`, which may itself be a node (a field's selection set).
      const chain = [...ancestors, parent, node].filter(
        (a): a is ASTNode => !Array.isArray(a) && typeof a === 'object' && 'kind' in a
      )
      found = chain.map(label).filter((l): l is string => l !== null)
      return BREAK
    }
  })
  return found
}

function label(node: ASTNode): string | null {
  switch (node.kind) {
    case Kind.OPERATION_DEFINITION:
      return node.name ? `${node.operation} ${node.name.value}` : node.operation
    case Kind.FRAGMENT_DEFINITION:
      return `fragment ${node.name.value}`
    case Kind.FIELD:
      return node.alias?.value ?? node.name.value
    case Kind.INLINE_FRAGMENT:
      return node.typeCondition ? `... on ${node.typeCondition.name.value}` : '...'
    case Kind.FRAGMENT_SPREAD:
      return `... ${node.name.value}`
    case Kind.ARGUMENT:
    case Kind.OBJECT_FIELD:
      return node.name.value
    default:
      return null
  }
}

/**
 * graphql-ruby's variable errors: `Variable $input of type CreateCommitOnBranchInput! was
 * provided invalid value for expectedHeadOid (Expected value to not be null)` with
 * `extensions: {value, problems: [{path, explanation}]}` (docs/github-behaviour.md §2.2 client
 * reports quote this form).
 */
function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown>
): GraphqlErrorEntry[] {
  const errors: GraphqlErrorEntry[] = []
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value
    const type = typeFromAST(schema, def.type)
    if (!type || !isInputType(type)) continue // already reported by validation
    const value = inputs[name]
    const problems: Array<{ path: Array<string | number>; explanation: string }> = []
    if (value === undefined || value === null) {
      if (isNonNullType(type) && !(value === undefined && def.defaultValue))
        problems.push({ path: [], explanation: 'Expected value to not be null' })
    } else {
      coerceInputValue(value, type, (path, _invalid, error) => {
        const missing = /^Field "([^"]+)" of required type "[^"]+" was not provided\./.exec(
          error.message
        )
        const unknown = /^Field "([^"]+)" is not defined by type "([^"]+)"/.exec(error.message)
        if (missing)
          problems.push({
            path: [...path, missing[1]],
            explanation: 'Expected value to not be null'
          })
        else if (unknown)
          problems.push({
            path: [...path, unknown[1]],
            explanation: `Field is not defined on ${unknown[2]}`
          })
        else if (/^Expected non-nullable type/.test(error.message))
          problems.push({ path: [...path], explanation: 'Expected value to not be null' })
        else problems.push({ path: [...path], explanation: error.message })
      })
    }
    if (problems.length === 0) continue
    const where = problems
      .filter((p) => p.path.length > 0)
      .map((p) => `${p.path.join('.')} (${p.explanation})`)
    errors.push({
      extensions: { value: value ?? null, problems },
      ...(def.loc
        ? { locations: [plainLocation(getLocation(def.loc.source, def.loc.start))] }
        : {}),
      message:
        `Variable $${name} of type ${typeString(def.type)} was provided invalid value` +
        (where.length ? ` for ${where.join(', ')}` : '')
    })
  }
  return errors
}

function typeString(node: TypeNode): string {
  switch (node.kind) {
    case Kind.NON_NULL_TYPE:
      return `${typeString(node.type)}!`
    case Kind.LIST_TYPE:
      return `[${typeString(node.type)}]`
    default:
      return node.name.value
  }
}
