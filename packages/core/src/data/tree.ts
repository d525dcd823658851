/**
 * Chunk trees (docs/persist-data.md §8.2): a file's chunk list as a Merkle tree of nodes with
 * content-defined boundaries, so a backup downloads only the nodes on the way to what changed.
 * Here: the tree of the local chunks (content only), the descent into the previous backup's tree
 * that finds what can be reused, the new nodes to commit, and the reading of a whole tree
 * (restore, prune). The node format itself is `tree-node.ts`.
 */
import { InvalidDataManifestError } from '../errors/data.js'
import { InvalidOptionsError } from '../errors/github.js'
import type { DataBranch } from './branch.js'
import {
  DATA_FORMAT,
  fileEntry,
  nodePath,
  type ChunkRef,
  type FileEntry,
  type Manifest,
  type ManifestV1,
  type PackRef,
  type TreeRef
} from './manifest.js'
import {
  encodeNode,
  innerDigest,
  leafDigest,
  leafNode,
  NODE_FORMAT,
  parseNode,
  type ReadLeaf,
  type ReadNode,
  type TreeNode
} from './tree-node.js'

/**
 * How nodes are cut: a node ends after an entry whose key (chunk id, child digest) taken as a
 * number is divisible by `fanout`, once it has `minEntries`, and at `maxEntries` in any case.
 * Nodes hold about `minEntries + fanout` entries.
 */
export interface TreeShape {
  fanout: number
  minEntries: number
  maxEntries: number
}

/**
 * Default shape: ~40 entries a node, at most 128 (a leaf ≤ ~14 KiB, an inner node ≤ ~23 KiB),
 * so ten scattered changes read ≤ 10 leaves + 10 nodes per level (docs/persist-data.md §8.2).
 */
export const TREE_SHAPE: TreeShape = { fanout: 32, minEntries: 8, maxEntries: 128 }

/**
 * The shape `given` asks for, over the defaults.
 *
 * @throws InvalidOptionsError unless 2 ≤ fanout, 1 ≤ minEntries < maxEntries, maxEntries ≥ 2.
 */
export function resolveTreeShape(given: Partial<TreeShape> = {}): TreeShape {
  const shape = { ...TREE_SHAPE, ...given }
  const whole = (v: number, min: number) => Number.isSafeInteger(v) && v >= min
  if (!whole(shape.fanout, 2))
    throw new InvalidOptionsError('tree.fanout', 'a whole number ≥ 2', shape.fanout)
  if (!whole(shape.minEntries, 1))
    throw new InvalidOptionsError('tree.minEntries', 'a whole number ≥ 1', shape.minEntries)
  if (!whole(shape.maxEntries, 2) || shape.maxEntries <= shape.minEntries)
    throw new InvalidOptionsError(
      'tree.maxEntries',
      'a whole number > minEntries',
      shape.maxEntries
    )
  return shape
}

/** A node of the local tree: content only (no pack location yet). */
export interface LocalNode {
  height: number
  digest: string
  chunks: number
  bytes: number
  /** offset of its first byte in the file */
  start: number
  /** height 0: the chunks */
  leaf?: Array<{ id: string; size: number }>
  /** height > 0: the children */
  children?: LocalNode[]
}

/** Cuts `entries` into groups by the shape's content-defined rule (key: hex). */
function groups<T>(entries: readonly T[], key: (e: T) => string, shape: TreeShape): T[][] {
  const out: T[][] = []
  let open: T[] = []
  for (const e of entries) {
    open.push(e)
    const cut =
      open.length >= shape.maxEntries ||
      (open.length >= shape.minEntries && parseInt(key(e).slice(0, 8), 16) % shape.fanout === 0)
    if (cut) {
      out.push(open)
      open = []
    }
  }
  if (open.length > 0) out.push(open)
  return out
}

/** The tree of a file's chunks, computed locally (no request); `null` for no chunk. */
export function contentTree(
  chunks: ReadonlyArray<{ id: string; size: number }>,
  shape: TreeShape = TREE_SHAPE
): LocalNode | null {
  if (chunks.length === 0) return null
  let start = 0
  let level: LocalNode[] = groups(chunks, (c) => c.id, shape).map((leaf) => {
    const bytes = leaf.reduce((n, c) => n + c.size, 0)
    const node = { height: 0, digest: leafDigest(leaf), chunks: leaf.length, bytes, start, leaf }
    start += bytes
    return node
  })
  for (let height = 1; level.length > 1; height++)
    level = groups(level, (n) => n.digest, shape).map((children) => ({
      height,
      digest: innerDigest(height, children),
      chunks: children.reduce((n, c) => n + c.chunks, 0),
      bytes: children.reduce((n, c) => n + c.bytes, 0),
      start: children[0].start,
      children
    }))
  return level[0]
}

function* walk(node: LocalNode): Generator<LocalNode> {
  yield node
  for (const c of node.children ?? []) yield* walk(c)
}

