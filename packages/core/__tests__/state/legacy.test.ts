import { describe, expect, it } from '@jest/globals'
import { compileMapping, readLegacyValue } from '../../src/automation-state/legacy.js'
import { legacyVariableName, parseStatePath } from '../../src/automation-state/layout.js'

const NOW = '2025-03-01T00:00:00.000Z'

describe('compileMapping', () => {
  const defaults = compileMapping()

  it.each([
    ['PRIMARY_ALBUM_72157_POSTS', 'primary-account/album-72157/posts.json', 'posts', 'primary'],
    ['SECONDARY_ALBUM_9_FAILED', 'secondary-account/album-9/failed.json', 'failed', 'secondary'],
    [
      'PRIMARY_ALBUM_ABC_METADATA',
      'primary-account/album-abc/metadata.json',
      'metadata',
      'primary'
    ],
    ['MY_BRAND_ALBUM_5_POSTS', 'my_brand-account/album-5/posts.json', 'posts', 'my_brand']
  ])('target: %s → %s', (name, path, kind, account) => {
    expect(defaults.target(name)).toMatchObject({ path, kind, account })
  })

  it('target: names are matched case-insensitively (GitHub upper-cases them)', () => {
    expect(defaults.target('primary_album_1_posts')?.path).toBe(
      'primary-account/album-1/posts.json'
    )
  })

  it('target: a name no rule matches is null', () => {
    expect(defaults.target('DEPLOY_ENV')).toBeNull()
    expect(defaults.target('PRIMARY_ALBUM_1_POSTS_OLD')).toBeNull()
  })

  it('rules: custom rules come before the defaults; regexes with named groups work', () => {
    const mapping = compileMapping(
      JSON.stringify({
        rules: [
          {
            pattern: '{account}_SETTINGS',
            path: '{account:lower}-account/global/config.json',
            kind: 'config'
          },
          {
            pattern: '^LEGACY_(?<account>[A-Z]+)_(?<album>[0-9]+)$',
            path: '{account:lower}-account/album-{album}/posts.json',
            kind: 'posts'
          },
          { pattern: 'FEATURE_*', path: 'shared/features.json' }
        ]
      })
    )
    expect(mapping.target('PRIMARY_SETTINGS')).toMatchObject({
      path: 'primary-account/global/config.json',
      kind: 'config'
    })
    expect(mapping.target('LEGACY_PRIMARY_12')).toMatchObject({
      path: 'primary-account/album-12/posts.json',
      albumId: '12'
    })
    expect(mapping.target('FEATURE_X')).toMatchObject({
      path: 'shared/features.json',
      kind: 'json'
    })
    expect(mapping.target('PRIMARY_ALBUM_1_FAILED')?.kind).toBe('failed')
  })

  it('rules: include_defaults false leaves only the given rules', () => {
    const mapping = compileMapping({
      rules: [{ pattern: 'X', path: 'x.json' }],
      include_defaults: false
    })
    expect(mapping.target('PRIMARY_ALBUM_1_POSTS')).toBeNull()
  })

  it.each([
    ['{"rules": 1}', 'rules'],
    ['{"rules": [{"pattern": "A", "path": "{nope}.json"}]}', 'rules[0].path'],
    ['{"rules": [{"pattern": "{x}_P", "path": "p.json", "kind": "posts"}]}', 'rules[0].pattern'],
    ['{"rules": [{"pattern": "^(", "path": "p.json"}]}', 'rules[0].pattern'],
    ['{"rules": [{"pattern": "A", "path": "../x.json"}]}', 'rules[0].path'],
    ['{"extra": true}', ''],
    ['not json', '']
  ])('errors: %s is INVALID_MAPPING naming %s', (text, field) => {
    try {
      compileMapping(text)
      throw new Error('no error')
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_MAPPING', field })
    }
  })
})

describe('readLegacyValue', () => {
  const target = (kind: 'posts' | 'failed' | 'metadata' | 'json') => ({
    path: 'x.json',
    kind,
    account: 'primary',
    albumId: '1'
  })

  it('posts: records are enriched and sorted by position', () => {
    const v = readLegacyValue(
      'PRIMARY_ALBUM_1_POSTS',
      '[{"position":2,"photo_id":"b","instagram_post_id":"i2","posted_at":"2025-01-02T00:00:00Z"},{"position":1,"photo_id":"a","instagram_post_id":"i1","posted_at":"2025-01-01T00:00:00Z"}]',
      target('posts'),
      NOW
    )
    expect(
      v.ok && v.kind === 'posts' && v.records.map((r) => [r.position, r.status, r.account])
    ).toEqual([
      [1, 'posted', 'primary'],
      [2, 'posted', 'primary']
    ])
  })

  it('posts: invalid JSON and wrong shapes say what is wrong', () => {
    expect(readLegacyValue('V', '[{', target('posts'), NOW)).toMatchObject({
      ok: false,
      status: 'invalid_json'
    })
    const bad = readLegacyValue('V', '[{"position":1}]', target('posts'), NOW)
    expect(bad).toMatchObject({ ok: false, status: 'invalid_shape' })
    expect(!bad.ok && bad.problem).toContain('[0].photo_id')
  })

  it('posts: the same position twice with different values is refused', () => {
    const v = readLegacyValue(
      'V',
      '[{"position":1,"photo_id":"a"},{"position":1,"photo_id":"b"}]',
      target('posts'),
      NOW
    )
    expect(v).toMatchObject({
      ok: false,
      status: 'invalid_shape',
      problem: 'position 1 appears twice with different values'
    })
  })

  it('failed: positions become failed entries', () => {
    const v = readLegacyValue('PRIMARY_ALBUM_1_FAILED', '[4, 2, "7"]', target('failed'), NOW)
    expect(v.ok && v.kind === 'failed' && v.records.map((r) => r.position)).toEqual([2, 4, 7])
  })

  it('metadata: must be an object', () => {
    expect(readLegacyValue('V', '[1]', target('metadata'), NOW)).toMatchObject({
      ok: false,
      status: 'invalid_shape'
    })
    expect(readLegacyValue('V', '{"total_photos": 50}', target('metadata'), NOW)).toMatchObject({
      ok: true,
      object: { total_photos: 50 }
    })
  })
})

describe('layout', () => {
  it('legacyVariableName: upper-cases account and album', () => {
    expect(legacyVariableName('primary', '72157abc', 'posts')).toBe('PRIMARY_ALBUM_72157ABC_POSTS')
  })

  it('parseStatePath: album files and the account config', () => {
    expect(parseStatePath('primary-account/album-5/failed.json')).toEqual({
      kind: 'failed',
      account: 'primary',
      albumId: '5'
    })
    expect(parseStatePath('primary-account/global/config.json')).toEqual({
      kind: 'config',
      account: 'primary'
    })
    expect(parseStatePath('backups/variables-x.json')).toBeNull()
  })
})
