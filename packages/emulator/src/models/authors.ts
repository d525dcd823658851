import type { GitIdent } from '../git/objects.js'
import type { Store, UserRecord } from '../state.js'

/**
 * The GitHub account a git identity belongs to, as GitHub attributes commits
 * (docs/github-behaviour.md §12.1): by the e-mail address only — a `noreply` address
 * (`<id>+<login>@users.noreply.github.com` or `<login>@users.noreply.github.com`) names its
 * account, any other address belongs to the account that registered it (`UserRecord.emails`).
 * The git name is never used. `null` when no account has the address (the REST `author` is then
 * `null`, and the commit is not counted for any login by `repos/list-contributors`).
 */
export function accountForIdent(s: Store, ident: Pick<GitIdent, 'email'>): UserRecord | null {
  const email = ident.email.toLowerCase()
  const m = /^(?:(\d+)\+)?([^@]+)@users\.noreply\.github\.com$/.exec(email)
  if (m) {
    const user = s.data.users[m[2]]
    return user && (m[1] === undefined || user.id === Number(m[1])) ? user : null
  }
  if (email === '') return null
  return Object.values(s.data.users).find((u) => u.emails?.includes(email)) ?? null
}
