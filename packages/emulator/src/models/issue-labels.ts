import { LabelDoesNotExist } from '../errors.js'
import type { IssueRecord, LabelRecord, RepoRecord } from '../state.js'
import { DomainEvents } from '../events.js'
import { fullName } from './access.js'
import { emitLabelChanges, type IssuesModel } from './issues.js'
import { labelsWithIds, sortLabels, type LabelsModel } from './labels.js'
import type { ReposModel } from './repos.js'
import type { Caller } from './users.js'

/**
 * Labels on one issue (docs/github-behaviour.md §3.4): add appends, set replaces, remove one
 * answers the remaining labels (404 `Label does not exist` when it is not on the issue).
 * Missing labels are auto-created (`ededed`). Every change bumps the issue's `updated_at`.
 */
export class IssueLabelsModel {
  constructor(
    private readonly repos: ReposModel,
    private readonly labels: LabelsModel,
    private readonly issues: IssuesModel,
    private readonly events: DomainEvents = new DomainEvents()
  ) {}

  /** `issues/list-labels-on-issue`. */
  listLabelsOnIssue(caller: Caller | null, owner: string, name: string, number: number) {
    const repo = this.repos.access(caller, owner, name, 'read')
    const issue = this.issues.findIssue(repo, number)
    return { repo, labels: this.labelsOf(repo, issue) }
  }

  /** `issues/add-labels`: appends `names` (auto-creating missing ones); answers all labels. */
  addLabels(caller: Caller | null, owner: string, name: string, number: number, names: string[]) {
    const { repo, issue } = this.writable(caller, owner, name, number)
    const added = this.labels.resolveOrCreate(repo, names).map((l) => l.id)
    const next = [...issue.labels, ...added.filter((id) => !issue.labels.includes(id))]
    this.replace(caller, repo, issue, next)
    return { repo, labels: this.labelsOf(repo, issue) }
  }

  /** `issues/set-labels`: replaces the issue's labels with `names`; answers them. */
  setLabels(caller: Caller | null, owner: string, name: string, number: number, names: string[]) {
    const { repo, issue } = this.writable(caller, owner, name, number)
    this.replace(
      caller,
      repo,
      issue,
      this.labels.resolveOrCreate(repo, names).map((l) => l.id)
    )
    return { repo, labels: this.labelsOf(repo, issue) }
  }

  /** `issues/remove-label`: throws `LabelDoesNotExist` (404) when not on the issue. */
  removeLabel(caller: Caller | null, owner: string, name: string, number: number, label: string) {
    const { repo, issue } = this.writable(caller, owner, name, number)
    const record = this.labels.findByName(repo, label)
    if (!record || !issue.labels.includes(record.id)) throw new LabelDoesNotExist()
    this.replace(
      caller,
      repo,
      issue,
      issue.labels.filter((id) => id !== record.id)
    )
    return { repo, labels: this.labelsOf(repo, issue) }
  }

  /** `issues/remove-all-labels`. */
  removeAllLabels(caller: Caller | null, owner: string, name: string, number: number): void {
    const { repo, issue } = this.writable(caller, owner, name, number)
    this.replace(caller, repo, issue, [])
  }

  private writable(caller: Caller | null, owner: string, name: string, number: number) {
    const repo = this.repos.access(caller, owner, name, 'write')
    return { repo, issue: this.issues.findIssue(repo, number) }
  }

  private replace(
    caller: Caller | null,
    repo: RepoRecord,
    issue: IssueRecord,
    ids: number[]
  ): void {
    const changed =
      ids.length !== issue.labels.length || ids.some((id, i) => id !== issue.labels[i])
    const before = issue.labels
    issue.labels = ids
    if (changed) this.issues.touch(issue)
    const sender = caller!.user.login
    const event = { name: 'issues', repo: fullName(repo), number: issue.number, sender } as const
    emitLabelChanges(this.events, event, before, ids)
  }

  private labelsOf(repo: RepoRecord, issue: IssueRecord): LabelRecord[] {
    return sortLabels(labelsWithIds(repo, issue.labels))
  }
}
