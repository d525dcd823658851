import { describe, expect, test } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { gitToken } from '../../src/git-http/auth.js'
import { client, OWNER, TOKENS, uniqueRepo, useTestEmulator } from '../support.js'
import {
  basicAuth,
  filesContaining,
  git,
  gitEnv,
  gitOk,
  newGitRepo,
  sha256File,
  useScratchDirs
} from './support.js'

const emulator = useTestEmulator()
const scratch = useScratchDirs()

/** A token no other test uses (long and random, so grepping for it is meaningful). */
async function freshToken(login: string, permission: 'admin' | 'write' | 'read') {
  const token = `ghp_${randomBytes(18).toString('hex')}`
  await emulator.admin.createToken({ token, login, permission })
  return token
}

describe('git smart HTTP', () => {
  test('git clone: clones an auto-initialised public repository anonymously', async () => {
    const r = await newGitRepo(emulator, 'clone')
    const home = scratch('home')
    await emulator.admin.clearLedger()
    await gitOk(['clone', '--quiet', r.url, 'work'], home, gitEnv(home))
    expect(readFileSync(join(home, 'work', 'README.md'), 'utf8')).toBe(`# ${r.repo}\n`)
    const ledger = await emulator.admin.ledger()
    expect(ledger[0]).toMatchObject({
      method: 'GET',
      route: '/{owner}/{repo}.git/info/refs',
      path: `/${OWNER}/${r.repo}.git/info/refs?service=git-upload-pack`,
      status: 200,
      login: null
    })
    expect(ledger.some((e) => e.route === '/{owner}/{repo}.git/git-upload-pack')).toBe(true)
  })

  test('git clone: an empty repository clones empty and accepts a first push', async () => {
    const r = await newGitRepo(emulator, 'empty', { empty: true })
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    const cloned = await git(['clone', r.url, 'work'], home, env)
    expect(cloned.code).toBe(0)
    expect(cloned.stderr).toContain('You appear to have cloned an empty repository.')
    const work = join(home, 'work')
    writeFileSync(join(work, 'first.txt'), 'first\n')
    await gitOk(['add', 'first.txt'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'first'], work, env)
    await gitOk(['push', '--quiet', 'origin', 'HEAD:main'], work, env)
    const { data } = await client(emulator, TOKENS.owner).rest.repos.getContent({
      owner: r.owner,
      repo: r.repo,
      path: 'first.txt'
    })
    expect(data).toMatchObject({ type: 'file', path: 'first.txt' })
  })

  test('git push: the contents API serves a pushed file with the blob SHA git computes', async () => {
    const r = await newGitRepo(emulator, 'push')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    const content = `pushed over smart HTTP ${randomBytes(8).toString('hex')}\n`
    writeFileSync(join(work, 'data.txt'), content)
    await gitOk(['add', 'data.txt'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'add data.txt'], work, env)
    await emulator.admin.clearLedger()
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    const blobSha = (await gitOk(['hash-object', 'data.txt'], work, env)).trim()

    const { data } = await client(emulator, TOKENS.owner).rest.repos.getContent({
      owner: r.owner,
      repo: r.repo,
      path: 'data.txt'
    })
    if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file')
    expect(data.sha).toBe(blobSha)
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(content)

    const ledger = await emulator.admin.ledger()
    expect(ledger).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        route: '/{owner}/{repo}.git/git-receive-pack',
        path: `/${OWNER}/${r.repo}.git/git-receive-pack`,
        status: 200,
        login: OWNER
      })
    )
  })

  test('git push: a 3 MB pack (chunked request body) arrives intact', async () => {
    const r = await newGitRepo(emulator, 'bigpush')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.owner)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    writeFileSync(join(work, 'random.dat'), randomBytes(3 * 1024 * 1024))
    await gitOk(['add', 'random.dat'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'random'], work, env)
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    await gitOk(['clone', '--quiet', r.url, 'again'], home, env)
    expect(sha256File(join(home, 'again', 'random.dat'))).toBe(sha256File(join(work, 'random.dat')))
  })

  test('git pull: a file written by the contents API appears in a pull and a fresh clone', async () => {
    const r = await newGitRepo(emulator, 'pull')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.writer)
    await gitOk(['clone', '--quiet', r.url, 'first'], home, env)
    const content = Buffer.from(`written by the API ${randomBytes(8).toString('hex')}\n`)
    const { data } = await client(emulator, TOKENS.writer).rest.repos.createOrUpdateFileContents({
      owner: r.owner,
      repo: r.repo,
      path: 'docs/api.txt',
      message: 'add docs/api.txt',
      content: content.toString('base64')
    })
    await gitOk(['pull', '--quiet', '--ff-only'], join(home, 'first'), env)
    expect(readFileSync(join(home, 'first', 'docs', 'api.txt'))).toEqual(content)
    expect((await gitOk(['rev-parse', 'HEAD'], join(home, 'first'), env)).trim()).toBe(
      data.commit.sha
    )
    await gitOk(['clone', '--quiet', r.url, 'second'], home, env)
    expect(readFileSync(join(home, 'second', 'docs', 'api.txt'))).toEqual(content)
    expect((await gitOk(['hash-object', 'docs/api.txt'], join(home, 'second'), env)).trim()).toBe(
      data.content?.sha
    )
  })

  test('git push: without credentials git fails on a 401 (no prompt)', async () => {
    const r = await newGitRepo(emulator, 'anonpush')
    const home = scratch('home')
    await gitOk(['clone', '--quiet', r.url, 'work'], home, gitEnv(home))
    const work = join(home, 'work')
    writeFileSync(join(work, 'x.txt'), 'x\n')
    await gitOk(['add', 'x.txt'], work, gitEnv(home))
    await gitOk(['commit', '--quiet', '-m', 'x'], work, gitEnv(home))
    await emulator.admin.clearLedger()
    const pushed = await git(['push', 'origin', 'main'], work, gitEnv(home))
    expect(pushed.code).not.toBe(0)
    expect(pushed.stderr).toContain('terminal prompts disabled')
    expect(await emulator.admin.ledger()).toContainEqual(
      expect.objectContaining({
        route: '/{owner}/{repo}.git/info/refs',
        path: `/${OWNER}/${r.repo}.git/info/refs?service=git-receive-pack`,
        status: 401,
        login: null
      })
    )
    const res = await fetch(`${r.url}/info/refs?service=git-receive-pack`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="GitHub"')
  })

  test("git push: a read token is rejected with 403 and GitHub's message", async () => {
    const r = await newGitRepo(emulator, 'readpush')
    const home = scratch('home')
    const env = gitEnv(home, TOKENS.reader)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    writeFileSync(join(work, 'x.txt'), 'x\n')
    await gitOk(['add', 'x.txt'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'x'], work, env)
    const pushed = await git(['push', 'origin', 'main'], work, env)
    expect(pushed.code).not.toBe(0)
    expect(pushed.stderr).toContain(
      `remote: Permission to ${OWNER}/${r.repo}.git denied to reader.`
    )
    expect(pushed.stderr).toContain('The requested URL returned error: 403')
    const { data } = await client(emulator, TOKENS.reader).rest.repos.getContent({
      owner: r.owner,
      repo: r.repo,
      path: ''
    })
    expect(Array.isArray(data) ? data.map((e) => e.name) : []).toEqual(['README.md'])
  })

  test('git clone: a private repository needs a token that can see it', async () => {
    const r = await newGitRepo(emulator, 'private', { private: true })
    const home = scratch('home')
    const anonymous = await git(['clone', r.url, 'anon'], home, gitEnv(home))
    expect(anonymous.code).not.toBe(0)
    expect(anonymous.stderr).toContain('terminal prompts disabled')
    const limited = `ghp_${randomBytes(18).toString('hex')}`
    await emulator.admin.createToken({
      token: limited,
      login: 'limited',
      permission: 'read',
      repos: [`${OWNER}/some-other-repo`]
    })
    const hidden = await git(['clone', r.url, 'hidden'], home, gitEnv(home, limited))
    expect(hidden.code).not.toBe(0)
    expect(hidden.stderr).toContain('remote: Repository not found.')
    await gitOk(['clone', '--quiet', r.url, 'reader'], home, gitEnv(home, TOKENS.reader))
    expect(readFileSync(join(home, 'reader', 'README.md'), 'utf8')).toBe(`# ${r.repo}\n`)
  })

  test('git clone: an unknown repository answers 404 "Repository not found." as text', async () => {
    const res = await fetch(
      `${emulator.url}/${OWNER}/${uniqueRepo('missing')}.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: basicAuth(TOKENS.owner) } }
    )
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe('Repository not found.\n')
    const anonymous = await fetch(
      `${emulator.url}/${OWNER}/${uniqueRepo('missing')}.git/info/refs?service=git-upload-pack`
    )
    expect(anonymous.status).toBe(401)
    const badToken = await fetch(
      `${emulator.url}/${OWNER}/${uniqueRepo('missing')}.git/info/refs?service=git-upload-pack`,
      { headers: { authorization: basicAuth('no-such-token') } }
    )
    expect(badToken.status).toBe(401)
    expect(await badToken.text()).toBe(
      'Invalid username or token. Password authentication is not supported for Git operations.\n'
    )
  })

  test('gitToken: reads Basic (password, or a lone username), token and Bearer credentials', () => {
    const b64 = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`
    expect(gitToken(undefined)).toBeNull()
    expect(gitToken(b64('x-access-token:ghp_1'))).toBe('ghp_1')
    expect(gitToken(b64('anything:ghp_2'))).toBe('ghp_2')
    expect(gitToken(b64('ghp_3:'))).toBe('ghp_3')
    expect(gitToken(b64('ghp_4'))).toBe('ghp_4')
    expect(gitToken('token ghp_5')).toBe('ghp_5')
    expect(gitToken('Bearer ghp_6')).toBe('ghp_6')
    expect(gitToken('Digest abc')).toBeUndefined()
    expect(gitToken(b64(':'))).toBeUndefined()
  })

  test('info/refs: a private repository accepts token and Bearer Authorization headers', async () => {
    const r = await newGitRepo(emulator, 'bearer', { private: true })
    for (const authorization of [`token ${TOKENS.reader}`, `Bearer ${TOKENS.reader}`]) {
      const res = await fetch(`${r.url}/info/refs?service=git-upload-pack`, {
        headers: { authorization }
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-advertisement')
      await res.arrayBuffer()
    }
  })

  test('git-upload-pack: accepts gzip-encoded and chunked request bodies', async () => {
    const r = await newGitRepo(emulator, 'gzip')
    const request = Buffer.from('0014command=ls-refs\n00010009peel\n0000')
    const headers = {
      'git-protocol': 'version=2',
      'content-type': 'application/x-git-upload-pack-request'
    }
    const gz = await fetch(`${r.url}/git-upload-pack`, {
      method: 'POST',
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: gzipSync(request)
    })
    expect(gz.status).toBe(200)
    expect(gz.headers.get('content-type')).toBe('application/x-git-upload-pack-result')
    const text = await gz.text()
    expect(text).toMatch(/^[0-9a-f]{4}[0-9a-f]{40} HEAD\n/)
    expect(text).toContain(' refs/heads/main\n')
    const chunked = await fetch(`${r.url}/git-upload-pack`, {
      method: 'POST',
      headers,
      body: new Blob([request]).stream(),
      duplex: 'half'
    } as RequestInit)
    expect(await chunked.text()).toBe(text)
  })

  test('credentials: the token never appears in the ledger or in any file under HOME', async () => {
    const r = await newGitRepo(emulator, 'secret')
    const token = await freshToken('secret-user', 'write')
    const home = scratch('home')
    const env = gitEnv(home, token)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    writeFileSync(join(work, 's.txt'), 's\n')
    await gitOk(['add', 's.txt'], work, env)
    await gitOk(['commit', '--quiet', '-m', 's'], work, env)
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    await gitOk(['fetch', '--quiet'], work, env)
    expect(await gitOk(['remote', 'get-url', 'origin'], work, env)).toBe(`${r.url}\n`)
    expect(filesContaining(home, token)).toEqual([])
    const ledger = await emulator.admin.ledger()
    expect(ledger.some((e) => e.login === 'secret-user')).toBe(true)
    expect(ledger.filter((e) => e.path.includes(token))).toEqual([])
  })
})
