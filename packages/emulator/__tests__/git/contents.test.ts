import { describe, expect, test } from '@jest/globals'
import { client, failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { b64, git, gitBytes, hashObject, type FileAnswer } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

async function read(r: { owner: string; repo: string }, path: string, ref?: string) {
  const res = await octokit.rest.repos.getContent({ ...r, path, ...(ref ? { ref } : {}) })
  return res.data as unknown as FileAnswer
}

describe('contents over git', () => {
  test('repos/create-or-update-file-contents: 201 on create, 200 on update, full file-commit answer', async () => {
    const r = await newRepo(emulator, 'put-create')
    const created = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'state/counter.json',
      message: 'counter 1',
      content: b64('{"value":1}\n')
    })
    expect(created.status).toBe(201)
    const sha1 = hashObject('{"value":1}\n')
    expect(created.data.content).toMatchObject({
      name: 'counter.json',
      path: 'state/counter.json',
      sha: sha1,
      size: 12,
      type: 'file',
      url: `${emulator.url}/repos/${OWNER}/${r.repo}/contents/state/counter.json?ref=main`
    })
    const commit = created.data.commit
    expect(commit.message).toBe('counter 1')
    expect(commit.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(commit.parents).toHaveLength(1)
    expect(commit.committer).toMatchObject({ name: 'GitHub', email: 'noreply@github.com' })
    expect(commit.author).toMatchObject({ name: OWNER })
    expect(commit.tree?.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(commit.verification?.verified).toBe(false)

    const updated = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'state/counter.json',
      message: 'counter 2',
      content: b64('{"value":2}\n'),
      sha: sha1,
      committer: { name: 'Bot', email: 'bot@example.com' },
      author: { name: 'Alice', email: 'alice@example.com', date: '2024-05-06T07:08:09Z' }
    })
    expect(updated.status).toBe(200)
    expect(updated.data.commit.parents?.[0]?.sha).toBe(commit.sha)
    expect(updated.data.commit.author).toEqual({
      name: 'Alice',
      email: 'alice@example.com',
      date: '2024-05-06T07:08:09Z'
    })
    expect(updated.data.commit.committer).toMatchObject({ name: 'Bot', email: 'bot@example.com' })
    const file = await read(r, 'state/counter.json')
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toBe('{"value":2}\n')
    expect(file.sha).toBe(hashObject('{"value":2}\n'))
  })

  test('repos/create-or-update-file-contents: an existing path without sha answers 422 "sha" wasn\'t supplied', async () => {
    const r = await newRepo(emulator, 'put-nosha')
    const e = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        ...r,
        path: 'README.md',
        message: 'again',
        content: b64('x')
      })
    )
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.')
    expect(e.response.data.errors).toBeUndefined()
  })

  test('repos/create-or-update-file-contents: a wrong sha answers 409 <path> does not match <sha>', async () => {
    const r = await newRepo(emulator, 'put-wrongsha')
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'a/b.json', '{}')
    for (const sha of ['0'.repeat(40), 'nonsense', hashObject('other')]) {
      const e = await failure(
        octokit.rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'a/b.json',
          message: 'm',
          content: b64('{"x":1}'),
          sha
        })
      )
      expect(e.status).toBe(409)
      expect(e.response.data.message).toBe(`a/b.json does not match ${sha}`)
      expect(e.response.data.status).toBe('409')
    }
  })

  test('repos/create-or-update-file-contents: a new path ignores sha (201)', async () => {
    const r = await newRepo(emulator, 'put-newsha')
    const res = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'new.txt',
      message: 'm',
      content: b64('new'),
      sha: 'f'.repeat(40)
    })
    expect(res.status).toBe(201)
  })

  test('repos/create-or-update-file-contents: an unknown branch answers 404 before the sha check; ?ref= is ignored', async () => {
    const r = await newRepo(emulator, 'put-branch')
    const e = await failure(
      octokit.rest.repos.createOrUpdateFileContents({
        ...r,
        path: 'README.md',
        message: 'm',
        content: b64('x'),
        sha: 'wrong',
        branch: 'nope'
      })
    )
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Branch nope not found')
    // the branch comes from the body: ?ref=state is ignored, the sha is checked on main
    await octokit.rest.git.createRef({
      ...r,
      ref: 'refs/heads/state',
      sha: (await octokit.rest.repos.getBranch({ ...r, branch: 'main' })).data.commit.sha
    })
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'c.json', 'main-version')
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'c.json', 'state-version', {
      branch: 'state'
    })
    const stateSha = (await read(r, 'c.json', 'state')).sha
    expect(stateSha).toBe(hashObject('state-version'))
    const e2 = await failure(
      octokit.request('PUT /repos/{owner}/{repo}/contents/{path}?ref=state', {
        ...r,
        path: 'c.json',
        message: 'm',
        content: b64('2'),
        sha: stateSha
      })
    )
    expect(e2.status).toBe(409)
    expect(e2.response.data.message).toBe(`c.json does not match ${stateSha}`)
  })

  test('repos/create-or-update-file-contents: missing message or content answers 422', async () => {
    const r = await newRepo(emulator, 'put-missing')
    const e1 = await failure(
      octokit.request(`PUT /repos/${OWNER}/${r.repo}/contents/x`, { content: b64('x') })
    )
    expect(e1.status).toBe(422)
    expect(e1.response.data.message).toBe('Invalid request.\n\n"message" wasn\'t supplied.')
    const e2 = await failure(
      octokit.request(`PUT /repos/${OWNER}/${r.repo}/contents/x`, { message: 'm' })
    )
    expect(e2.status).toBe(422)
    expect(e2.response.data.message).toBe('Invalid request.\n\n"content" wasn\'t supplied.')
  })

  test('repos/create-or-update-file-contents: a read token gets 403, anonymous 401', async () => {
    const r = await newRepo(emulator, 'put-perm')
    const bot = client(emulator, TOKENS.botRead)
    const e = await failure(
      bot.rest.repos.createOrUpdateFileContents({
        ...r,
        path: 'x',
        message: 'm',
        content: b64('x')
      })
    )
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe('Resource not accessible by integration')
    const anon = client(emulator)
    const e2 = await failure(
      anon.rest.repos.createOrUpdateFileContents({
        ...r,
        path: 'x',
        message: 'm',
        content: b64('x')
      })
    )
    expect(e2.status).toBe(401)
  })

  test('repos/create-or-update-file-contents: on an empty repository the first PUT creates the default branch', async () => {
    const name = `empty-put-${process.pid}`
    await emulator.admin.createRepo({ full_name: `${OWNER}/${name}`, auto_init: false })
    const r = { owner: OWNER, repo: name }
    const e = await failure(octokit.rest.repos.getContent({ ...r, path: 'README.md' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('This repository is empty.')
    const res = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'first.txt',
      message: 'first',
      content: b64('hello\n')
    })
    expect(res.status).toBe(201)
    expect(res.data.commit.parents).toEqual([])
    const branches = await octokit.rest.repos.listBranches(r)
    expect(branches.data.map((b) => b.name)).toEqual(['main'])
  })

  test('repos/delete-file: 200 with content null; sha required (422), wrong sha 409, missing path 404', async () => {
    const r = await newRepo(emulator, 'delete')
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'dir/gone.txt', 'bye\n')
    const e1 = await failure(
      octokit.request(`DELETE /repos/${OWNER}/${r.repo}/contents/dir/gone.txt`, { message: 'rm' })
    )
    expect(e1.status).toBe(422)
    expect(e1.response.data.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.')
    const e2 = await failure(
      octokit.rest.repos.deleteFile({ ...r, path: 'dir/gone.txt', message: 'rm', sha: 'abc' })
    )
    expect(e2.status).toBe(409)
    expect(e2.response.data.message).toBe('dir/gone.txt does not match abc')
    const e3 = await failure(
      octokit.rest.repos.deleteFile({ ...r, path: 'nope.txt', message: 'rm', sha: 'abc' })
    )
    expect(e3.status).toBe(404)
    expect(e3.response.data.message).toBe('Not Found')
    const e4 = await failure(
      octokit.rest.repos.deleteFile({
        ...r,
        path: 'dir/gone.txt',
        message: 'rm',
        sha: hashObject('bye\n'),
        branch: 'nope'
      })
    )
    expect(e4.status).toBe(404)
    expect(e4.response.data.message).toBe('Branch nope not found')
    const res = await octokit.rest.repos.deleteFile({
      ...r,
      path: 'dir/gone.txt',
      message: 'rm',
      sha: hashObject('bye\n')
    })
    expect(res.status).toBe(200)
    expect(res.data.content).toBeNull()
    expect(res.data.commit.message).toBe('rm')
    const e5 = await failure(octokit.rest.repos.getContent({ ...r, path: 'dir/gone.txt' }))
    expect(e5.status).toBe(404)
    // the emptied directory disappears too
    const e6 = await failure(octokit.rest.repos.getContent({ ...r, path: 'dir' }))
    expect(e6.status).toBe(404)
  })

  test('repos/get-content: base64 wrapped every 60 characters; directory sorted by name with real tree sha', async () => {
    const r = await newRepo(emulator, 'get-shape')
    const text = `${'0123456789'.repeat(20)}\n`
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'd/z.txt', text)
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'd/a.txt', 'a')
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'd/m/n.txt', 'n')
    const file = await read(r, 'd/z.txt')
    const lines = file.content.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.slice(0, -1).every((l) => l.length === 60)).toBe(true)
    expect(file.content.replace(/\n/g, '')).toBe(b64(text))
    expect(file.encoding).toBe('base64')
    expect(file.git_url).toBe(`${emulator.url}/repos/${OWNER}/${r.repo}/git/blobs/${file.sha}`)
    const dir = (await octokit.rest.repos.getContent({ ...r, path: 'd' }))
      .data as unknown as Array<FileAnswer>
    expect(dir.map((e) => [e.type, e.name, e.size])).toEqual([
      ['file', 'a.txt', 1],
      ['dir', 'm', 0],
      ['file', 'z.txt', text.length]
    ])
    const { path } = await emulator.admin.gitRepo(`${OWNER}/${r.repo}`)
    expect(dir[1].sha).toBe(git(['--git-dir', path, 'rev-parse', 'main:d/m']).trim())
    expect(dir[1].download_url).toBeNull()
    const root = (await octokit.request('GET /repos/{owner}/{repo}/contents/', r))
      .data as FileAnswer[]
    expect(root.map((e) => e.name)).toEqual(['README.md', 'd'])
  })

  test('repos/get-content: ref = branch, tag or commit SHA; unknown ref answers 404 No commit found for the ref', async () => {
    const r = await newRepo(emulator, 'get-ref')
    const first = (await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'v.txt', 'one')) as {
      commit: string
    }
    await octokit.rest.git.createRef({ ...r, ref: 'refs/tags/v1', sha: first.commit })
    await octokit.rest.git.createRef({ ...r, ref: 'refs/heads/feature/x', sha: first.commit })
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'v.txt', 'two')
    const text = async (ref?: string) =>
      Buffer.from((await read(r, 'v.txt', ref)).content, 'base64').toString()
    expect(await text()).toBe('two')
    expect(await text('main')).toBe('two')
    expect(await text(first.commit)).toBe('one')
    expect(await text('v1')).toBe('one')
    expect(await text('tags/v1')).toBe('one')
    expect(await text('feature/x')).toBe('one')
    expect(await text('refs/heads/feature/x')).toBe('one')
    expect((await read(r, 'v.txt', 'feature/x')).url).toBe(
      `${emulator.url}/repos/${OWNER}/${r.repo}/contents/v.txt?ref=feature%2Fx`
    )
    for (const ref of ['nope', 'f'.repeat(40)]) {
      const e = await failure(octokit.rest.repos.getContent({ ...r, path: 'v.txt', ref }))
      expect(e.status).toBe(404)
      expect(e.response.data.message).toBe(`No commit found for the ref ${ref}`)
    }
  })

  test('repos/get-content: over 1 MB answers 403 too_large; raw and object media types work', async () => {
    const r = await newRepo(emulator, 'get-large')
    const big = Buffer.alloc(1_048_577, 'a')
    await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'big.bin',
      message: 'big',
      content: big.toString('base64')
    })
    const exact = Buffer.alloc(1_048_576, 'b')
    await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'exact.bin',
      message: 'exact',
      content: exact.toString('base64')
    })
    expect((await read(r, 'exact.bin')).size).toBe(1_048_576)
    const e = await failure(octokit.rest.repos.getContent({ ...r, path: 'big.bin' }))
    expect(e.status).toBe(403)
    expect(e.response.data.message).toBe(
      'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.'
    )
    expect(e.response.data.errors).toEqual([{ resource: 'Blob', field: 'data', code: 'too_large' }])
    const raw = await fetch(`${emulator.url}/repos/${OWNER}/${r.repo}/contents/big.bin`, {
      headers: { accept: 'application/vnd.github.raw+json', authorization: `token ${TOKENS.owner}` }
    })
    expect(raw.status).toBe(200)
    expect(raw.headers.get('content-type')).toBe('application/vnd.github.raw; charset=utf-8')
    expect(Buffer.from(await raw.arrayBuffer()).equals(big)).toBe(true)
    const viaOctokit = await octokit.rest.repos.getContent({
      ...r,
      path: 'big.bin',
      mediaType: { format: 'raw' }
    })
    expect(String(viaOctokit.data)).toBe(big.toString())
    const object = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...r,
      path: 'big.bin',
      headers: { accept: 'application/vnd.github.object+json' }
    })
    expect(object.data).toMatchObject({
      type: 'file',
      content: '',
      encoding: 'none',
      size: big.length
    })
    expect((object.data as FileAnswer).sha).toBe(hashObject(big))
    const dirObject = await octokit.request('GET /repos/{owner}/{repo}/contents/', {
      ...r,
      headers: { accept: 'application/vnd.github.object+json' }
    })
    const listing = dirObject.data as { type: string; entries: Array<{ name: string }> }
    expect(listing.type).toBe('dir')
    expect(listing.entries.map((x) => x.name)).toEqual(['README.md', 'big.bin', 'exact.bin'])
  })

  test('repos/create-or-update-file-contents: 20 concurrent PUTs with the same sha → one 2xx, 19 × 409, no lost commit', async () => {
    const r = await newRepo(emulator, 'race')
    const full = `${OWNER}/${r.repo}`
    await emulator.admin.putFile(full, 'counter.json', '{"value":0}\n')
    const sha = hashObject('{"value":0}\n')
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        client(emulator, TOKENS.owner).rest.repos.createOrUpdateFileContents({
          ...r,
          path: 'counter.json',
          message: `writer ${i}`,
          content: b64(`{"value":1,"writer":${i}}\n`),
          sha
        })
      )
    )
    const ok = results.filter((x) => x.status === 'fulfilled')
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')
    expect(ok).toHaveLength(1)
    expect(failed).toHaveLength(19)
    for (const f of failed) {
      const err = f.reason as { status: number; response: { data: { message: string } } }
      expect(err.status).toBe(409)
      expect(err.response.data.message).toBe(`counter.json does not match ${sha}`)
    }
    const commits = (await octokit.rest.repos.listCommits({ ...r, per_page: 100 })).data
    expect(commits.map((c) => c.commit.message)).toEqual([
      (ok[0] as PromiseFulfilledResult<{ data: { commit: { message?: string } } }>).value.data
        .commit.message,
      'Update counter.json',
      'Initial commit'
    ])
    for (let i = 0; i < commits.length - 1; i++)
      expect(commits[i].parents.map((p) => p.sha)).toEqual([commits[i + 1].sha])
    const history = await emulator.admin.refHistory(full)
    expect(history.map((h) => h.sha)).toEqual(commits.map((c) => c.sha).reverse())
  })

  test('repos/create-or-update-file-contents: 10 writers retrying on 409 each land exactly once (no lost update)', async () => {
    const r = await newRepo(emulator, 'race-retry')
    const full = `${OWNER}/${r.repo}`
    await emulator.admin.putFile(full, 'n.json', '{"value":0}\n')
    const writer = async (id: number) => {
      const c = client(emulator, TOKENS.owner)
      for (;;) {
        const cur = (await c.rest.repos.getContent({ ...r, path: 'n.json' }))
          .data as unknown as FileAnswer
        const value = (
          JSON.parse(Buffer.from(cur.content, 'base64').toString()) as { value: number }
        ).value
        try {
          await c.rest.repos.createOrUpdateFileContents({
            ...r,
            path: 'n.json',
            message: `n=${value + 1} by ${id}`,
            content: b64(`{"value":${value + 1}}\n`),
            sha: cur.sha
          })
          return value + 1
        } catch (error) {
          if ((error as { status: number }).status !== 409) throw error
        }
      }
    }
    const issued = await Promise.all(Array.from({ length: 10 }, (_, i) => writer(i)))
    expect([...issued].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const final = await read(r, 'n.json')
    expect(Buffer.from(final.content, 'base64').toString()).toBe('{"value":10}\n')
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, { ...r, per_page: 5 })
    expect(commits).toHaveLength(12)
    const history = await emulator.admin.refHistory(full)
    expect(history.map((h) => h.sha)).toEqual(commits.map((c) => c.sha).reverse())
  })

  test('contents: blob SHAs equal git hash-object; PUT files are visible to git show; git CLI commits are read after refsChanged', async () => {
    const r = await newRepo(emulator, 'parity')
    const full = `${OWNER}/${r.repo}`
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0x80, 0x41])
    const res = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'bin/data.bin',
      message: 'binary',
      content: bytes.toString('base64')
    })
    expect(res.data.content?.sha).toBe(hashObject(bytes))
    const { path } = await emulator.admin.gitRepo(full)
    expect(git(['--git-dir', path, 'show', 'main:README.md'])).toBe(`# ${r.repo}\n`)
    const shown = gitBytes(['--git-dir', path, 'cat-file', 'blob', 'main:bin/data.bin'])
    expect(shown.equals(bytes)).toBe(true)
    expect(git(['--git-dir', path, 'fsck', '--strict', '--no-dangling'])).toBe('')
    expect(git(['--git-dir', path, 'rev-parse', 'main']).trim()).toBe(res.data.commit.sha)

    // commit directly with git plumbing, then tell the emulator
    const blob = git(['--git-dir', path, 'hash-object', '-w', '--stdin'], 'from git\n').trim()
    const tree = git(['--git-dir', path, 'mktree'], `100644 blob ${blob}\tcli.txt\n`).trim()
    const head = git(['--git-dir', path, 'rev-parse', 'main']).trim()
    const base = git(['--git-dir', path, 'rev-parse', 'main^{tree}']).trim()
    const merged = git(
      ['--git-dir', path, 'mktree'],
      git(['--git-dir', path, 'ls-tree', base]) + `100644 blob ${blob}\tcli.txt\n`
    ).trim()
    expect(tree).toMatch(/^[0-9a-f]{40}$/)
    const commit = git([
      '--git-dir',
      path,
      'commit-tree',
      merged,
      '-p',
      head,
      '-m',
      'from cli'
    ]).trim()
    git(['--git-dir', path, 'update-ref', 'refs/heads/main', commit, head])
    await emulator.admin.refsChanged(full)
    const file = await read(r, 'cli.txt')
    expect(file.sha).toBe(blob)
    expect(Buffer.from(file.content, 'base64').toString()).toBe('from git\n')
    const history = await emulator.admin.refHistory(full)
    expect(history[history.length - 1].sha).toBe(commit)
  })
})
