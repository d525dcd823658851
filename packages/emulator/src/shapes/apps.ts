import type { AppsModel } from '../models/apps.js'
import type {
  AppRecord,
  InstallationRecord,
  InstallationTokenRecord
} from '../models/app-records.js'
import type { RepoRecord } from '../state.js'
import { nodeId } from './common.js'
import type { Shapes } from './resources.js'

/**
 * Encoders for GitHub Apps (`integration`, `installation`, `installation-token` of GitHub's
 * OpenAPI description). URLs point at the emulator's origin, as every other shape does.
 */
export class AppShapes {
  constructor(
    private readonly shapes: Shapes,
    private readonly apps: AppsModel
  ) {}

  /** `integration` (`GET /app`), with `installations_count` as GitHub sends it to the App. */
  integration(app: AppRecord): Record<string, unknown> {
    const origin = this.shapes.origin
    return {
      id: app.id,
      slug: app.slug,
      node_id: nodeId('Integration', app.id),
      client_id: app.client_id,
      owner: this.shapes.user(app.owner),
      name: app.name,
      description: null,
      external_url: `${origin}/apps/${encodeURIComponent(app.slug)}`,
      html_url: `${origin}/apps/${encodeURIComponent(app.slug)}`,
      created_at: app.created_at,
      updated_at: app.updated_at,
      permissions: { ...app.permissions },
      events: [...app.events],
      installations_count: this.apps.installationCount(app)
    }
  }

  /** `installation`. */
  installation(installation: InstallationRecord): Record<string, unknown> {
    const origin = this.shapes.origin
    const app = this.apps.appOf(installation)
    const account = this.apps.accountOf(installation)
    return {
      id: installation.id,
      client_id: app.client_id,
      // GitHub's description requires both `simple-user` and `enterprise` fields here.
      account: {
        ...this.shapes.userRecord(account),
        name: account.login,
        slug: account.login.toLowerCase(),
        created_at: installation.created_at,
        updated_at: installation.updated_at
      },
      repository_selection: installation.repository_selection,
      access_tokens_url: `${origin}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${origin}/installation/repositories`,
      html_url: `${origin}/settings/installations/${installation.id}`,
      app_id: app.id,
      app_slug: app.slug,
      target_id: account.id,
      target_type: account.type === 'Organization' ? 'Organization' : 'User',
      permissions: { ...app.permissions },
      events: [...app.events],
      created_at: installation.created_at,
      updated_at: installation.updated_at,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: null,
      suspended_at: null
    }
  }

  /** `installation-token`; `repositories` only when the request narrowed them. */
  installationToken(
    record: InstallationTokenRecord,
    installation: InstallationRecord,
    repositories: RepoRecord[] | null
  ): Record<string, unknown> {
    return {
      token: record.token,
      expires_at: record.expires_at,
      permissions: { ...record.permissions },
      repository_selection: repositories ? 'selected' : installation.repository_selection,
      ...(repositories ? { repositories: repositories.map((r) => this.shapes.repo(r, null)) } : {})
    }
  }
}
