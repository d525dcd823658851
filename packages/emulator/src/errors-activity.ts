import { ApiError } from './errors.js'

/*
 * Errors of the activity endpoints (repositories created, renamed and deleted; pull requests;
 * compare), in GitHub's words (docs/github-behaviour.md §12). Imported from here (not re-exported by
 * `errors.ts`, which this file extends: a re-export would be an import cycle).
 */

/**
 * 422 `Repository creation failed.` with `errors: [{resource: "Repository", code: "custom",
 * field: "name", message}]`: `repos/create-for-authenticated-user` / `repos/create-in-org` with a
 * name the account already has (`name already exists on this account`) or an empty name.
 */
export class RepositoryCreationFailed extends ApiError {
  constructor(message: string) {
    super(422, 'Repository creation failed.', [
      { resource: 'Repository', code: 'custom', field: 'name', message }
    ])
  }
}

/**
 * 422 `Validation Failed` of `pulls/create`: `{resource: "PullRequest", code: "custom", message}`
 * — `No commits between <base> and <head>`, `A pull request already exists for <owner>:<head>.`
 * — or `{resource: "PullRequest", code: "invalid", field: "head"|"base"}` for a missing branch.
 */
export class PullRequestInvalid extends ApiError {
  constructor(item: {
    code: 'custom' | 'invalid' | 'missing_field'
    field?: string
    message?: string
  }) {
    super(422, 'Validation Failed', [{ resource: 'PullRequest', ...item }])
  }
}

/** 405 `Pull Request is not mergeable`: `pulls/merge` of a closed or conflicting pull request. */
export class PullRequestNotMergeable extends ApiError {
  constructor() {
    super(405, 'Pull Request is not mergeable')
  }
}

/** 422 schema error of `pulls/merge`: `merge_method` other than merge, squash, rebase. */
export class MergeMethodNotAllowed extends ApiError {
  constructor(method: string) {
    super(
      422,
      `Invalid request.\n\n${JSON.stringify(method)} is not a member of ["merge", "squash", "rebase"].`
    )
  }
}

/** 409 `Head branch was modified. Review and try the merge again.`: `sha` ≠ the head commit. */
export class HeadBranchWasModified extends ApiError {
  constructor() {
    super(409, 'Head branch was modified. Review and try the merge again.')
  }
}

/** 404 `No common ancestor between <base> and <head>.` (`repos/compare-commits`). */
export class NoCommonAncestor extends ApiError {
  constructor(base: string, head: string) {
    super(404, `No common ancestor between ${base} and ${head}.`)
  }
}
