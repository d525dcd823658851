import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from '@jest/globals'
import { client, OWNER, registerTokens, startTestEmulator, TOKENS } from '../support.js'
import { b64, git, type FileAnswer } from './support.js'

const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

describe('git persistence', () => {
  test('startEmulator({dataDir}): repository content survives a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hubstore-git-persist-'))
    dirs.push(dataDir)
    const r = { owner: OWNER, repo: 'persisted' }
    let first = await startTestEmulator({ dataDir })
    await first.admin.createRepo({ full_name: `${OWNER}/persisted` })
    const put = await client(first, TOKENS.owner).rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'data/x.json',
      message: 'x',
      content: b64('{"x":1}')
    })
    const { path } = await first.admin.gitRepo(`${OWNER}/persisted`)
    expect(path).toBe(join(dataDir, 'git', 'repos', 'octo', 'persisted.git'))
    await first.close()
    expect(existsSync(path)).toBe(true)

    first = await startTestEmulator({ dataDir })
    const octokit = client(first, TOKENS.owner)
    const file = (await octokit.rest.repos.getContent({ ...r, path: 'data/x.json' }))
      .data as unknown as FileAnswer
    expect(Buffer.from(file.content, 'base64').toString()).toBe('{"x":1}')
    expect(file.sha).toBe(put.data.content?.sha)
    const commits = (await octokit.rest.repos.listCommits(r)).data
    expect(commits.map((c) => c.sha)[0]).toBe(put.data.commit.sha)
    const next = await octokit.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'data/x.json',
      message: 'x2',
      content: b64('{"x":2}'),
      sha: file.sha
    })
    expect(next.data.commit.parents?.[0]?.sha).toBe(put.data.commit.sha)
    await first.close()
    expect(git(['--git-dir', path, 'log', '--format=%s', 'main']).trim().split('\n')).toEqual([
      'x2',
      'x',
      'Initial commit'
    ])
  })

  test('POST /_emulator/reset: wipes repository content too', async () => {
    const emulator = await startTestEmulator()
    try {
      await emulator.admin.createRepo({ full_name: `${OWNER}/wiped` })
      await emulator.admin.putFile(`${OWNER}/wiped`, 'old.txt', 'old')
      const { path } = await emulator.admin.gitRepo(`${OWNER}/wiped`)
      await emulator.admin.reset()
      expect(existsSync(path)).toBe(false)
      await registerTokens(emulator)
      await emulator.admin.createRepo({ full_name: `${OWNER}/wiped` })
      const octokit = client(emulator, TOKENS.owner)
      const root = (
        await octokit.request('GET /repos/{owner}/{repo}/contents/', {
          owner: OWNER,
          repo: 'wiped'
        })
      ).data as FileAnswer[]
      expect(root.map((e) => e.name)).toEqual(['README.md'])
      expect(
        (await octokit.rest.repos.listCommits({ owner: OWNER, repo: 'wiped' })).data
      ).toHaveLength(1)
    } finally {
      await emulator.close()
    }
  })
})
