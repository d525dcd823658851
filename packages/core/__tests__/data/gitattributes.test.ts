/**
 * The `.gitattributes` matcher against the real git: for each attributes text, every path gets
 * the same LFS verdict from `isLfsPath` as from `git check-attr filter`.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isLfsPath, lfsAttributesText, parseLfsRules } from '@hubstore/core/data'
import { gitEnv, gitInput, gitOk } from '../../../../test-support/git-cli.js'
import { scratch } from './support.js'

const work = scratch('gitattributes')
afterAll(() => work.cleanup())

const PATHS = [
  'data/chatbot.db',
  'data/a/b/deep.db',
  'data/chroma_db/chroma.sqlite3',
  'data/chroma_db/c0ffee/data_level0.bin',
  'data/chroma_db/index.pkl',
  'data/notes.csv',
  'data/sub/notes.csv',
  'data/x.parquet',
  'data/x.parquet.tmp',
  'data/model.bak',
  'data/readme.txt',
  'data/img/a.png',
  'data/img/b.PNG',
  'data/logs/2026/app.log',
  'data/q?.bin',
  'top.db',
  'packs/0123'
]

const CASES: Record<string, string> = {
  seed: lfsAttributesText(),
  globs: [
    '# comment',
    '',
    'data/img/*.png filter=lfs -text',
    '**/logs/** filter=lfs',
    'data/**/deep.db filter=lfs',
    'data/[nq]*.csv filter=lfs',
    '/top.db filter=lfs',
    'packs/** filter=lfs diff=lfs merge=lfs -text',
    'data/q\\?.bin filter=lfs'
  ].join('\n'),
  overrides: [
    '*.db filter=lfs',
    'data/a/** -filter',
    '*.csv filter=lfs',
    'data/sub/* filter=other',
    'data/chroma_db/ filter=lfs',
    '"data/readme.txt" filter=lfs',
    '*.bak filter=lfs',
    '*.bak !filter',
    '!data/x.parquet filter=lfs'
  ].join('\n')
}

describe('data: .gitattributes LFS patterns as git reads them', () => {
  it.each(Object.keys(CASES))('%s: every path gets git check-attr’s verdict', async (name) => {
    const repo = join(work.dir, name)
    mkdirSync(repo, { recursive: true })
    const env = gitEnv(work.dir)
    await gitOk(['init', '--quiet'], repo, env)
    const text = CASES[name] as string
    writeFileSync(join(repo, '.gitattributes'), text)
    const answer = await gitInput(['check-attr', '--stdin', 'filter'], repo, env, PATHS.join('\n'))
    const git = Object.fromEntries(
      answer.split('\n').map((line) => {
        const [path, , value] = line.split(': ')
        return [path, value === 'lfs']
      })
    )
    const rules = parseLfsRules(text)
    const ours = Object.fromEntries(PATHS.map((p) => [p, isLfsPath(rules, p)]))
    expect(ours).toEqual(git)
    // the cases are not trivial: some paths are LFS, some are not
    expect(Object.values(git)).toContain(true)
    expect(Object.values(git)).toContain(false)
  })
})
