import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  code,
  codeList,
  escapeText,
  md,
  truncateSummary,
  truncateText,
  writeJobSummary
} from '../src/summary.js'

describe('escapeText', () => {
  it('escape: HTML, links, images, headings, code spans and table pipes show as typed', () => {
    expect(escapeText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;')
    expect(escapeText('![x](https://evil.example/p.png) [y](https://evil.example)')).toBe(
      '&#33;&#91;x&#93;(https://evil.example/p.png) &#91;y&#93;(https://evil.example)'
    )
    expect(escapeText('# title')).toBe('&#35; title')
    expect(escapeText('a `b` | c & "d"')).toBe('a &#96;b&#96; &#124; c &amp; &quot;d&quot;')
  })
  it('escape: a line break cannot start a heading or end the HTML block', () => {
    expect(escapeText('a\n\n# b\r\nc')).toBe('a  &#35; b c')
  })
  it('escape: underscores and slashes are kept (names and paths stay searchable)', () => {
    expect(escapeText('PRIMARY_ALBUM_1/config.json')).toBe('PRIMARY_ALBUM_1/config.json')
  })
})

describe('md, code, codeList', () => {
  it('md: literal text is markup, every interpolated value is escaped', () => {
    expect(md`**${'<b>'}** of ${3}`.markdown).toBe('**&lt;b&gt;** of 3')
    expect(md`id ${code('a<b')}`.markdown).toBe('id `a<b`')
  })
  it('code: backticks inside get a longer fence', () => {
    expect(code('x`y').markdown).toBe('``x`y``')
    expect(code('`x').markdown).toBe('`` `x ``')
  })
  it('codeList: a dash for none, "and N more" past the limit', () => {
    expect(codeList([]).markdown).toBe('—')
    expect(codeList(['a', 'b', 'c'], 2).markdown).toBe('`a`, `b` and 1 more')
  })
  it('truncateText: an ellipsis past the limit', () => {
    expect(truncateText('abcdef', 3)).toBe('abc…')
    expect(truncateText('abc', 3)).toBe('abc')
  })
})

describe('truncateSummary', () => {
  it('limit: a summary over the limit is cut at a row or line and says so', () => {
    const row = `<tr><td>${'x'.repeat(90)}</td></tr>`
    const table = `<table>${row.repeat(100)}</table>\n`
    const cut = truncateSummary(table, 2000)
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(2000)
    expect(cut).toMatch(/<\/tr><\/table>\n\n\*\*Summary truncated\*\*/)
    const lines = truncateSummary('line one\n'.repeat(500), 1000)
    expect(Buffer.byteLength(lines)).toBeLessThanOrEqual(1000)
    expect(lines.startsWith('line one\nline one\n')).toBe(true)
    expect(truncateSummary('short')).toBe('short')
  })
  it('limit: multi-byte text is never cut inside a character', () => {
    const cut = truncateSummary('é'.repeat(2000), 1500)
    expect(cut).not.toContain('\uFFFD')
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(1500)
  })
})

describe('writeJobSummary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hubstore-summary-'))
  afterEach(() => {
    delete process.env.GITHUB_STEP_SUMMARY
  })
  it('write: heading, text and table, every cell escaped', async () => {
    const file = join(dir, 'summary.md')
    writeFileSync(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    await writeJobSummary('hubstore: <x>', [
      { text: md`Reserved ${'[7](https://evil.example)'}.` },
      { table: { header: ['Key', 'Value'], rows: [['<script>', 7]] } }
    ])
    expect(readFileSync(file, 'utf8')).toBe(
      '<h2>hubstore: &lt;x&gt;</h2>\n' +
        'Reserved &#91;7&#93;(https://evil.example).\n' +
        '<table><tr><th>Key</th><th>Value</th></tr><tr><td>&lt;script&gt;</td><td>7</td></tr></table>\n'
    )
    rmSync(dir, { recursive: true, force: true })
  })
  it('write: an empty cell is a dash, every <td> closed', async () => {
    const own = mkdtempSync(join(tmpdir(), 'hubstore-summary-'))
    const file = join(own, 'summary.md')
    writeFileSync(file, '')
    process.env.GITHUB_STEP_SUMMARY = file
    await writeJobSummary('x', [{ table: { header: ['A', 'B'], rows: [['', 1]] } }])
    expect(readFileSync(file, 'utf8')).toContain('<tr><td>—</td><td>1</td></tr>')
    rmSync(own, { recursive: true, force: true })
  })
  it('write: nothing, and no failure, without GITHUB_STEP_SUMMARY', async () => {
    await expect(
      writeJobSummary('x', [
        {
          text: md`
y
          `
        }
      ])
    ).resolves.toBeUndefined()
  })
})