/** Reads and checks nodes at one commit of the data branch; each address read once. */
export class NodeReader {
  /** bytes of node text read */
  readBytes = 0
  /** nodes read */
  reads = 0
  constructor(
    readonly branch: DataBranch,
    readonly commitSha: string,
    private readonly texts: Map<string, Promise<string>> = new Map()
  ) {}

  /**
   * The nodes `refs` name, in order, each checked against its reference and height
   * (`parseNode`). The addresses not read before are read together: 1 GraphQL query per 100
   * (`BranchGit.readFilesAt`), so a restore of thousands of nodes costs tens of requests, not
   * thousands (`GITHUB_TOKEN` has 1,000 REST requests an hour per repository,
   * docs/github-behaviour.md §5.1).
   *
   * @throws InvalidDataManifestError when one is missing or fails a check.
   */
  async readAll(refs: ReadonlyArray<{ ref: TreeRef; height?: number }>): Promise<ReadNode[]> {
    const wanted = [...new Set(refs.map((r) => r.ref.node))].filter((a) => !this.texts.has(a))
    if (wanted.length > 0) {
      const batch = this.branch.git.readFilesAt(this.commitSha, wanted.map(nodePath))
      for (const address of wanted) {
        const text = batch.then((files) => {
          const text = files.get(nodePath(address))
          if (text === undefined)
            throw new InvalidDataManifestError(
              `${nodePath(address)}@${this.commitSha}`,
              '',
              'is missing'
            )
          this.readBytes += Buffer.byteLength(text)
          this.reads++
          return text
        })
        text.catch(() => undefined) // awaited below (or by a later read); never unhandled
        this.texts.set(address, text)
      }
    }
    const out: ReadNode[] = []
    for (const { ref, height } of refs)
      out.push(parseNode(await (this.texts.get(ref.node) as Promise<string>), ref, height))
    return out
  }

  /**
   * Every node of the trees under `roots`, all trees level by level together (one batch of
   * reads a level, whatever the number of files), each node checked against its parent (so
   * heights fall by one per level, and the counts add up). Calls `onLeaf` with each leaf and the
   * index of its root, each tree's leaves in file order (a node referenced twice is visited
   * twice). With `seen` (a prune walking trees that share subtrees): a node already in it is
   * skipped, each visited one added. Heights fall by one per level, so a walk ends. Requests:
   * 1 GraphQL query per level and 100 nodes not read before.
   */
  async walkTrees(
    roots: readonly TreeRef[],
    onLeaf?: (leaf: ReadLeaf, root: number) => void,
    seen?: Set<string>
  ): Promise<void> {
    type Item = { ref: TreeRef; height?: number; root: number }
    const fresh = (ref: TreeRef) => {
      if (seen?.has(ref.node)) return false
      seen?.add(ref.node)
      return true
    }
    let level: Item[] = roots.flatMap((ref, root) => (fresh(ref) ? [{ ref, root }] : []))
    while (level.length > 0) {
      const nodes = await this.readAll(level)
      const next: Item[] = []
      for (const [i, node] of nodes.entries())
        if (node.kind === 'leaf') onLeaf?.(node, level[i].root)
        else
          for (const child of node.children)
            if (fresh(child))
              next.push({ ref: child, height: node.height - 1, root: level[i].root })
      level = next
    }
  }
}

/** What a backup may reuse of the previous backup's trees. */
export interface Reusable {
  /** subtrees by content digest: a local node with one of these digests is not written again */
  refs: Map<string, TreeRef>
  /** chunk locations of the leaves read */
  chunks: Map<string, ChunkRef>
  packs: Map<string, PackRef>
}

/** Sorted, merged byte ranges of the local leaves no known subtree covers. */
function uncovered(local: LocalNode, refs: ReadonlyMap<string, TreeRef>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const visit = (n: LocalNode) => {
    if (refs.has(n.digest)) return
    if (n.height === 0) {
      const last = out.at(-1)
      if (last && last[1] >= n.start) last[1] = Math.max(last[1], n.start + n.bytes)
      else out.push([n.start, n.start + n.bytes])
    } else for (const c of n.children ?? []) visit(c)
  }
  visit(local)
  return out
}

const overlaps = (ranges: Array<[number, number]>, start: number, end: number): boolean => {
  let lo = 0
  let hi = ranges.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (ranges[mid][1] <= start) lo = mid + 1
    else hi = mid
  }
  return lo < ranges.length && ranges[lo][0] < end
}

/**
 * Descends each file's previous tree `old` against its local tree `local`, adding to `into`
 * what the new trees can reuse: starting at the roots, a node is read only when its digest has
 * no equal in its file's local tree and its byte range overlaps a local leaf that nothing read
 * so far covers; the children of every node read become reusable subtrees, the chunks of every
 * leaf read reusable locations. All files go down together, one batch of reads a level. An
 * in-place change reads one path from the root to each changed leaf; a chunk that moved
 * further than its old leaf's byte range is not found (and is packed again). Requests: 1
 * GraphQL query per level and 100 nodes read.
 */
