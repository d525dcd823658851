import { describe, expect, test } from '@jest/globals'
import { failure, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

describe('commits and branches', () => {
  test('repos/list-commits: newest first, sha and path filters, pagination with link header', async () => {
    const r = await newRepo(emulator, 'commits-list')
    const full = `${OWNER}/${r.repo}`
    for (let i = 1; i <= 5; i++) await emulator.admin.putFile(full, `f${i % 2}.txt`, `v${i}`)
    const all = (await octokit.rest.repos.listCommits({ ...r, per_page: 100 })).data
    expect(all.map((c) => c.commit.message)).toEqual([
      'Update f1.txt',
      'Update f0.txt',
      'Update f1.txt',
      'Update f0.txt',
      'Update f1.txt',
      'Initial commit'
    ])
    const c = all[0]
    expect(c).toMatchObject({
      url: `${emulator.url}/repos/${OWNER}/${r.repo}/commits/${c.sha}`,
      html_url: `${emulator.url}/${OWNER}/${r.repo}/commit/${c.sha}`,
      commit: { tree: { sha: expect.stringMatching(/^[0-9a-f]{40}$/) }, comment_count: 0 }
    })
    expect(c.parents[0].sha).toBe(all[1].sha)
    expect(all[5].author?.login).toBe(OWNER)
    const onlyF0 = (await octokit.rest.repos.listCommits({ ...r, path: 'f0.txt' })).data
    expect(onlyF0).toHaveLength(2)
    const fromOld = (await octokit.rest.repos.listCommits({ ...r, sha: all[3].sha })).data
    expect(fromOld.map((x) => x.sha)).toEqual(all.slice(3).map((x) => x.sha))
    const page = await octokit.rest.repos.listCommits({ ...r, per_page: 2, page: 1 })
    expect(page.data).toHaveLength(2)
    expect(page.headers.link).toContain('rel="next"')
    expect(page.headers.link).toContain(emulator.url)
    const paged = await octokit.paginate(octokit.rest.repos.listCommits, { ...r, per_page: 2 })
    expect(paged.map((x) => x.sha)).toEqual(all.map((x) => x.sha))
    const e = await failure(octokit.rest.repos.listCommits({ ...r, sha: 'nope' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('No commit found for SHA: nope')
  })

  test('repos/get-commit: by SHA or branch, with files and stats; unknown ref 422', async () => {
    const r = await newRepo(emulator, 'commits-get')
    await emulator.admin.putFile(`${OWNER}/${r.repo}`, 'a.txt', 'one\ntwo\n')
    const res = await octokit.rest.repos.getCommit({ ...r, ref: 'main' })
    expect(res.data.commit.message).toBe('Update a.txt')
    expect(res.data.files).toEqual([
      expect.objectContaining({
        filename: 'a.txt',
        status: 'added',
        additions: 2,
        deletions: 0,
        changes: 2
      })
    ])
    expect(res.data.stats).toEqual({ total: 2, additions: 2, deletions: 0 })
    const bySha = await octokit.rest.repos.getCommit({ ...r, ref: res.data.sha })
    expect(bySha.data.sha).toBe(res.data.sha)
    const e = await failure(octokit.rest.repos.getCommit({ ...r, ref: 'nope' }))
    expect(e.status).toBe(422)
    expect(e.response.data.message).toBe('No commit found for SHA: nope')
  })

  test('repos/list-branches and repos/get-branch: names with slashes, 404 Branch not found', async () => {
    const r = await newRepo(emulator, 'branches')
    const head = (await octokit.rest.git.getRef({ ...r, ref: 'heads/main' })).data.object.sha
    await octokit.rest.git.createRef({ ...r, ref: 'refs/heads/state/v1', sha: head })
    const list = (await octokit.rest.repos.listBranches(r)).data
    expect(list).toEqual([
      {
        name: 'main',
        commit: { sha: head, url: `${emulator.url}/repos/${OWNER}/${r.repo}/commits/${head}` },
        protected: false
      },
      expect.objectContaining({ name: 'state/v1' })
    ])
    const one = (await octokit.rest.repos.getBranch({ ...r, branch: 'state/v1' })).data
    expect(one.name).toBe('state/v1')
    expect(one.commit.sha).toBe(head)
    expect(one.commit.commit.message).toBe('Initial commit')
    const raw = await octokit.request(`GET /repos/${OWNER}/${r.repo}/branches/state/v1`)
    expect((raw.data as { name: string }).name).toBe('state/v1')
    const e = await failure(octokit.rest.repos.getBranch({ ...r, branch: 'nope' }))
    expect(e.status).toBe(404)
    expect(e.response.data.message).toBe('Branch not found')
  })
})
