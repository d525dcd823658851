/**
 * The `lfs-files` layout against the emulator over real HTTP: a backup writes the files under
 * `data/` with LFS pointers per `.gitattributes`, so the real `git clone` + `git lfs pull` of the
 * data branch gives them back; an unchanged file is not uploaded again; restore reads it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  backupDirectory,
  directoryStatus,
  listBackups,
  parseManifest,
  restoreDirectory,
  type Manifest,
  type ManifestV1
} from '@hubstore/core/data'
import { createGitHubClient } from '../../src/github/client.js'
import type { RepoContext } from '../../src/github/context.js'
import { gitArgvLog, gitEnv, gitOk } from '../../../../test-support/git-cli.js'
import { FAST, startWorld } from '../support/emulator.js'
import {
  createChatDb,
  createChromaLike,
  dumpRows,
  digests,
  filesContaining,
  integrity,
  scratch
} from './support.js'

const TOKEN = 'ghp_lfsFilesLayoutDistinct7e41c9'
const OWNER = 'octocat'
let emulator: Emulator
const work = scratch('data-lfs-files')
const template = join(work.dir, 'template')
beforeAll(async () => {
  // built before the emulator starts: synchronous SQLite work would stall its sockets
  mkdirSync(template, { recursive: true })
  createChatDb(join(template, 'chatbot.db'), 800)
  createChromaLike(template)
  writeFileSync(join(template, 'notes.csv'), 'id,note\n1,one\n2,two\n')
  writeFileSync(join(template, 'model.pkl'), Buffer.alloc(30_000, 3))
  writeFileSync(join(template, 'readme.txt'), 'plain text, not LFS\n')
  writeFileSync(join(template, 'empty.parquet'), '')
  emulator = await startWorld()
  await emulator.admin.createToken({ token: TOKEN, login: OWNER, permission: 'admin' })
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

let n = 0
async function setup() {
  const repo = `lfs-files-${process.pid}-${++n}`
  await emulator.admin.createRepo({ full_name: `${OWNER}/${repo}` })
  const base = join(work.dir, `case-${n}`)
  const data = join(base, 'data')
  cpSync(template, data, { recursive: true })
  const octokit = createGitHubClient({ ...FAST, token: TOKEN, baseUrl: emulator.url })
  const ctx: RepoContext = { octokit, owner: OWNER, repo }
  return { repo, base, data, ctx, url: `${emulator.url}/${OWNER}/${repo}.git` }
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/** Non-SQLite files byte-identical; SQLite databases with the same rows and `ok` integrity. */
function expectSameData(actual: string, expected: string) {
  const got = digests(actual)
  const want = digests(expected)
  const dbs = ['chatbot.db', 'chroma_db/chroma.sqlite3']
  const plain = (m: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(m).filter(([p]) => !dbs.includes(p) && !/-(wal|shm)$/.test(p))
    )
  expect(plain(got)).toEqual(plain(want))
  for (const db of dbs) {
    expect(dumpRows(join(actual, db))).toEqual(dumpRows(join(expected, db)))
    expect(integrity(join(actual, db))).toBe('ok')
  }
}

