/**
 * The persist-data action driven as the runner starts a step (real INPUT_* variables, the
 * file commands), against the emulator over real HTTP: backup, status, history, restore.
 */
import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { persistFixture } from './support.js'

const TOKEN = 'ghs_persistDataDistinctToken91c'
const REPO = 'octocat/app-data'
const workspace = mkdtempSync(join(tmpdir(), 'hubstore-persist-'))
const data = join(workspace, 'data')
let log = ''
const fixture = persistFixture({
  repository: REPO,
  token: TOKEN,
  workspace,
  cacheHome: join(workspace, '..', `${workspace.split('/').pop()}-cache`)
})

const step = async (inputs: Record<string, string>) => {
  const r = await fixture.step(inputs)
  log += r.log
  return { ...r.result, log: r.log }
}

function filesOf(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const abs = join(dir, name)
    if (statSync(abs).isFile()) out.set(relative(dir, abs).split('\\').join('/'), readFileSync(abs))
  }
  return out
}

describe('persist-data action', () => {
  let first = ''
  let v1: Map<string, Buffer>

  it('backup: outputs and an escaped job summary listing what changed', async () => {
    mkdirSync(join(data, 'chroma_db'), { recursive: true })
    const db = new DatabaseSync(join(data, 'chatbot.db'))
    db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT)')
    for (let i = 0; i < 100; i++) db.prepare('INSERT INTO messages (body) VALUES (?)').run(`m${i}`)
    db.close()
    writeFileSync(join(data, 'chroma_db', 'data_level0.bin'), randomBytes(200_000))
    writeFileSync(join(data, 'notes<1>|x.csv'), 'a,b\n')
    const r = await step({ mode: 'backup' })
    expect(r.failed).toBe(false)
    expect(r.outputs).toMatchObject({ files: '3', restored: 'false' })
    expect(r.outputs['backup-id']).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/)
    expect(r.outputs['commit-sha']).toMatch(/^[0-9a-f]{40}$/)
    expect(Number(r.outputs['uploaded-bytes'])).toBeGreaterThan(0)
    expect(r.summary).toContain('<h2>hubstore: persist-data</h2>')
    expect(r.summary).toMatch(
      /Backed up 3 file\(s\), [\d.]+ KiB, from `data` as `\S+` \(commit `[0-9a-f]{40}`\)/
    )
    expect(r.summary).toContain('<td>notes&lt;1&gt;&#124;x.csv</td><td>added</td>')
    expect(r.log).toMatch(/upload: 1\/1 pack\(s\), /)
    first = r.outputs['backup-id'] as string
    v1 = filesOf(data)
  })

  it('backup after a change: fewer bytes uploaded; the summary names the changed file only', async () => {
    writeFileSync(join(data, 'notes<1>|x.csv'), 'a,b\n1,2\n')
    const st = await step({ mode: 'status' })
    expect(st.outputs['backup-id']).toBe(first)
    expect(st.summary).toContain('<td>changed</td>')
    const r = await step({ mode: 'backup' })
    expect(r.failed).toBe(false)
    expect(Number(r.outputs['uploaded-bytes'])).toBeLessThan(10_000)
    expect(r.summary).toContain('<td>notes&lt;1&gt;&#124;x.csv</td><td>changed</td>')
    expect(r.summary).not.toContain('data_level0.bin')
    const h = await step({ mode: 'history' })
    expect(h.outputs['backup-id']).toBe(r.outputs['backup-id'])
    expect(h.outputs['commit-sha']).toBe(r.outputs['commit-sha'])
    expect(h.summary).toContain('2 backup(s) on `octocat/app-data@hubstore-data`')
    expect(h.summary.match(/<td>verified<\/td>/g)).toHaveLength(2)
  })

  it('restore: if-missing leaves content alone; a wiped directory comes back; a restore point picks an older backup', async () => {
    const before = filesOf(data)
    const skip = await step({ mode: 'restore', 'if-missing': 'true' })
    expect(skip.outputs).toMatchObject({ restored: 'false', 'backup-id': '' })
    expect(skip.summary).toContain('`data` is not empty: nothing restored (if-missing).')
    expect(filesOf(data)).toEqual(before)

    rmSync(data, { recursive: true })
    const r = await step({ mode: 'restore', 'if-missing': 'true' })
    expect(r.outputs).toMatchObject({ restored: 'true', files: '3' })
    const after = filesOf(data)
    for (const path of ['notes<1>|x.csv', 'chroma_db/data_level0.bin'])
      expect(after.get(path)?.equals(before.get(path) as Buffer)).toBe(true)

    const old = await step({ mode: 'restore', 'restore-point': first })
    expect(old.outputs).toMatchObject({ restored: 'true', 'backup-id': first })
    expect(filesOf(data).get('notes<1>|x.csv')).toEqual(v1.get('notes<1>|x.csv'))
  })

  it('inputs: an unknown mode fails the step naming the input; the token is in no log', async () => {
    const r = await step({ mode: 'sync' })
    expect(r.failed).toBe(true)
    expect(r.log).toContain('mode')
    // the runner reads ::add-mask:: and never shows it; every line it does show must not hold the token
    const shown = log.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(log).toContain(`::add-mask::${TOKEN}`)
    expect(shown.filter((l) => l.includes(TOKEN))).toEqual([])
  })
})
