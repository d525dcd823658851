import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { contentTree, resolveTreeShape, type LocalNode } from '../../src/data/tree.js'

const id = (s: string) => createHash('sha256').update(s).digest('hex')
const chunks = (n: number, tag = 'c') =>
  Array.from({ length: n }, (_, i) => ({ id: id(`${tag}${i}`), size: 16384 }))

/** Every node digest of a tree, with its height. */
function digests(root: LocalNode | null): Set<string> {
  const out = new Set<string>()
  const visit = (n: LocalNode) => {
    out.add(`${n.height}:${n.digest}`)
    for (const c of n.children ?? []) visit(c)
  }
  if (root) visit(root)
  return out
}
const newNodes = (before: LocalNode | null, after: LocalNode | null) => {
  const old = digests(before)
  return [...digests(after)].filter((d) => !old.has(d)).length
}

describe('chunk trees: content-defined node boundaries (docs/persist-data.md §8.2)', () => {
  const shape = resolveTreeShape()

  it('counts add up, and node sizes stay within the bounds', () => {
    const tree = contentTree(chunks(20_000), shape) as LocalNode
    expect(tree.chunks).toBe(20_000)
    expect(tree.bytes).toBe(20_000 * 16384)
    const sizes: number[] = []
    const visit = (n: LocalNode) => {
      const entries = (n.leaf ?? n.children ?? []).length
      sizes.push(entries)
      for (const c of n.children ?? []) visit(c)
    }
    visit(tree)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(shape.maxEntries)
    expect(tree.height).toBeGreaterThanOrEqual(2)
    expect(contentTree([], shape)).toBeNull()
  })

  it('an in-place change (a SQLite page) makes only a leaf and its ancestors new', () => {
    const before = chunks(20_000)
    const after = before.map((c, i) => (i === 12_345 ? { id: id('changed'), size: c.size } : c))
    const a = contentTree(before, shape) as LocalNode
    const b = contentTree(after, shape) as LocalNode
    // the changed leaf may merge with a neighbour when its last chunk was a boundary: ≤ 2 a level
    expect(newNodes(a, b)).toBeLessThanOrEqual(2 * (b.height + 1))
    expect(newNodes(a, b)).toBeGreaterThanOrEqual(b.height + 1)
  })

  it('an insertion (a content-defined-chunked file) changes only the nodes near it', () => {
    const before = chunks(20_000)
    const after = [...before.slice(0, 7000), ...chunks(3, 'inserted'), ...before.slice(7000)]
    const a = contentTree(before, shape) as LocalNode
    const b = contentTree(after, shape) as LocalNode
    expect(newNodes(a, b)).toBeLessThanOrEqual(2 * (b.height + 1))
    // the tree has ~500 leaves: cutting at fixed counts would have made every one after the
    // insertion point (~330) new
    expect(digests(b).size).toBeGreaterThan(400)
  })

  it('a shape is checked', () => {
    expect(() => resolveTreeShape({ fanout: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' })
    )
    expect(() => resolveTreeShape({ minEntries: 9, maxEntries: 9 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' })
    )
  })
})
