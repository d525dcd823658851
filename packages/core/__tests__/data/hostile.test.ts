import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  backupDirectory,
  parseManifest,
  restoreDirectory,
  type Manifest
} from '@hubstore/core/data'
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

async function refused(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a refusal')
}

describe('data: hostile manifests and directories are refused', () => {
  const valid = (): Manifest => ({
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
    ['a "../" path', (m: Manifest) => void (m.files[0].path = '../evil')],
    ['an absolute path', (m: Manifest) => void (m.files[0].path = '/etc/evil')],
    ['a ".git" segment', (m: Manifest) => void (m.files[0].path = 'x/.git/config')],
    ['a duplicate path', (m: Manifest) => void m.files.push({ ...m.files[0], path: 'A' })],
    [
      'a file that is also a directory',
      (m: Manifest) => void m.files.push({ ...m.files[0], path: 'a/b' })
    ],
    ['a symlink entry', (m: Manifest) => void ((m.files[0] as { kind: string }).kind = 'symlink')],
    ['an unknown key', (m: Manifest) => void ((m as Record<string, unknown>).extra = 1)],
    [
      'a chunk naming no pack',
      (m: Manifest) => {
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

  it('a chunk whose hash does not match: DATA_INTEGRITY, the existing target is left as it was', async () => {
    const { target, cache, ctx } = await tamperedBackup((m) => {
      const file = m.files.find((f) => f.chunks.length > 0) as Manifest['files'][number]
      file.chunks[0].id = 'f'.repeat(64)
      return m
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
