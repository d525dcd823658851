/** What every migration command starts from: the run, and each variable's target and value. */
import type { RepoContext } from '../../github/context.js'
import {
  emptyDocuments,
  type BranchStore,
  type Documents
} from '../../branch-store/branch-store.js'
import { VARIABLE_VALUE_MAX_BYTES } from '../constants.js'
import { albumFilePath } from '../layout.js'
import {
  compileMapping,
  readLegacyValue,
  recordCount,
  type LegacyValue,
  type MappingFile,
  type VariableTarget
} from '../legacy.js'
import type { LegacyVariable, RepositoryVariables, VariableSource } from '../variables.js'
import type { MigrationReport, VariableReport } from './report.js'

/** One command's run: where it reads and writes, and the report it fills. */
export interface MigrationRun {
  ctx: RepoContext
  now: Date
  /** `now` as ISO text, the timestamp written into files */
  stamp: string
  dryRun: boolean
  store: BranchStore
  /** the variables API (re-read, delete, recreate) */
  api: RepositoryVariables
  /** where variables are listed from */
  source: VariableSource
  report: MigrationReport
}

/** One variable, where it goes and what it holds. */
export interface Planned {
  variable: LegacyVariable
  report: VariableReport
  target: VariableTarget | null
  value: LegacyValue | null
}

/** The variables listed and planned (every command but `rollback`). */
export interface MigrationPlan {
  variables: LegacyVariable[]
  planned: Planned[]
  /** the readable, mapped ones */
  ok: Planned[]
  /** every file they touch */
  paths: string[]
}

/**
 * Lists the variables and plans each (1 request per page of variables); fills the report's
 * variables. @throws InvalidMappingError for a bad mapping, before anything is read.
 */
export async function planMigration(
  run: MigrationRun,
  mappingOption: string | MappingFile | null | undefined
): Promise<MigrationPlan> {
  const mapping = compileMapping(mappingOption)
  const variables = await run.source.list()
  const planned = variables.map((variable) =>
    planVariable(variable, mapping.target(variable.name), run.now)
  )
  run.report.variables = planned.map((p) => p.report)
  const ok = planned.filter((p) => p.report.status === 'ok')
  return { variables, planned, ok, paths: targetPaths(ok) }
}

function planVariable(variable: LegacyVariable, target: VariableTarget | null, now: Date): Planned {
  const bytes = Buffer.byteLength(variable.value, 'utf8')
  const report: VariableReport = {
    name: variable.name,
    bytes,
    path: target?.path ?? null,
    kind: target?.kind ?? null,
    status: 'unmapped',
    records: 0
  }
  if (bytes > VARIABLE_VALUE_MAX_BYTES)
    report.warning = `${bytes} bytes is over GitHub's ${VARIABLE_VALUE_MAX_BYTES}-byte variable limit`
  if (!target) {
    report.problem = 'no mapping rule matches this name; it is left alone'
    return { variable, report, target, value: null }
  }
  const value = readLegacyValue(variable.name, variable.value, target, now.toISOString())
  if (!value.ok) {
    report.status = value.status
    report.problem = value.problem
  } else {
    report.status = 'ok'
    report.records = recordCount(value)
  }
  return { variable, report, target, value }
}

/** The posts file of a variable's album. */
export function postsPathOf(p: Planned): string {
  const t = p.target as VariableTarget
  return albumFilePath(t.account as string, t.albumId as string, 'posts')
}

/** Every file the valid variables touch (album kinds always touch all three album files). */
function targetPaths(ok: Planned[]): string[] {
  const paths = new Set<string>()
  for (const p of ok) {
    const t = p.target as VariableTarget
    if (t.kind === 'posts' || t.kind === 'failed' || t.kind === 'metadata')
      for (const kind of ['posts', 'failed', 'metadata'] as const)
        paths.add(albumFilePath(t.account as string, t.albumId as string, kind))
    else paths.add(t.path)
  }
  return [...paths]
}

/** The files `validate` and `cleanup` read: the targets, plus the posts of each failed kind. */
export function validatePaths(plan: MigrationPlan): string[] {
  return [
    ...new Set([
      ...plan.paths,
      ...plan.ok.filter((p) => p.target?.kind === 'failed').map((p) => postsPathOf(p))
    ])
  ]
}

/** The documents at `paths` that exist. */
export async function readDocuments(store: BranchStore, paths: string[]): Promise<Documents> {
  const found = await store.getMany(paths)
  const docs = emptyDocuments()
  for (const [path, doc] of found) docs[path] = doc.value
  return docs
}

/** JSON with sorted keys, for equality. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0
          )
        )
      : v
  )
}
