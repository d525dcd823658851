import { DomainEvents } from '../events.js'
import type { GitStore } from '../git/store.js'
import type { Store } from '../state.js'
import { ActivityModel } from './activity.js'
import { AppsModel } from './apps.js'
import { BranchesModel } from './branches.js'
import { CommentsModel } from './comments.js'
import { CommitsModel } from './commits.js'
import { ContentsModel } from './contents.js'
import { GitDataModel } from './git-data.js'
import { IssueLabelsModel } from './issue-labels.js'
import { IssuesModel } from './issues.js'
import { LabelsModel } from './labels.js'
import { NodesModel } from './nodes.js'
import { OrgsModel } from './orgs.js'
import { ReactionsModel } from './reactions.js'
import { PullsModel } from './pulls.js'
import { RepoLifecycleModel } from './repo-lifecycle.js'
import { ReposModel } from './repos.js'
import { RevisionsModel } from './revisions.js'
import { TeamsModel } from './teams.js'
import { UsersModel } from './users.js'
import { VariablesModel } from './variables.js'
import { RepoHooksModel } from '../webhooks/repo-hooks.js'

/** Every model of one emulator instance, sharing its `Store` and `GitStore`; each built once. */
export class Models {
  readonly users: UsersModel
  readonly repos: ReposModel
  readonly labels: LabelsModel
  readonly issues: IssuesModel
  readonly issueLabels: IssueLabelsModel
  readonly comments: CommentsModel
  readonly reactions: ReactionsModel
  readonly contents: ContentsModel
  readonly branches: BranchesModel
  readonly commits: CommitsModel
  readonly gitData: GitDataModel
  readonly revisions: RevisionsModel
  readonly nodes: NodesModel
  readonly teams: TeamsModel
  readonly orgs: OrgsModel
  readonly variables: VariablesModel
  readonly apps: AppsModel
  readonly repoLifecycle: RepoLifecycleModel
  readonly pulls: PullsModel
  readonly activity: ActivityModel
  /** Repository webhooks (`src/webhooks/repo-hooks.ts`). */
  readonly repoHooks: RepoHooksModel
  /** What happened, for the webhook delivery engine (`src/events.ts`). */
  readonly events = new DomainEvents()

  constructor(
    readonly store: Store,
    readonly git: GitStore
  ) {
    this.users = new UsersModel(store)
    this.repos = new ReposModel(store, this.users)
    this.labels = new LabelsModel(store, this.repos)
    this.issues = new IssuesModel(store, this.repos, this.labels, this.events)
    this.issueLabels = new IssueLabelsModel(this.repos, this.labels, this.issues, this.events)
    this.comments = new CommentsModel(store, this.repos, this.issues, this.events)
    this.reactions = new ReactionsModel(store, this.repos, this.issues, this.comments)
    this.contents = new ContentsModel(this.repos, git, this.events)
    this.branches = new BranchesModel(this.contents, git)
    this.commits = new CommitsModel(this.contents, git, store, this.events)
    this.gitData = new GitDataModel(this.contents, git, this.events)
    this.revisions = new RevisionsModel(git)
    this.nodes = new NodesModel(store, this.repos)
    this.teams = new TeamsModel(store, this.users)
    this.orgs = new OrgsModel(store, this.users)
    this.variables = new VariablesModel(store, this.repos)
    this.apps = new AppsModel(store, this.users, this.events)
    this.repoLifecycle = new RepoLifecycleModel(
      store,
      this.repos,
      this.users,
      this.contents,
      git,
      this.events
    )
    this.pulls = new PullsModel(store, this.contents, git, this.events, this.commits)
    this.activity = new ActivityModel(store, this.contents, this.commits, git)
    this.repoHooks = new RepoHooksModel(store, this.repos)
    this.users.otherCredentials = (credential) => this.apps.authenticate(credential)
  }
}
