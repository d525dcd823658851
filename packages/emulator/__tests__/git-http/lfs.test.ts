import { describe, expect, test } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { client, OWNER, TOKENS, useTestEmulator } from '../support.js'
import {
  basicAuth,
  filesContaining,
  gitEnv,
  gitOk,
  newGitRepo,
  requireGitLfs,
  sha256File,
  useScratchDirs
} from './support.js'

const LFS = 'application/vnd.git-lfs+json'
const FIVE_MB = 5 * 1024 * 1024

const emulator = useTestEmulator()
const scratch = useScratchDirs()

function oidOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** `POST …/info/lfs/objects/batch` as git-lfs sends it. */
async function batch(
  url: string,
  operation: 'upload' | 'download',
  objects: Array<{ oid: string; size: number }>,
  token?: string
) {
  const res = await fetch(`${url}/info/lfs/objects/batch`, {
    method: 'POST',
    headers: {
      accept: LFS,
      'content-type': LFS,
      ...(token ? { authorization: basicAuth(token) } : {})
    },
    body: JSON.stringify({ operation, transfers: ['basic'], objects })
  })
  return { res, body: (await res.json()) as Record<string, unknown> }
}

async function upload(url: string, oid: string, bytes: Buffer, token: string) {
  return fetch(`${url}/info/lfs/objects/${oid}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', authorization: basicAuth(token) },
    body: bytes
  })
}

describe('Git LFS', () => {
  test('git lfs push: a 5 MB binary round-trips byte-identical through a fresh clone', async () => {
    const home = scratch('home')
    await requireGitLfs(home)
    const r = await newGitRepo(emulator, 'lfs')
    const token = `ghp_${randomBytes(18).toString('hex')}`
    await emulator.admin.createToken({ token, login: 'lfs-pusher', permission: 'write' })
    const env = gitEnv(home, token)
    await gitOk(['lfs', 'install', '--skip-repo'], home, env)
    await gitOk(['clone', '--quiet', r.url, 'work'], home, env)
    const work = join(home, 'work')
    await gitOk(['lfs', 'track', '*.bin'], work, env)
    const bytes = randomBytes(FIVE_MB)
    writeFileSync(join(work, 'big.bin'), bytes)
    await gitOk(['add', '.gitattributes', 'big.bin'], work, env)
    await gitOk(['commit', '--quiet', '-m', 'add big.bin'], work, env)
    await emulator.admin.clearLedger()
    await gitOk(['push', '--quiet', 'origin', 'main'], work, env)
    const oid = oidOf(bytes)
    const pushed = await emulator.admin.ledger()
    expect(pushed).toContainEqual(
      expect.objectContaining({
        method: 'PUT',
        route: '/{owner}/{repo}.git/info/lfs/objects/{oid}',
        path: `/${OWNER}/${r.repo}.git/info/lfs/objects/${oid}`,
        status: 200,
        login: 'lfs-pusher'
      })
    )
    for (const route of ['batch', 'verify'])
      expect(pushed).toContainEqual(
        expect.objectContaining({
          method: 'POST',
          route: `/{owner}/{repo}.git/info/lfs/objects/${route}`,
          status: 200
        })
      )

    // the repository holds the pointer; the contents API shows it as GitHub does
    const { data } = await client(emulator, TOKENS.reader).rest.repos.getContent({
      owner: r.owner,
      repo: r.repo,
      path: 'big.bin'
    })
    if (Array.isArray(data) || data.type !== 'file') throw new Error('expected a file')
    expect(Buffer.from(data.content, 'base64').toString('utf8')).toBe(
      `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${FIVE_MB}\n`
    )

    await gitOk(['clone', '--quiet', r.url, 'fresh'], home, env)
    expect(sha256File(join(home, 'fresh', 'big.bin'))).toBe(oid)
    const anonymousHome = scratch('anon')
    await gitOk(['lfs', 'install', '--skip-repo'], anonymousHome, gitEnv(anonymousHome))
    await gitOk(['clone', '--quiet', r.url, 'anon'], anonymousHome, gitEnv(anonymousHome))
    expect(sha256File(join(anonymousHome, 'anon', 'big.bin'))).toBe(oid)
    expect(await emulator.admin.ledger()).toContainEqual(
      expect.objectContaining({
        method: 'GET',
        route: '/{owner}/{repo}.git/info/lfs/objects/{oid}',
        status: 200,
        login: null
      })
    )

    expect(filesContaining(home, token)).toEqual([])
    expect((await emulator.admin.ledger()).filter((e) => e.path.includes(token))).toEqual([])
  })

  test('lfs batch: a missing object on download is a per-object 404 error', async () => {
    const r = await newGitRepo(emulator, 'missing')
    const oid = oidOf(randomBytes(16))
    const { res, body } = await batch(r.url, 'download', [{ oid, size: 16 }])
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(LFS)
    expect(body).toEqual({
      transfer: 'basic',
      hash_algo: 'sha256',
      objects: [{ oid, size: 16, error: { code: 404, message: 'Object does not exist' } }]
    })
  })

  test('lfs batch: upload answers upload and verify actions on the emulator origin', async () => {
    const r = await newGitRepo(emulator, 'actions')
    const oid = oidOf(Buffer.from('abc'))
    const { res, body } = await batch(r.url, 'upload', [{ oid, size: 3 }], TOKENS.writer)
    expect(res.status).toBe(200)
    expect(body.objects).toEqual([
      {
        oid,
        size: 3,
        authenticated: true,
        actions: {
          upload: {
            href: `${r.url}/info/lfs/objects/${oid}`,
            header: { Authorization: basicAuth(TOKENS.writer) },
            expires_in: 3600
          },
          verify: {
            href: `${r.url}/info/lfs/objects/verify`,
            header: { Authorization: basicAuth(TOKENS.writer) },
            expires_in: 3600
          }
        }
      }
    ])
  })

  test('lfs batch: upload needs write (401 anonymous, 403 with a read token)', async () => {
    const r = await newGitRepo(emulator, 'denied')
    const objects = [{ oid: oidOf(Buffer.from('x')), size: 1 }]
    const anonymous = await batch(r.url, 'upload', objects)
    expect(anonymous.res.status).toBe(401)
    expect(anonymous.res.headers.get('lfs-authenticate')).toBe('Basic realm="GitHub"')
    expect(anonymous.body.message).toBe('Authentication required.')
    const reader = await batch(r.url, 'upload', objects, TOKENS.reader)
    expect(reader.res.status).toBe(403)
    expect(reader.body.message).toBe(`Permission to ${OWNER}/${r.repo}.git denied to reader.`)
    const put = await upload(r.url, objects[0].oid, Buffer.from('x'), TOKENS.reader)
    expect(put.status).toBe(403)
  })

  test('lfs batch: a private repository is 404 "Repository not found." for a token without access', async () => {
    const r = await newGitRepo(emulator, 'private', { private: true })
    const token = `ghp_${randomBytes(18).toString('hex')}`
    await emulator.admin.createToken({
      token,
      login: 'stranger',
      permission: 'write',
      repos: [`${OWNER}/elsewhere`]
    })
    const objects = [{ oid: oidOf(Buffer.from('p')), size: 1 }]
    const hidden = await batch(r.url, 'download', objects, token)
    expect(hidden.res.status).toBe(404)
    expect(hidden.body.message).toBe('Repository not found.')
    const anonymous = await batch(r.url, 'download', objects)
    expect(anonymous.res.status).toBe(401)
    const reader = await batch(r.url, 'download', objects, TOKENS.reader)
    expect(reader.res.status).toBe(200)
  })

  test('lfs upload: bytes that do not hash to the oid are rejected with 422 and not stored', async () => {
    const r = await newGitRepo(emulator, 'corrupt')
    const oid = oidOf(Buffer.from('expected'))
    const put = await upload(r.url, oid, Buffer.from('something else'), TOKENS.writer)
    expect(put.status).toBe(422)
    expect(((await put.json()) as { message: string }).message).toMatch(
      /^Object content has sha256/
    )
    const { body } = await batch(r.url, 'download', [{ oid, size: 8 }])
    expect(body.objects).toEqual([
      { oid, size: 8, error: { code: 404, message: 'Object does not exist' } }
    ])
  })

  test('lfs verify: 200 for a stored object, 422 for a wrong size, 404 when missing', async () => {
    const r = await newGitRepo(emulator, 'verify')
    const bytes = randomBytes(1000)
    const oid = oidOf(bytes)
    expect((await upload(r.url, oid, bytes, TOKENS.writer)).status).toBe(200)
    const verify = (body: unknown) =>
      fetch(`${r.url}/info/lfs/objects/verify`, {
        method: 'POST',
        headers: { accept: LFS, 'content-type': LFS, authorization: basicAuth(TOKENS.writer) },
        body: JSON.stringify(body)
      })
    expect((await verify({ oid, size: 1000 })).status).toBe(200)
    expect((await verify({ oid, size: 999 })).status).toBe(422)
    const missing = await verify({ oid: oidOf(Buffer.from('nope')), size: 4 })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { message: string }).message).toBe('Object does not exist')

    const again = await batch(r.url, 'upload', [{ oid, size: 1000 }], TOKENS.writer)
    expect(again.body.objects).toEqual([{ oid, size: 1000, authenticated: true }])
    const download = await batch(r.url, 'download', [{ oid, size: 1000 }])
    const objects = download.body.objects as Array<{ actions: { download: { href: string } } }>
    const got = await fetch(objects[0].actions.download.href)
    expect(got.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes)
  })
})