describe('data: the lfs-files layout', () => {
  it('backup: git clone + git lfs pull of the data branch gives the files; LFS per .gitattributes; the token is nowhere', async () => {
    const { base, data, ctx, url } = await setup()
    const r = await backupDirectory(ctx, data, { layout: 'lfs-files' })
    expect(r.manifest).toMatchObject({ layout: 'lfs-files', root: 'data', packs: [] })
    const lfs = Object.fromEntries(
      (r.manifest as ManifestV1).files.map((f) => [f.path, f.stored?.lfs])
    )
    // the seed's patterns: `data/chroma_db/*` does not reach into the collection folder
    expect(lfs).toEqual({
      'chatbot.db': true,
      'chroma_db/c0ffee/data_level0.bin': false,
      'chroma_db/c0ffee/header.bin': false,
      'chroma_db/c0ffee/index_metadata.pickle': false,
      'chroma_db/c0ffee/length.bin': false,
      'chroma_db/c0ffee/link_lists.bin': false,
      'chroma_db/chroma.sqlite3': true,
      'empty.parquet': false,
      'model.pkl': true,
      'notes.csv': true,
      'readme.txt': false
    })
    const usage = await emulator.admin.lfsUsage(`${OWNER}/${ctx.repo}`)
    expect(usage.objects).toBe(4)
    expect(r.uploadedBytes).toBe(usage.uploaded_bytes)

    const home = join(base, 'home')
    mkdirSync(home)
    const env = gitEnv(home, TOKEN)
    await gitOk(['lfs', 'install', '--skip-repo'], home, env)
    const skip = { ...env, GIT_LFS_SKIP_SMUDGE: '1' }
    await gitOk(['clone', '--quiet', '--branch', 'hubstore-data', url, 'clone'], home, skip)
    const clone = join(home, 'clone')
    // before the pull: pointers, as the seed's download_data finds them
    expect(readFileSync(join(clone, 'data', 'model.pkl'), 'utf8')).toMatch(
      /^version https:\/\/git-lfs\.github\.com\/spec\/v1\noid sha256:[0-9a-f]{64}\nsize 30000\n$/
    )
    await gitOk(['lfs', 'pull'], clone, env)
    expectSameData(join(clone, 'data'), data)
    for (const f of r.manifest.files)
      expect(sha256(readFileSync(join(clone, 'data', ...f.path.split('/'))))).toBe(f.sha256)
    expect(readFileSync(join(clone, '.gitattributes'), 'utf8')).toContain(
      'data/chroma_db/* filter=lfs diff=lfs merge=lfs -text\n'
    )

    expect(filesContaining(base, TOKEN)).toEqual([])
    expect(await gitOk(['config', '--list', '--show-origin'], clone, gitEnv(home))).not.toContain(
      TOKEN
    )
    expect(gitArgvLog.flat().filter((a) => a.includes(TOKEN))).toEqual([])
    expect((await emulator.admin.ledger()).filter((e) => e.path.includes(TOKEN))).toEqual([])
  }, 30_000)

  it('second backup after one change uploads only that object; a removed file leaves the commit; restore reads both points', async () => {
    const { base, data, ctx } = await setup()
    const first = await backupDirectory(ctx, data, { layout: 'lfs-files' })
    const before = await emulator.admin.lfsUsage(`${OWNER}/${ctx.repo}`)
    writeFileSync(join(data, 'notes.csv'), 'id,note\n1,one\n2,two\n3,three\n')
    rmSync(join(data, 'readme.txt'))
    await emulator.admin.clearLedger()
    const second = await backupDirectory(ctx, data, { layout: 'lfs-files' })
    const after = await emulator.admin.lfsUsage(`${OWNER}/${ctx.repo}`)
    const notes = Buffer.byteLength('id,note\n1,one\n2,two\n3,three\n')
    expect(after.uploaded_bytes - before.uploaded_bytes).toBe(notes)
    expect(second.uploadedBytes).toBe(notes)
    expect(second.packs).toEqual({ created: 1, uploaded: 1 })
    const puts = (await emulator.admin.ledger()).filter(
      (e) => e.method === 'PUT' && e.route === '/{owner}/{repo}.git/info/lfs/objects/{oid}'
    )
    expect(puts).toHaveLength(1)
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner: OWNER,
      repo: ctx.repo,
      tree_sha: second.commitSha,
      recursive: 'true'
    })
    const paths = tree.tree.map((e) => e.path)
    expect(paths).not.toContain('data/readme.txt')
    expect(paths).toContain('data/notes.csv')
    expect(paths).toContain(`backups/${first.backupId}.json`)

    const history = await listBackups(ctx)
    expect(history.backups.map((b) => b.id)).toEqual([second.backupId, first.backupId])
    expect((await directoryStatus(ctx, data)).changed).toBe(false)

    const cacheDir = join(base, 'cache')
    const target = join(base, 'restored', 'data')
    const latest = await restoreDirectory(ctx, target, { cacheDir })
    expect(latest).toMatchObject({ restored: true, backupId: second.backupId, files: 10 })
    expectSameData(target, data)
    const again = await restoreDirectory(ctx, target, { cacheDir })
    expect(again.downloadedBytes).toBe(0)
    expect(again.packs).toEqual({ needed: 4, downloaded: 0, cached: 4 })

    const old = await restoreDirectory(ctx, target, { cacheDir, point: first.backupId })
    expect(old.backupId).toBe(first.backupId)
    expect(readFileSync(join(target, 'readme.txt'), 'utf8')).toBe('plain text, not LFS\n')
    expect(readFileSync(join(target, 'notes.csv'), 'utf8')).toBe('id,note\n1,one\n2,two\n')
  }, 30_000)

  it('a chunked backup after an lfs-files one removes the files folder; both restore', async () => {
    const { base, data, ctx } = await setup()
    const files = await backupDirectory(ctx, data, { layout: 'lfs-files' })
    const chunked = await backupDirectory(ctx, data)
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner: OWNER,
      repo: ctx.repo,
      tree_sha: chunked.commitSha,
      recursive: 'true'
    })
    expect(tree.tree.filter((e) => e.path.startsWith('data/'))).toEqual([])
    const target = join(base, 'restored', 'data')
    await restoreDirectory(ctx, target, { cacheDir: join(base, 'cache') })
    expectSameData(target, data)
    await restoreDirectory(ctx, target, { cacheDir: join(base, 'cache'), point: files.backupId })
    expectSameData(target, data)
  }, 30_000)

  it('hostile lfs-files manifests are refused: fields of the other layout, an unsafe root, a blob that is another file', async () => {
    const { base, data, ctx } = await setup()
    const r = await backupDirectory(ctx, data, { layout: 'lfs-files' })
    const text = (m: Manifest) => JSON.stringify(m)
    const bad = (change: (m: ManifestV1) => void) => {
      const m = structuredClone(r.manifest as ManifestV1)
      change(m)
      return () => parseManifest('test', text(m))
    }
    expect(bad((m) => delete m.files[0]?.stored)).toThrow(/field "files.0.stored" is missing/)
    expect(bad((m) => (m.root = '../up'))).toThrow(/field "root" "..\/up" has a ".." segment/)
    expect(bad((m) => (m.layout = 'chunked'))).toThrow(/field "root" is only for the lfs-files/)

    // the manifest names readme.txt's blob for notes.csv: the restore refuses, the target stays
    const m = structuredClone(r.manifest as ManifestV1)
    const readme = m.files.find((f) => f.path === 'readme.txt')
    const notes = m.files.find((f) => f.path === 'notes.csv')
    if (!readme?.stored || !notes) throw new Error('expected both files')
    notes.stored = readme.stored
    notes.size = readme.size
    await emulator.admin.putFile(`${OWNER}/${ctx.repo}`, `backups/${r.backupId}.json`, text(m), {
      branch: 'hubstore-data',
      message: 'tamper'
    })
    const target = join(base, 'restored', 'data')
    mkdirSync(target, { recursive: true })
    writeFileSync(join(target, 'keep.txt'), 'mine')
    await expect(
      restoreDirectory(ctx, target, { cacheDir: join(base, 'cache') })
    ).rejects.toMatchObject({
      code: 'DATA_INTEGRITY',
      subject: 'notes.csv'
    })
    expect(Object.keys(digests(target))).toEqual(['keep.txt'])
  }, 30_000)

  it('a backup that loses the compare-and-swap race plans its tree again against the new head', async () => {
    const { base, ctx } = await setup()
    const dir = (name: string, files: Record<string, string>) => {
      const d = join(base, name)
      mkdirSync(d, { recursive: true })
      for (const [p, text] of Object.entries(files)) writeFileSync(join(d, p), text)
      return d
    }
    await backupDirectory(ctx, dir('v0', { 'w.txt': 'w\n', 'x.csv': 'x,0\n' }), {
      layout: 'lfs-files'
    })
    const other = dir('other', { 'x.csv': 'x,1\n', 'y.txt': 'y\n' })
    const mine = dir('mine', { 'x.csv': 'x,2\n', 'z.txt': 'z\n' })
    const events: string[] = []
    let raced = false
    // another writer's backup lands while this one captures (after it read the branch head)
    const onPass = async () => {
      if (raced) return
      raced = true
      await backupDirectory(ctx, other, { layout: 'lfs-files' })
    }
    const r = await backupDirectory(ctx, mine, {
      layout: 'lfs-files',
      capture: { maxPasses: 1, onPass },
      retry: { baseMs: 1, maxMs: 2, onEvent: (e) => events.push(e.type) }
    })
    expect(events).toContain('conflict')
    const { data: tree } = await ctx.octokit.rest.git.getTree({
      owner: OWNER,
      repo: ctx.repo,
      tree_sha: r.commitSha,
      recursive: 'true'
    })
    expect(tree.tree.filter((e) => e.path.startsWith('data/')).map((e) => e.path)).toEqual([
      'data/x.csv',
      'data/z.txt'
    ])
    expect((await listBackups(ctx)).backups).toHaveLength(3)
    const target = join(base, 'restored')
    await restoreDirectory(ctx, target, { cacheDir: join(base, 'cache') })
    expect(digests(target)).toEqual(digests(mine))
  }, 30_000)
})
