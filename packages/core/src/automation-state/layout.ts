/**
 * Where automation state lives on the branch (docs/architecture.md §2.2):
 *
 * ```
 * <account>-account/album-<album id>/posts.json      PostRecord[] sorted by position
 * <account>-account/album-<album id>/failed.json     FailedPosition[] sorted by position
 * <account>-account/album-<album id>/metadata.json   AlbumMetadata (counts derived from the posts)
 * <account>-account/global/config.json              the account's configuration (free-form object)
 * ```
 *
 * Account names are lower-case (`primary`, `secondary`); the legacy variables spell them
 * upper-case (`PRIMARY_ALBUM_<id>_POSTS`). Album ids are lower-cased in paths, because GitHub
 * upper-cases variable names.
 */
import { InvalidOptionsError } from '../errors.js'

/** The three per-album documents. */
export type AlbumFileKind = 'posts' | 'failed' | 'metadata'

const ACCOUNT = /^[a-z0-9][a-z0-9_]*$/
const ALBUM = /^[A-Za-z0-9][A-Za-z0-9_]*$/

/**
 * Checks and normalises an account name: lower-case letters, digits and `_` (so that the
 * upper-cased form is a valid variable name prefix). Upper-case input is lower-cased.
 * @throws InvalidOptionsError
 */
export function normaliseAccount(account: string): string {
  const lower = account.trim().toLowerCase()
  if (!ACCOUNT.test(lower))
    throw new InvalidOptionsError('account', 'letters, digits and "_" (e.g. "primary")', account)
  return lower
}

/**
 * Checks and normalises an album id (Flickr album ids are digits): letters, digits and `_`,
 * lower-cased. @throws InvalidOptionsError
 */
export function normaliseAlbumId(albumId: string | number): string {
  const text = String(albumId).trim()
  if (!ALBUM.test(text))
    throw new InvalidOptionsError(
      'albumId',
      'letters, digits and "_" (e.g. "72157712345")',
      albumId
    )
  return text.toLowerCase()
}

/** `<account>-account/album-<id>` */
export function albumDirectory(account: string, albumId: string | number): string {
  return `${normaliseAccount(account)}-account/album-${normaliseAlbumId(albumId)}`
}

/** The path of one per-album document. */
export function albumFilePath(
  account: string,
  albumId: string | number,
  kind: AlbumFileKind
): string {
  return `${albumDirectory(account, albumId)}/${kind}.json`
}

/** `<account>-account/global/config.json` */
export function accountConfigPath(account: string): string {
  return `${normaliseAccount(account)}-account/global/config.json`
}

/** What a state path names, or `null` for any other path. */
export function parseStatePath(
  path: string
):
  | { kind: AlbumFileKind; account: string; albumId: string }
  | { kind: 'config'; account: string }
  | null {
  let m =
    /^([a-z0-9][a-z0-9_]*)-account\/album-([a-z0-9][a-z0-9_]*)\/(posts|failed|metadata)\.json$/.exec(
      path
    )
  if (m) return { kind: m[3] as AlbumFileKind, account: m[1], albumId: m[2] }
  m = /^([a-z0-9][a-z0-9_]*)-account\/global\/config\.json$/.exec(path)
  return m ? { kind: 'config', account: m[1] } : null
}

/** The legacy variable name of one per-album document: `<ACCOUNT>_ALBUM_<ID>_<KIND>`. */
export function legacyVariableName(
  account: string,
  albumId: string | number,
  kind: AlbumFileKind
): string {
  return `${normaliseAccount(account).toUpperCase()}_ALBUM_${normaliseAlbumId(albumId).toUpperCase()}_${kind.toUpperCase()}`
}
