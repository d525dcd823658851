import { ZERO_SHA } from './objects.js'

/**
 * What the git store throws. The models translate each into GitHub's answer
 * (docs/github-behaviour.md §1.2, §2).
 */

/** `commitFiles` found the branch head elsewhere than `expectedHeadOid`. */
export class GitStaleHead extends Error {
  constructor(
    readonly expected: string | null,
    readonly actual: string | null,
    readonly ref = ''
  ) {
    super(`${ref || 'ref'} is at ${actual ?? ZERO_SHA} but expected ${expected ?? ZERO_SHA}`)
    this.name = 'GitStaleHead'
  }
}

/** The branch named in a write does not exist. */
export class GitBranchNotFound extends Error {
  constructor(readonly branch: string) {
    super(`Branch ${branch} not found`)
    this.name = 'GitBranchNotFound'
  }
}

/** A deletion named a path that does not exist in the base tree. */
export class GitPathNotFound extends Error {
  constructor(readonly path: string) {
    super(`${path} does not exist`)
    this.name = 'GitPathNotFound'
  }
}

/** An object id that is not in the repository (or not of the needed type). */
export class GitObjectNotFound extends Error {
  constructor(readonly sha: string) {
    super(`Object ${sha} does not exist`)
    this.name = 'GitObjectNotFound'
  }
}

/** A ref update with `fastForwardOnly` whose new commit does not descend from the current one. */
export class GitNotFastForward extends Error {
  constructor(
    readonly ref: string,
    readonly current: string,
    readonly next: string
  ) {
    super(`Update of ${ref} from ${current} to ${next} is not a fast forward`)
    this.name = 'GitNotFastForward'
  }
}

/** A failed git command (exit code and stderr). */
export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string
  ) {
    super(`git ${args.join(' ')} exited ${code}: ${stderr.trim()}`)
    this.name = 'GitCommandError'
  }
}
