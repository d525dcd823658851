import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql'

/**
 * GitHub's public GraphQL schema, built once per process from the introspection JSON that
 * `@octokit/graphql-schema` ships (docs/github-behaviour.md §2.2 cites that package as the
 * schema of record). `buildClientSchema` is used rather than `buildSchema` on the SDL, which
 * would need `assumeValidSDL`. The schema is immutable, so every emulator instance in the
 * process shares it.
 */

/** How long the first load took, milliseconds. */
export interface SchemaLoadStats {
  /** Reading and parsing the 4.9 MB `schema.json` (introspection result). */
  readMs: number
  /** `buildClientSchema` over the parsed JSON. */
  buildMs: number
}

let loading: Promise<GraphQLSchema> | null = null
let stats: SchemaLoadStats | null = null

/**
 * The schema, loaded on first use (about 0.2 s on an idle machine: see `schemaLoadStats`) and
 * cached for the process. Rejects only if the package is missing or its JSON is not an
 * introspection result.
 */
export function githubSchema(): Promise<GraphQLSchema> {
  loading ??= load().catch((error: unknown) => {
    loading = null
    throw error
  })
  return loading
}

/** Timings of the first load, or `null` while it has not finished. */
export function schemaLoadStats(): SchemaLoadStats | null {
  return stats
}

type IntrospectionJson = { data?: IntrospectionQuery } & Partial<IntrospectionQuery>

async function load(): Promise<GraphQLSchema> {
  const t0 = performance.now()
  const json = await readIntrospection()
  const t1 = performance.now()
  // GitHub's published schema is valid (its own servers run it), so graphql-js's one-off
  // validation of the whole schema on the first request is skipped: `assumeValid` of
  // `GraphQLSchemaValidationOptions`, https://github.com/graphql/graphql-js/blob/16.x.x/src/type/schema.ts
  // (tens to hundreds of ms per process).
  const built = buildClientSchema((json.data ?? json) as IntrospectionQuery, { assumeValid: true })
  const t2 = performance.now()
  stats = { readMs: Math.round(t1 - t0), buildMs: Math.round(t2 - t1) }
  return built
}

/**
 * The package's `schema.json`, read directly: importing the package would parse it twice and
 * build a schema of its own for its `validate` export. Its `exports` expose only the ESM entry,
 * so the file is found beside that entry (`import.meta.resolve`) or, where that is missing
 * (Jest's VM modules), in the nearest `node_modules` up from here; the import is the last resort.
 */
async function readIntrospection(): Promise<IntrospectionJson> {
  const file = schemaJsonFile()
  if (file) return JSON.parse(await readFile(file, 'utf8')) as IntrospectionJson
  const { schema } = (await import('@octokit/graphql-schema')) as {
    schema: { json: IntrospectionJson }
  }
  return schema.json
}

function schemaJsonFile(): string | null {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve
  if (typeof resolve === 'function')
    try {
      const file = fileURLToPath(new URL('./schema.json', resolve(SCHEMA_PACKAGE)))
      if (existsSync(file)) return file
    } catch {
      // fall through to the directory walk
    }
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const file = join(dir, 'node_modules', SCHEMA_PACKAGE, 'schema.json')
    if (existsSync(file)) return file
    const parent = dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

const SCHEMA_PACKAGE = '@octokit/graphql-schema'
