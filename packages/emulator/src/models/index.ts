import type { Store } from '../state.js'
import { CommentsModel } from './comments.js'
import { ContentsModel } from './contents.js'
import { IssueLabelsModel } from './issue-labels.js'
import { IssuesModel } from './issues.js'
import { LabelsModel } from './labels.js'
import { ReactionsModel } from './reactions.js'
import { ReposModel } from './repos.js'
import { TeamsModel } from './teams.js'
import { UsersModel } from './users.js'

/** Every model of one emulator instance, sharing its `Store`. */
export class Models {
  readonly users: UsersModel
  readonly repos: ReposModel
  readonly labels: LabelsModel
  readonly issues: IssuesModel
  readonly issueLabels: IssueLabelsModel
  readonly comments: CommentsModel
  readonly reactions: ReactionsModel
  readonly contents: ContentsModel
  readonly teams: TeamsModel

  constructor(readonly store: Store) {
    this.users = new UsersModel(store)
    this.repos = new ReposModel(store, this.users)
    this.labels = new LabelsModel(store, this.repos)
    this.issues = new IssuesModel(store, this.repos, this.labels)
    this.issueLabels = new IssueLabelsModel(this.repos, this.labels, this.issues)
    this.comments = new CommentsModel(store, this.repos, this.issues)
    this.reactions = new ReactionsModel(store, this.repos, this.issues, this.comments)
    this.contents = new ContentsModel(this.repos)
    this.teams = new TeamsModel(store, this.users)
  }
}
