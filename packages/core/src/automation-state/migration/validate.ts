/** `validate`: every variable against its file; `cleanup` validates the same way. */
import type { Documents } from '../../branch-store/branch-store.js'
import type { LegacyValue, VariableTarget } from '../legacy.js'
import { basicPost, stripDerived } from '../models.js'
import {
  canonical,
  postsPathOf,
  readDocuments,
  validatePaths,
  type MigrationPlan,
  type MigrationRun,
  type Planned
} from './plan.js'

/** Reads the files and compares every valid variable with its file. Reads only. */
export async function validate(run: MigrationRun, plan: MigrationPlan): Promise<void> {
  const docs = await readDocuments(run.store, validatePaths(plan))
  validateAll(plan.ok, docs)
}

/** Compares every valid variable with its file; fills `mismatches`. */
export function validateAll(ok: Planned[], docs: Documents): void {
  for (const p of ok) p.report.mismatches = validateOne(p, docs)
}

function validateOne(p: Planned, docs: Documents): string[] {
  const t = p.target as VariableTarget
  const value = p.value as LegacyValue
  const file = docs[t.path]
  if (file === undefined) return [`${t.path} does not exist`]
  if (!value.ok) return []
  if (value.kind === 'posts') {
    if (!Array.isArray(file)) return [`${t.path} is not an array`]
    const byPosition = new Map<number, Record<string, unknown>>()
    for (const r of file)
      if (r && typeof r === 'object' && typeof (r as { position?: unknown }).position === 'number')
        byPosition.set((r as { position: number }).position, r as Record<string, unknown>)
    const out: string[] = []
    for (const legacy of value.records) {
      const found = byPosition.get(legacy.position)
      if (!found) {
        out.push(`position ${legacy.position}: missing from ${t.path}`)
        continue
      }
      let fileBasic: ReturnType<typeof basicPost>
      try {
        fileBasic = basicPost(found)
      } catch {
        out.push(`position ${legacy.position}: the file's record is not a post record`)
        continue
      }
      const want = basicPost(legacy)
      for (const key of ['photo_id', 'instagram_post_id', 'posted_at'] as const)
        if (want[key] !== fileBasic[key])
          out.push(
            `position ${legacy.position}: ${key} is ${JSON.stringify(fileBasic[key])} in the file, ` +
              `${JSON.stringify(want[key])} in the variable`
          )
    }
    return out
  }
  if (value.kind === 'failed') {
    if (!Array.isArray(file)) return [`${t.path} is not an array`]
    const failedPositions = new Set(file.map((r) => (r as { position?: unknown })?.position))
    const posts = docs[postsPathOf(p)]
    const posted = new Set(
      Array.isArray(posts)
        ? posts
            .filter((r) => (r as { status?: unknown })?.status === 'posted')
            .map((r) => (r as { position?: unknown }).position)
        : []
    )
    // A failed position posted since the migration is superseded, not lost.
    return value.records
      .filter((r) => !failedPositions.has(r.position) && !posted.has(r.position))
      .map((r) => `position ${r.position}: missing from ${t.path}`)
  }
  if (value.kind === 'metadata') {
    if (typeof file !== 'object' || file === null || Array.isArray(file))
      return [`${t.path} is not an object`]
    const out: string[] = []
    for (const [k, v] of Object.entries(stripDerived(value.object)))
      if (canonical((file as Record<string, unknown>)[k]) !== canonical(v))
        out.push(
          `${k} is ${JSON.stringify((file as Record<string, unknown>)[k])} in the file, ${JSON.stringify(v)} in the variable`
        )
    return out
  }
  const expected = value.kind === 'json' ? value.value : value.object
  return canonical(file) === canonical(expected) ? [] : [`${t.path} differs from the variable`]
}
