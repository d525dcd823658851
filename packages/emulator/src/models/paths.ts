/**
 * The path rule every emulator write shares (contents PUT/DELETE, git-data create-tree, GraphQL
 * createCommitOnBranch, admin writes): git refuses to check out a tree with an empty, `.`, `..`
 * or `.git` (any case) path component (`verify_path` in git's `read-cache.c`), so GitHub must not
 * build one; hubstore also refuses a leading `/` and control characters (docs/github-behaviour.md
 * §1.3).
 */

/** True when `path` would give a tree git cannot check out, or leave the checkout. */
export function isMalformedPath(path: string): boolean {
  if (path === '' || path.startsWith('/')) return true
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i)
    if (code < 0x20 || code === 0x7f) return true
  }
  return path
    .split('/')
    .some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')
}
