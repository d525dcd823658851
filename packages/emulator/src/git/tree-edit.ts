import { GitObjectNotFound, GitPathNotFound } from './errors.js'
import { entryType, hashObject, type TreeEntry } from './objects.js'

/** The SHA of the empty tree. */
export const EMPTY_TREE_SHA = hashObject('tree', Buffer.alloc(0))

/** One change of `editTree`: set `path` to an object, or delete it (`sha: null`). */
export interface TreeEdit {
  path: string
  /** `100644` (default for blobs), `100755`, `120000`, `040000`/`40000`, `160000`. */
  mode?: string
  sha: string | null
}

/** How `editTree` reads and writes trees of one repository. */
export interface TreeIo {
  readTree(sha: string): Promise<readonly TreeEntry[] | null>
  writeTree(entries: TreeEntry[]): Promise<string>
}

type SplitEdit = TreeEdit & { parts: string[] }

/**
 * Applies `edits` to tree `base` (`null` = start empty) and writes the result: nested paths
 * create subtrees, `sha: null` deletes (throws `GitPathNotFound` when the path is absent),
 * directories left empty disappear. Returns the new root tree SHA.
 */
export async function editTree(
  io: TreeIo,
  base: string | null,
  edits: TreeEdit[]
): Promise<string> {
  const clean = edits.map((e) => ({ ...e, parts: e.path.split('/').filter((p) => p !== '') }))
  for (const e of clean) if (e.parts.length === 0) throw new GitPathNotFound(e.path)
  return applyEdits(io, base, clean, '')
}

async function applyEdits(
  io: TreeIo,
  base: string | null,
  edits: SplitEdit[],
  prefix: string
): Promise<string> {
  const entries = new Map<string, TreeEntry>()
  if (base) {
    const tree = await io.readTree(base)
    if (!tree) throw new GitObjectNotFound(base)
    for (const e of tree) entries.set(e.name, e)
  }
  const nested = new Map<string, SplitEdit[]>()
  for (const e of edits) {
    const [first, ...rest] = e.parts
    if (rest.length === 0) {
      if (e.sha === null) {
        if (!entries.delete(first)) throw new GitPathNotFound(prefix + first)
      } else entries.set(first, { name: first, mode: normaliseMode(e.mode), sha: e.sha })
    } else {
      const list = nested.get(first) ?? []
      list.push({ ...e, parts: rest })
      nested.set(first, list)
    }
  }
  for (const [name, list] of nested) {
    const existing = entries.get(name)
    const subBase = existing && entryType(existing.mode) === 'tree' ? existing.sha : null
    if (!subBase && list.every((e) => e.sha === null))
      throw new GitPathNotFound(prefix + name + '/' + list[0].parts.join('/'))
    const sub = await applyEdits(io, subBase, list, `${prefix}${name}/`)
    if (sub === EMPTY_TREE_SHA) entries.delete(name)
    else entries.set(name, { name, mode: '40000', sha: sub })
  }
  return io.writeTree([...entries.values()])
}

function normaliseMode(mode: string | undefined): string {
  if (!mode) return '100644'
  return mode === '040000' ? '40000' : mode
}
