/**
 * The nodes of a file's chunk tree (docs/persist-data.md §8.2): their JSON format, their content
 * digest (over the chunk ids and sizes below them, never over where the chunks are stored, so a
 * backup computes it from the local data alone), their address (the SHA-256 of their bytes) and
 * the checks a node read from the data branch must pass before anything trusts it.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { InvalidDataManifestError } from '../errors/data.js'
import {
  bytes,
  nodePath,
  packRefSchema,
  sha256,
  treeRefSchema,
  type ChunkRef,
  type PackRef,
  type TreeRef
} from './manifest.js'

/** The format tag of every node. */
export const NODE_FORMAT = 'hubstore-node/1'
/** The tallest tree read: deeper is refused (a fanout of 2 reaches 2¹⁶ chunks at 16). */
export const MAX_TREE_HEIGHT = 24

const leafSchema = z.strictObject({
  format: z.literal(NODE_FORMAT),
  height: z.literal(0),
  /** the packs the chunks below are in; a chunk names one by its index */
  packs: z.array(packRefSchema).min(1),
  chunks: z
    .array(
      z.strictObject({
        id: sha256,
        /** raw bytes, at least 1 (so a tree's chunk count never passes its bytes) */
        size: z.number().int().min(1),
        pack: z.number().int().nonnegative(),
        offset: bytes,
        length: bytes
      })
    )
    .min(1)
})

const innerSchema = z.strictObject({
  format: z.literal(NODE_FORMAT),
  height: z.number().int().min(1).max(MAX_TREE_HEIGHT),
  children: z.array(treeRefSchema).min(1)
})

/** A leaf: chunks and where they are. */
export type LeafNode = z.infer<typeof leafSchema>
/** An inner node: references to nodes one level down. */
export type InnerNode = z.infer<typeof innerSchema>
export type TreeNode = LeafNode | InnerNode

/** A node read and checked: its body, and its chunks resolved (leaves). */
export type ReadNode = ReadLeaf | ReadInner
export interface ReadLeaf {
  kind: 'leaf'
  height: 0
  address: string
  chunks: ChunkRef[]
  packs: PackRef[]
}
export interface ReadInner {
  kind: 'inner'
  height: number
  address: string
  children: TreeRef[]
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

/** Content digest of a leaf: its chunks' ids and sizes, in order. */
export function leafDigest(chunks: ReadonlyArray<{ id: string; size: number }>): string {
  return sha(`hubstore-leaf\n${chunks.map((c) => `${c.id} ${c.size}\n`).join('')}`)
}

/** Content digest of an inner node at `height`: its children's digests and counts, in order. */
export function innerDigest(
  height: number,
  children: ReadonlyArray<{ digest: string; chunks: number; bytes: number }>
): string {
  return sha(
    `hubstore-inner ${height}\n${children.map((c) => `${c.digest} ${c.chunks} ${c.bytes}\n`).join('')}`
  )
}

/** The bytes of a node (compact JSON) and its address (their SHA-256). */
export function encodeNode(node: TreeNode): { bytes: Buffer; address: string } {
  const bytes = Buffer.from(JSON.stringify(node), 'utf8')
  return { bytes, address: createHash('sha256').update(bytes).digest('hex') }
}

/** A leaf node of `chunks` (each naming its pack by oid), with its pack table. */
export function leafNode(
  chunks: readonly ChunkRef[],
  packs: ReadonlyMap<string, PackRef>
): LeafNode {
  const table: PackRef[] = []
  const index = new Map<string, number>()
  const entries = chunks.map((c) => {
    let at = index.get(c.pack)
    if (at === undefined) {
      at = table.length
      index.set(c.pack, at)
      table.push(packs.get(c.pack) as PackRef)
    }
    return { id: c.id, size: c.size, pack: at, offset: c.offset, length: c.length }
  })
  return { format: NODE_FORMAT, height: 0, packs: table, chunks: entries }
}

/**
 * Parses and checks the node `ref` names, read as `text` from the data branch: its bytes hash
 * to `ref.node`, it is valid JSON of the node schema (unknown keys refused), its height is
 * `height` when the parent's says so, every chunk lies within its pack, and its digest, chunk
 * count and bytes are those `ref` claims. No request.
 *
 * @param height the height the parent implies (`undefined` for a root).
 * @throws InvalidDataManifestError naming the node and the problem.
 */
export function parseNode(text: string, ref: TreeRef, height?: number): ReadNode {
  const source = nodePath(ref.node)
  const bad = (field: string, problem: string) =>
    new InvalidDataManifestError(source, field, problem)
  if (sha(text) !== ref.node) throw bad('', 'its bytes do not hash to its address')
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw bad('', `is not JSON (${(error as Error).message})`)
  }
  const isLeaf = (raw as { height?: unknown } | null)?.height === 0
  const parsed = (isLeaf ? leafSchema : innerSchema).safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw bad(issue.path.join('.'), issue.message)
  }
  const node = parsed.data
  if (height !== undefined && node.height !== height)
    throw bad('height', `is ${node.height}, its parent's children are at ${height}`)
  let digest: string
  let chunks: number
  let total: number
  let read: ReadNode
  if (node.height === 0) {
    const leaf = node as LeafNode
    const resolved = leaf.chunks.map((c, j) => {
      const pack = leaf.packs[c.pack]
      if (!pack) throw bad(`chunks.${j}.pack`, 'names no pack of the node')
      if (c.offset + c.length > pack.size)
        throw bad(`chunks.${j}`, `ends past the end of its pack (${pack.size} bytes)`)
      return { id: c.id, size: c.size, pack: pack.oid, offset: c.offset, length: c.length }
    })
    digest = leafDigest(resolved)
    chunks = resolved.length
    total = resolved.reduce((n, c) => n + c.size, 0)
    read = { kind: 'leaf', height: 0, address: ref.node, chunks: resolved, packs: leaf.packs }
  } else {
    const inner = node as InnerNode
    digest = innerDigest(inner.height, inner.children)
    chunks = inner.children.reduce((n, c) => n + c.chunks, 0)
    total = inner.children.reduce((n, c) => n + c.bytes, 0)
    read = { kind: 'inner', height: inner.height, address: ref.node, children: inner.children }
  }
  if (digest !== ref.digest) throw bad('', 'its content does not give the digest its parent names')
  if (chunks !== ref.chunks || total !== ref.bytes)
    throw bad(
      '',
      `holds ${chunks} chunks of ${total} bytes, its parent says ${ref.chunks} of ${ref.bytes}`
    )
  return read
}
