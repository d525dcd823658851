import { createHash } from 'node:crypto'
import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

/** What `git hash-object` prints: sha1 over `blob <byte length>\0<bytes>`. */
function gitHashObject(text: string): string {
  const bytes = Buffer.from(text, 'utf8')
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}

interface FileAnswer {
  type: string
  encoding: string
  content: string
  sha: string
  size: number
  name: string
  path: string
  url: string
  _links: { self: string }
}

describe('contents', () => {
  test('repos/get-content: content-file shape, base64 wrapped every 60 characters, git blob sha', async () => {
    const r = await newRepo(emulator, 'contents-get')
    const text = `# owners\n* @octo @writer\ndata/** @reader — ünïcödé\n${'x'.repeat(200)}\n`
    await emulator.admin.putFile(`octo/${r.repo}`, '.github/CODEOWNERS', text)
    const res = await octokit.rest.repos.getContent({ ...r, path: '.github/CODEOWNERS' })
    const file = res.data as unknown as FileAnswer
    const b64 = Buffer.from(text, 'utf8').toString('base64')
    const lines = b64.match(/.{1,60}/g) ?? []
    expect(file.content).toBe(lines.map((l) => `${l}\n`).join(''))
    expect(
      file.content
        .split('\n')
        .slice(0, -1)
        .every((l) => l.length <= 60)
    ).toBe(true)
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe(text)
    expect(file).toMatchObject({
      type: 'file',
      encoding: 'base64',
      name: 'CODEOWNERS',
      path: '.github/CODEOWNERS',
      size: Buffer.byteLength(text),
      sha: gitHashObject(text)
    })
    expect(file.url).toBe(
      `${emulator.url}/repos/octo/${r.repo}/contents/.github/CODEOWNERS?ref=main`
    )
    expect(gitHashObject('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a')
  })

  test('repos/get-content: %2F-encoded and raw slashes in the path both work; ref is accepted', async () => {
    const r = await newRepo(emulator, 'contents-slashes')
    await emulator.admin.putFile(`octo/${r.repo}`, 'state/a b/data.json', '{"n":1}\n')
    const encoded = await octokit.request(
      `GET /repos/octo/${r.repo}/contents/state%2Fa%20b%2Fdata.json`
    )
    const raw = await octokit.request(
      `GET /repos/octo/${r.repo}/contents/state/a%20b/data.json?ref=main`
    )
    expect((encoded.data as FileAnswer).sha).toBe(gitHashObject('{"n":1}\n'))
    expect((raw.data as FileAnswer).sha).toBe(gitHashObject('{"n":1}\n'))
    const viaMethod = await octokit.rest.repos.getContent({
      ...r,
      path: 'state/a b/data.json',
      ref: 'main'
    })
    expect((viaMethod.data as unknown as FileAnswer).path).toBe('state/a b/data.json')
    const ledger = await emulator.admin.ledger()
    const routes = ledger.filter((e) => e.path.includes(r.repo)).map((e) => e.route)
    expect(new Set(routes)).toEqual(new Set(['/repos/{owner}/{repo}/contents/{path}']))
  })

  test('repos/get-content: a directory lists its entries', async () => {
    const r = await newRepo(emulator, 'contents-dir')
    await emulator.admin.putFile(`octo/${r.repo}`, 'dir/a.txt', 'a')
    await emulator.admin.putFile(`octo/${r.repo}`, 'dir/sub/b.txt', 'b')
    const res = await octokit.rest.repos.getContent({ ...r, path: 'dir' })
    const entries = res.data as unknown as Array<{ type: string; path: string }>
    expect(entries.map((e) => [e.type, e.path])).toEqual([
      ['file', 'dir/a.txt'],
      ['dir', 'dir/sub']
    ])
  })

  test('repos/get-content: a missing path answers 404 Not Found', async () => {
    const r = await newRepo(emulator, 'contents-missing')
    const e = await failure(octokit.rest.repos.getContent({ ...r, path: 'nope.json' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Not Found')
  })
})
