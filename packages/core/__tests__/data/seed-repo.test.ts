/**
 * Restore of a data repository written the way the seed's script writes it — real `git clone`,
 * copy `data/`, `git add .`, commit "Auto backup - <iso time>", `git push` with git-lfs and the
 * seed's `.gitattributes` — against the emulator's smart HTTP and LFS; and the hostile trees
 * such a repository could hold (symbolic links, `..` entries, pointers whose size lies).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '@hubstore/emulator'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { lfsClientFor, lfsPointer, restoreDirectory } from '@hubstore/core/data'
import { createGitHubClient } from '../../src/github/client.js'
import type { RepoContext } from '../../src/github/context.js'
import { gitArgvLog, gitEnv, gitInput, gitOk } from '../../../../test-support/git-cli.js'
import { FAST, startWorld } from '../support/emulator.js'
import {
  createChatDb,
  createChromaLike,
  digests,
  filesContaining,
  filesOf,
  scratch
} from './support.js'

const TOKEN = 'ghp_seedRepoRestoreDistinct3b8d20'
const OWNER = 'octocat'
/** The seed's `.gitattributes`, as its `git lfs track` calls write it. */
const SEED_ATTRIBUTES = [
  '*.sqlite3',
  '*.db',
  'data/chroma_db/*',
  '*.parquet',
  '*.pkl',
  '*.bak',
  'data/*.csv'
]
  .map((p) => `${p} filter=lfs diff=lfs merge=lfs -text\n`)
  .join('')

let emulator: Emulator
const work = scratch('data-seed-repo')
const template = join(work.dir, 'template')
beforeAll(async () => {
  mkdirSync(template, { recursive: true })
  createChatDb(join(template, 'chatbot.db'), 500)
  createChromaLike(template)
  writeFileSync(join(template, 'history.csv'), 'q,a\nhi,hello\n')
  writeFileSync(join(template, 'config.json'), '{"model":"small"}\n')
  emulator = await startWorld()
  await emulator.admin.createToken({ token: TOKEN, login: OWNER, permission: 'admin' })
})
afterAll(async () => {
  await emulator.close()
  work.cleanup()
})

let n = 0
/** A data repository and a clone of it with git-lfs set up, as the seed's script has them. */
async function seedRepo(options: { lfs?: boolean } = {}) {
  const repo = `seed-${process.pid}-${++n}`
  await emulator.admin.createRepo({ full_name: `${OWNER}/${repo}`, auto_init: true })
  const base = join(work.dir, `case-${n}`)
  const home = join(base, 'home')
  mkdirSync(home, { recursive: true })
  const env = gitEnv(home, TOKEN)
  if (options.lfs !== false) await gitOk(['lfs', 'install', '--skip-repo'], home, env)
  await gitOk(['clone', '--quiet', `${emulator.url}/${OWNER}/${repo}.git`, 'repo'], home, env)
  const clone = join(home, 'repo')
  writeFileSync(join(clone, '.gitattributes'), SEED_ATTRIBUTES)
  const octokit = createGitHubClient({ ...FAST, token: TOKEN, baseUrl: emulator.url })
  const ctx: RepoContext = { octokit, owner: OWNER, repo }
  /** upload_data: replace data/, add everything, commit "Auto backup - <iso>", push. */
  const upload = async (source: string | null, when: string) => {
    if (source) cpSync(source, join(clone, 'data'), { recursive: true })
    const dated = { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when }
    await gitOk(['add', '.'], clone, dated)
    await gitOk(['commit', '--quiet', '-m', `Auto backup - ${when}`], clone, dated)
    await gitOk(['push', '--quiet', 'origin', 'HEAD:main'], clone, dated)
    return (await gitOk(['rev-parse', 'HEAD'], clone, env)).trim()
  }
  return { base, home, clone, env, ctx, upload, target: join(base, 'app', 'data') }
}

async function refused(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: string; message: string }
  }
  throw new Error('expected a refusal')
}

/** The target holds only `keep.txt`, and no staging folder is left beside it. */
function expectUntouched(target: string) {
  expect([...filesOf(target).keys()]).toEqual(['keep.txt'])
  expect(readdirSync(join(target, '..'))).toEqual(['data'])
}