export async function findReusable(
  reader: NodeReader,
  pairs: ReadonlyArray<{ old: TreeRef; local: LocalNode }>,
  into: Reusable
): Promise<void> {
  type Item = { ref: TreeRef; height?: number; start: number; pair: number }
  const localDigests = pairs.map(({ local }) => new Set([...walk(local)].map((n) => n.digest)))
  let level: Item[] = []
  for (const [pair, { old }] of pairs.entries()) {
    into.refs.set(old.digest, old)
    if (!localDigests[pair].has(old.digest)) level.push({ ref: old, start: 0, pair })
  }
  while (level.length > 0) {
    const nodes = await reader.readAll(level)
    const children: Item[] = []
    for (const [i, node] of nodes.entries()) {
      if (node.kind === 'leaf') {
        for (const p of node.packs) into.packs.set(p.oid, p)
        for (const c of node.chunks) if (!into.chunks.has(c.id)) into.chunks.set(c.id, c)
        continue
      }
      const { pair } = level[i]
      let start = level[i].start
      for (const child of node.children) {
        into.refs.set(child.digest, child)
        if (!localDigests[pair].has(child.digest))
          children.push({ ref: child, height: node.height - 1, start, pair })
        start += child.bytes
      }
    }
    const open = new Map<number, Array<[number, number]>>()
    const openOf = (pair: number) => {
      let ranges = open.get(pair)
      if (!ranges) open.set(pair, (ranges = uncovered(pairs[pair].local, into.refs)))
      return ranges
    }
    level = children.filter((c) => overlaps(openOf(c.pair), c.start, c.start + c.ref.bytes))
  }
}

/**
 * Ids of the chunks in `local`'s leaves that no subtree of `refs` covers: the only chunks a
 * backup may have to pack (the others are stored where the reused subtrees say). No request.
 */
export function uncoveredChunks(local: LocalNode, refs: ReadonlyMap<string, TreeRef>): Set<string> {
  const out = new Set<string>()
  const visit = (n: LocalNode) => {
    if (refs.has(n.digest)) return
    for (const c of n.leaf ?? []) out.add(c.id)
    for (const c of n.children ?? []) visit(c)
  }
  visit(local)
  return out
}

/**
 * The reference of `local` in the new tree: a reused subtree when its digest is known, else a
 * new node (its bytes put in `out` by path) over the children's references or, for a leaf, the
 * chunks' locations (every chunk must be in `chunks` by now). No request.
 */
export function sealTree(local: LocalNode, reusable: Reusable, out: Map<string, Buffer>): TreeRef {
  const known = reusable.refs.get(local.digest)
  if (known) return known
  const located = (id: string): ChunkRef => {
    const at = reusable.chunks.get(id)
    if (!at) throw new Error(`chunk ${id} has no location (a bug: it should have been packed)`)
    return at
  }
  const node: TreeNode =
    local.height === 0
      ? leafNode(
          (local.leaf ?? []).map((c) => located(c.id)),
          reusable.packs
        )
      : {
          format: NODE_FORMAT,
          height: local.height,
          children: (local.children ?? []).map((c) => sealTree(c, reusable, out))
        }
  const { bytes, address } = encodeNode(node)
  out.set(nodePath(address), bytes)
  const ref = { digest: local.digest, node: address, chunks: local.chunks, bytes: local.bytes }
  reusable.refs.set(local.digest, ref)
  return ref
}

/**
 * A manifest with every chunk list inline (format 1): a format-2 manifest's trees read (every
 * node checked, `NodeReader.walkTrees`, all files together), its packs gathered from the leaves; a format-1 manifest
 * as it is. What restore works from. Requests: 1 per distinct node.
 *
 * @throws InvalidDataManifestError when a node is missing or fails a check, or one pack oid is
 *   described twice differently.
 */
export async function inlineManifest(reader: NodeReader, manifest: Manifest): Promise<ManifestV1> {
  if (manifest.format === DATA_FORMAT) return manifest
  const packs = new Map<string, PackRef>()
  const withRoot = manifest.files.flatMap((f, i) => (f.root ? [{ root: f.root, i }] : []))
  const chunks: ChunkRef[][] = manifest.files.map(() => [])
  await reader.walkTrees(
    withRoot.map((w) => w.root),
    (leaf, r) => {
      for (const p of leaf.packs) {
        const had = packs.get(p.oid)
        if (had && (had.size !== p.size || had.codec !== p.codec))
          throw new InvalidDataManifestError(
            nodePath(leaf.address),
            'packs',
            `describes pack ${p.oid} differently`
          )
        packs.set(p.oid, p)
      }
      chunks[withRoot[r].i].push(...leaf.chunks)
    }
  )
  const files: FileEntry[] = manifest.files.map((file, i) => fileEntry(file, { chunks: chunks[i] }))
  return {
    format: DATA_FORMAT,
    id: manifest.id,
    layout: manifest.layout,
    host: manifest.host,
    startedAt: manifest.startedAt,
    finishedAt: manifest.finishedAt,
    durationMs: manifest.durationMs,
    capture: manifest.capture,
    bytes: manifest.bytes,
    packs: [...packs.values()],
    files
  }
}
