import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import {
  backupDirectory,
  encodeNode,
  innerDigest,
  leafDigest,
  NODE_FORMAT,
  nodePath,
  parseManifest,
  restoreDirectory,
  type LeafNode,
  type Manifest,
  type ManifestV1,
  type ManifestV2,
  type TreeRef
} from '@hubstore/core/data'
import type { RepoContext } from '@hubstore/core'
import { freshRepo, startWorld } from '../support/emulator.js'
import { filesOf, scratch } from './support.js'

let emulator: Emulator
const work = scratch('data-hostile')
beforeAll(async () => {
  emulator = await startWorld()
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

let n = 0
function caseDir() {
  const base = join(work.dir, `case-${++n}`)
  const data = join(base, 'data')
  mkdirSync(join(data, 'seg'), { recursive: true })
  writeFileSync(join(data, 'a.csv'), 'id,name\n1,one\n2,two\n')
  writeFileSync(join(data, 'seg', 'b.bin'), Buffer.alloc(70_000, 7))
  return { base, data, target: join(base, 'out', 'data'), cache: join(base, 'cache') }
}

/** A valid backup, then its manifest rewritten by `tamper` and committed to the data branch. */
async function tamperedBackup(tamper: (m: Manifest) => unknown) {
  const dirs = caseDir()
  const repo = await freshRepo(emulator)
  const ctx = repo.as('octocat')
  const backup = await backupDirectory(ctx, dirs.data)
  const path = `backups/${backup.backupId}.json`
  await emulator.admin.putFile(
    `${repo.owner}/${repo.repo}`,
    path,
    JSON.stringify(tamper(structuredClone(backup.manifest))),
    { branch: 'hubstore-data', message: 'tamper' }
  )
  return { ...dirs, ctx }
}

/** A node's text on the data branch. */
async function nodeText(ctx: RepoContext, address: string): Promise<string> {
  const { data } = await ctx.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
    owner: ctx.owner,
    repo: ctx.repo,
    path: nodePath(address),
    ref: 'hubstore-data',
    headers: { accept: 'application/vnd.github.raw+json' }
  })
  return typeof data === 'string' ? data : JSON.stringify(data)
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/**
 * A valid backup, then `make` (given a.csv's root, a leaf, and its text) returns node files to
 * put on the data branch and the root a.csv's entry names instead; the manifest is rewritten.
 */
async function tamperedTree(
  make: (leaf: { ref: TreeRef; text: string }) => { put: Array<[string, string]>; root: TreeRef }
) {
  const dirs = caseDir()
  const repo = await freshRepo(emulator)
  const ctx = repo.as('octocat')
  const backup = await backupDirectory(ctx, dirs.data)
  const manifest = structuredClone(backup.manifest) as ManifestV2
  const file = manifest.files.find((f) => f.path === 'a.csv') as ManifestV2['files'][number]
  const ref = file.root as TreeRef
  const { put, root } = make({ ref, text: await nodeText(ctx, ref.node) })
  const full = `${repo.owner}/${repo.repo}`
  for (const [path, text] of put)
    await emulator.admin.putFile(full, path, text, { branch: 'hubstore-data', message: 'tamper' })
  file.root = root
  await emulator.admin.putFile(full, `backups/${backup.backupId}.json`, JSON.stringify(manifest), {
    branch: 'hubstore-data',
    message: 'tamper'
  })
  return { ...dirs, ctx }
}

/** `node` stored at its address; its reference with the given counts. */
function stored(node: object, digest: string, chunks: number, bytes: number) {
  const text = JSON.stringify(node)
  const address = sha256(text)
  return {
    put: [nodePath(address), text] as [string, string],
    ref: { digest, node: address, chunks, bytes }
  }
}

/** A tampered tree whose root is one inner node of `height` over `children`, claiming these counts. */
function innerRoot(height: number, children: TreeRef[], chunks: number, bytes: number) {
  const inner = stored(
    { format: NODE_FORMAT, height, children },
    innerDigest(height, children),
    chunks,
    bytes
  )
  return { put: [inner.put], root: inner.ref }
}

async function refused(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a refusal')
}

describe('data: hostile manifests and directories are refused', () => {
  const valid = (): ManifestV1 => ({
    format: 'hubstore-data/1',
    id: '20261202T120000Z-abcdef',
    layout: 'chunked',
    host: 'h',
    startedAt: '2026-12-02T12:00:00.000Z',
    finishedAt: '2026-12-02T12:00:01.000Z',
    durationMs: 1000,
    capture: { method: 'single', passes: 1, verified: true },
    bytes: { total: 0, new: 0, uploaded: 0 },
    packs: [],
    files: [
      {
        kind: 'file',
        path: 'a',
        size: 0,
        mode: 420,
        mtimeMs: 0,
        sha256: 'a'.repeat(64),
        chunks: []
      }
    ]
  })

  it.each([
    ['a "../" path', (m: ManifestV1) => void (m.files[0].path = '../evil')],
    ['an absolute path', (m: ManifestV1) => void (m.files[0].path = '/etc/evil')],
    ['a ".git" segment', (m: ManifestV1) => void (m.files[0].path = 'x/.git/config')],
    ['a duplicate path', (m: ManifestV1) => void m.files.push({ ...m.files[0], path: 'A' })],
    [
      'a file that is also a directory',
      (m: ManifestV1) => void m.files.push({ ...m.files[0], path: 'a/b' })
    ],
    [
      'a symlink entry',
      (m: ManifestV1) => void ((m.files[0] as { kind: string }).kind = 'symlink')
    ],
    ['an unknown key', (m: ManifestV1) => void ((m as Record<string, unknown>).extra = 1)],
    [
      'a chunk naming no pack',
      (m: ManifestV1) => {
        m.files[0].size = 1
        m.files[0].chunks.push({
          id: 'b'.repeat(64),
          size: 1,
          pack: 'c'.repeat(64),
          offset: 0,
          length: 1
        })
      }
    ]
  ])('parseManifest refuses %s (INVALID_DATA_MANIFEST)', (_name, tamper) => {
    const m = valid()
    tamper(m)
    expect(() => parseManifest('test', JSON.stringify(m))).toThrow(
      expect.objectContaining({ code: 'INVALID_DATA_MANIFEST' })
    )
    expect(parseManifest('test', JSON.stringify(valid())).id).toBe(valid().id)
  })

  it('a manifest on the branch with a "../" path: refused, nothing written outside (or inside) the target', async () => {
    const { base, target, cache, ctx } = await tamperedBackup((m) => {
      m.files[0].path = '../../escaped.csv'
      return m
    })
    const before = readdirSync(base).sort()
    const error = await refused(restoreDirectory(ctx, target, { cacheDir: cache }))
    expect(error.code).toBe('INVALID_DATA_MANIFEST')
    expect(error.message).toContain('".." segment')
    expect(readdirSync(base).sort()).toEqual(before)
    expect(filesOf(base).has('escaped.csv')).toBe(false)
  })

  // format 2: the chunk id is in a leaf node; the leaf and the root reference are rewritten so
  // every node check passes and only the chunk's bytes give it away
  it('a chunk whose hash does not match: DATA_INTEGRITY, the existing target is left as it was', async () => {
    const { target, cache, ctx } = await tamperedTree(({ text }) => {
      const leaf = JSON.parse(text) as LeafNode
      leaf.chunks[0].id = 'f'.repeat(64)
      const digest = leafDigest(leaf.chunks)
      const bytes = leaf.chunks.reduce((n, c) => n + c.size, 0)
      const { put, ref } = stored(leaf, digest, leaf.chunks.length, bytes)
      expect(encodeNode(leaf).address).toBe(ref.node)
      return { put: [put], root: ref }
    })
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'live.txt'), 'live data')
    const error = await refused(restoreDirectory(ctx, target, { cacheDir: cache }))
    expect(error.code).toBe('DATA_INTEGRITY')
    expect(readdirSync(target)).toEqual(['live.txt'])
    expect(readFileSync(join(target, 'live.txt'), 'utf8')).toBe('live data')
    // no staging folder is left beside the target
    expect(readdirSync(join(target, '..'))).toEqual(['data'])
  })

  it.each([
    [
      'a node that is not JSON',
      'is not JSON',
      ({ ref }: { ref: TreeRef }) => {
        const text = 'not json {'
        return { put: [[nodePath(sha256(text)), text]], root: { ...ref, node: sha256(text) } }
      }
    ],
    [
      'a node whose bytes do not hash to its address',
      'do not hash to its address',
      ({ ref, text }: { ref: TreeRef; text: string }) => ({
        put: [[nodePath(ref.node), `${text} `]],
        root: ref
      })
    ],
    [
      "a node whose content does not give its parent's digest",
      'does not give the digest',
      ({ ref }: { ref: TreeRef }) => ({ put: [], root: { ...ref, digest: 'e'.repeat(64) } })
    ],
    [
      'an inner node whose counts do not add up',
      'its parent says',
      ({ ref }: { ref: TreeRef }) => {
        const wrong = { ...ref, chunks: ref.chunks + 1, bytes: ref.bytes }
        return innerRoot(1, [wrong], wrong.chunks, wrong.bytes)
      }
    ],
    [
      'a child at the wrong height (a leaf under height 2)',
      "its parent's children are at 1",
      ({ ref }: { ref: TreeRef }) => {
        return innerRoot(2, [ref], ref.chunks, ref.bytes)
      }
    ],
    [
      'an absurd height',
      'height',
      ({ ref }: { ref: TreeRef }) => {
        return innerRoot(1000, [ref], ref.chunks, ref.bytes)
      }
    ],
    [
      'a node address that is a path outside nodes/',
      'must be 64 lower-case hex digits',
      ({ ref }: { ref: TreeRef }) => ({ put: [], root: { ...ref, node: '../backups/index' } })
    ]
  ] as const)(
    'format 2: %s is refused (INVALID_DATA_MANIFEST) before anything is written',
    async (_name, message, make) => {
      const { base, target, cache, ctx } = await tamperedTree(
        make as (leaf: { ref: TreeRef; text: string }) => {
          put: Array<[string, string]>
          root: TreeRef
        }
      )
      const before = readdirSync(base).sort()
      const error = await refused(restoreDirectory(ctx, target, { cacheDir: cache }))
      expect(error.code).toBe('INVALID_DATA_MANIFEST')
      expect(error.message).toContain(message)
      expect(readdirSync(base).sort()).toEqual(before)
      expect(existsSync(target)).toBe(false)
      // a backup on top of the hostile tree is refused too, before anything is uploaded
      const usage = await emulator.admin.lfsUsage(`${ctx.owner}/${ctx.repo}`)
      writeFileSync(join(base, 'data', 'a.csv'), 'id,name\n1,uno\n')
      const again = await refused(backupDirectory(ctx, join(base, 'data')))
      expect(again.code).toBe('INVALID_DATA_MANIFEST')
      expect(await emulator.admin.lfsUsage(`${ctx.owner}/${ctx.repo}`)).toEqual(usage)
    }
  )

  it('a manifest that is not JSON: INVALID_DATA_MANIFEST', async () => {
    const { target, cache, ctx } = await tamperedBackup(() => 'not json {')
    expect((await refused(restoreDirectory(ctx, target, { cacheDir: cache }))).code).toBe(
      'INVALID_DATA_MANIFEST'
    )
  })

  it('capture refuses a symlink in the data directory (DATA_CAPTURE_FAILED), nothing committed', async () => {
    const { data } = caseDir()
    symlinkSync('/etc/passwd', join(data, 'link'))
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    const error = await refused(backupDirectory(ctx, data))
    expect(error).toMatchObject({ code: 'DATA_CAPTURE_FAILED', problem: 'symlink', path: 'link' })
    expect(await emulator.admin.lfsUsage(`${repo.owner}/${repo.repo}`)).toMatchObject({
      objects: 0
    })
  })

  it('ifMissing: a non-empty target is not touched and nothing is requested', async () => {
    const { data, target, cache } = caseDir()
    const repo = await freshRepo(emulator)
    const ctx = repo.as('octocat')
    await backupDirectory(ctx, data)
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'x'), 'mine')
    await emulator.admin.clearLedger()
    const result = await restoreDirectory(ctx, target, { cacheDir: cache, ifMissing: true })
    expect(result.restored).toBe(false)
    expect(await emulator.admin.ledger()).toEqual([])
    expect(readdirSync(target)).toEqual(['x'])
    const empty = join(target, '..', 'empty')
    mkdirSync(empty)
    expect(
      (await restoreDirectory(ctx, empty, { cacheDir: cache, ifMissing: true })).restored
    ).toBe(true)
    expect(readFileSync(join(empty, 'a.csv'), 'utf8')).toBe('id,name\n1,one\n2,two\n')
  })
})
