/**
 * The persist-data action's `layout` input, driven as the runner starts a step (real INPUT_*
 * variables, the file commands) against the emulator over real HTTP: an `lfs-files` backup puts
 * the files under `data/` on the branch, restore brings them back, a bad value fails the step.
 */
import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Inputs } from '../src/constants.js'
import { persistFixture } from './support.js'

const TOKEN = 'ghs_persistLayoutDistinctToken5a2'
const REPO = 'octocat/app-files'
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-layout-'))
const data = join(workspace, 'data')
let log = ''
const fixture = persistFixture({
  repository: REPO,
  token: TOKEN,
  workspace,
  cacheHome: `${workspace}-cache`
})
const emulator = {
  get url() {
    return fixture.emulator().url
  }
}

const step = async (inputs: Record<string, string>) => {
  const r = await fixture.step(inputs)
  log += r.log
  return { ...r.result, log: r.log }
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

describe('persist-data action: layout', () => {
  it('layout lfs-files: the files sit under data/ on the branch, LFS per the seed patterns; restore brings them back', async () => {
    mkdirSync(join(data, 'chroma_db'), { recursive: true })
    writeFileSync(join(data, 'chroma_db', 'chroma.sqlite3'), Buffer.alloc(4096, 1))
    writeFileSync(join(data, 'notes.csv'), 'a,b\n1,2\n')
    writeFileSync(join(data, 'readme.txt'), 'hello\n')
    const before = {
      db: sha(join(data, 'chroma_db', 'chroma.sqlite3')),
      csv: sha(join(data, 'notes.csv'))
    }
    const r = await step({ mode: 'backup', [Inputs.Layout]: 'lfs-files' })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ files: '3', 'uploaded-bytes': String(4096 + 8) })

    const [owner, repo] = REPO.split('/') as [string, string]
    const read = async (path: string) => {
      const res = await fetch(
        `${emulator.url}/repos/${owner}/${repo}/contents/${path}?ref=hubstore-data`,
        { headers: { authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github.raw+json' } }
      )
      return res.text()
    }
    expect(await read('data/readme.txt')).toBe('hello\n')
    expect(await read('data/notes.csv')).toMatch(
      /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/
    )

    rmSync(data, { recursive: true })
    const restored = await step({ mode: 'restore', 'if-missing': 'true' })
    expect(restored.outputs).toMatchObject({
      restored: 'true',
      files: '3',
      'backup-id': r.outputs['backup-id']
    })
    expect(sha(join(data, 'chroma_db', 'chroma.sqlite3'))).toBe(before.db)
    expect(sha(join(data, 'notes.csv'))).toBe(before.csv)
    expect(readFileSync(join(data, 'readme.txt'), 'utf8')).toBe('hello\n')
  })

  it('an unknown layout fails the step naming the input and the choices; the token is in no log', async () => {
    const r = await step({ mode: 'backup', [Inputs.Layout]: 'zip' })
    expect(r.failed).toBe(true)
    expect(r.log).toMatch(/layout/)
    expect(r.log).toMatch(/chunked or lfs-files/)
    const shown = log.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(shown.filter((l) => l.includes(TOKEN))).toEqual([])
  })
})