describe("data: restore of a repository written by the seed's script", () => {
  it('restores byte-identical: latest, a commit, a tag, before:<time>; a repeat downloads nothing', async () => {
    const s = await seedRepo()
    const first = await s.upload(template, '2026-11-01T10:00:00Z')
    writeFileSync(join(s.clone, 'data', 'history.csv'), 'q,a\nhi,hello\nbye,ciao\n')
    const second = await s.upload(null, '2026-11-01T10:30:00Z')
    await gitOk(['tag', 'before-bye', first], s.clone, s.env)
    await gitOk(['push', '--quiet', 'origin', 'before-bye'], s.clone, s.env)

    const cacheDir = join(s.base, 'cache')
    const latest = await restoreDirectory(s.ctx, s.target, { branch: 'main', cacheDir })
    expect(latest).toMatchObject({ restored: true, backupId: null, commitSha: second, files: 9 })
    expect(latest.packs).toEqual({ needed: 3, downloaded: 3, cached: 0 })
    expect(digests(s.target)).toEqual(digests(join(s.clone, 'data')))
    expect(readFileSync(join(s.target, 'history.csv'), 'utf8')).toContain('bye,ciao')

    const again = await restoreDirectory(s.ctx, s.target, { branch: 'main', cacheDir })
    expect(again.downloadedBytes).toBe(0)

    for (const point of [first, 'before-bye', 'before:2026-11-01T10:15:00Z']) {
      const r = await restoreDirectory(s.ctx, s.target, { branch: 'main', cacheDir, point })
      expect(r.commitSha).toBe(first)
      expect(digests(s.target)).toEqual(digests(template))
    }
    expect(filesContaining(s.base, TOKEN)).toEqual([])
    expect(gitArgvLog.flat().filter((a) => a.includes(TOKEN))).toEqual([])
    expect(
      await gitOk(['config', '--list', '--show-origin'], s.clone, gitEnv(s.home))
    ).not.toContain(TOKEN)
  }, 30_000)

  it('a symbolic link in data/ is refused; the target is untouched', async () => {
    const s = await seedRepo()
    mkdirSync(join(s.clone, 'data'))
    writeFileSync(join(s.clone, 'data', 'ok.txt'), 'ok\n')
    symlinkSync('/etc/passwd', join(s.clone, 'data', 'passwd'))
    await s.upload(null, '2026-11-01T10:00:00Z')
    mkdirSync(s.target, { recursive: true })
    writeFileSync(join(s.target, 'keep.txt'), 'mine')
    const error = await refused(
      restoreDirectory(s.ctx, s.target, { branch: 'main', cacheDir: join(s.base, 'c') })
    )
    expect(error).toMatchObject({ code: 'DATA_INTEGRITY', subject: 'passwd' })
    expect(error.message).toMatch(/symbolic link/)
    expectUntouched(s.target)
  }, 20_000)

  it('a ".." entry in the data/ tree is refused before anything is read', async () => {
    // git mktree writes what git fsck would refuse; the emulator's receive-pack takes it as
    // git does without receive.fsckObjects (a server that fscks, like github.com, would not)
    const s = await seedRepo({ lfs: false })
    const blob = await gitInput(['hash-object', '-w', '--stdin'], s.clone, s.env, 'escape\n')
    const dataTree = await gitInput(['mktree'], s.clone, s.env, `100644 blob ${blob}\t..\n`)
    const attributes = await gitInput(
      ['hash-object', '-w', '--stdin'],
      s.clone,
      s.env,
      SEED_ATTRIBUTES
    )
    const root = await gitInput(
      ['mktree'],
      s.clone,
      s.env,
      `100644 blob ${attributes}\t.gitattributes\n040000 tree ${dataTree}\tdata\n`
    )
    const commit = (
      await gitOk(['commit-tree', root, '-p', 'HEAD', '-m', 'Auto backup - x'], s.clone, s.env)
    ).trim()
    await gitOk(['push', '--quiet', 'origin', `${commit}:refs/heads/main`], s.clone, s.env)
    mkdirSync(s.target, { recursive: true })
    writeFileSync(join(s.target, 'keep.txt'), 'mine')
    const error = await refused(
      restoreDirectory(s.ctx, s.target, { branch: 'main', cacheDir: join(s.base, 'c') })
    )
    expect(error).toMatchObject({ code: 'INVALID_DATA_MANIFEST' })
    expect(error.message).toMatch(/"\.\." segment/)
    expectUntouched(s.target)
  }, 20_000)

  it('a pointer whose size lies is refused: smaller than the object, and past any LFS object', async () => {
    // no git-lfs filter in this clone: the pointer text is committed as written
    const s = await seedRepo({ lfs: false })
    const bytes = Buffer.alloc(5000, 9)
    const oid = createHash('sha256').update(bytes).digest('hex')
    const lfs = await lfsClientFor(s.ctx)
    await lfs.uploadMissing([{ oid, size: bytes.length }], () => bytes)
    mkdirSync(join(s.clone, 'data'))
    writeFileSync(join(s.clone, 'data', 'app.db'), lfsPointer({ oid, size: 4000 }))
    await s.upload(null, '2026-11-01T10:00:00Z')
    mkdirSync(s.target, { recursive: true })
    writeFileSync(join(s.target, 'keep.txt'), 'mine')
    const options = { branch: 'main', cacheDir: join(s.base, 'c') }
    const small = await refused(restoreDirectory(s.ctx, s.target, options))
    expect(small).toMatchObject({ code: 'DATA_INTEGRITY', subject: 'app.db' })
    expect(small.message).toMatch(/says 4000 bytes, the object .* has 5000/)
    expectUntouched(s.target)

    writeFileSync(join(s.clone, 'data', 'app.db'), lfsPointer({ oid, size: 6e9 }))
    await s.upload(null, '2026-11-01T10:30:00Z')
    const huge = await refused(restoreDirectory(s.ctx, s.target, options))
    expect(huge).toMatchObject({ code: 'DATA_INTEGRITY', subject: 'app.db' })
    expect(huge.message).toMatch(/claims 6000000000 bytes/)
    expectUntouched(s.target)
  }, 20_000)
})
