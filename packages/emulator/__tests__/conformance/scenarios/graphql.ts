import { strict as assert } from 'node:assert'
import type { ScenarioGroup } from '../harness.js'

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

const READ = `query Read($owner: String!, $name: String!, $ref: String!, $expr: String!) {
  viewer { login }
  rateLimit { limit cost remaining used resetAt }
  repository(owner: $owner, name: $name) {
    nameWithOwner
    isPrivate
    defaultBranchRef { name target { __typename oid ... on Commit { message committedDate } } }
    ref(qualifiedName: $ref) { name prefix target { oid } }
    file: object(expression: $expr) { ... on Blob { oid text byteSize isBinary } }
    missing: object(expression: "main:nope.json") { oid }
  }
}`

const COMMIT = `mutation Commit($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) {
    commit { oid url messageHeadline parents(first: 1) { nodes { oid } } }
    ref { name target { oid } }
  }
}`

/**
 * `POST /graphql`: documents validated against `@octokit/graphql-schema`, responses
 * re-executed against it (see ../graphql.ts).
 */
export const graphql: ScenarioGroup = {
  name: 'graphql',
  scenarios: [
    {
      title: 'graphql query repository: ref, default branch, blob text, viewer, rateLimit',
      async run(h) {
        const r = await h.newRepo('gql-read')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'state.json', '{"n":1}\n')
        const data = await h.owner.graphql<{
          viewer: { login: string }
          repository: { file: { text: string }; missing: null }
        }>(READ, {
          owner: r.owner,
          name: r.repo,
          ref: 'refs/heads/main',
          expr: 'main:state.json'
        })
        assert.equal(data.repository.file.text, '{"n":1}\n')
        assert.equal(data.repository.missing, null)
      }
    },
    {
      title:
        'graphql createCommitOnBranch: commit with the expected head, STALE_DATA with a stale one',
      async run(h) {
        const r = await h.newRepo('gql-commit')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'state.json', '{"n":1}\n')
        const head = await h.owner.graphql<{ repository: { ref: { target: { oid: string } } } }>(
          `query($owner: String!, $name: String!) {
            repository(owner: $owner, name: $name) { ref(qualifiedName: "main") { target { oid } } }
          }`,
          { owner: r.owner, name: r.repo }
        )
        const expectedHeadOid = head.repository.ref.target.oid
        const input = (headline: string) => ({
          branch: { repositoryNameWithOwner: `${r.owner}/${r.repo}`, branchName: 'main' },
          expectedHeadOid,
          message: { headline },
          fileChanges: { additions: [{ path: 'state.json', contents: b64('{"n":2}\n') }] }
        })
        const ok = await h.owner.graphql<{
          createCommitOnBranch: { commit: { oid: string } }
        }>(COMMIT, { input: input('bump') })
        assert.notEqual(ok.createCommitOnBranch.commit.oid, expectedHeadOid)
        const stale = await h.owner.request('POST /graphql', {
          query: COMMIT,
          variables: { input: input('stale') }
        })
        const body = stale.data as { errors?: Array<{ type?: string }> }
        assert.equal(body.errors?.[0]?.type, 'STALE_DATA')
      }
    },
    {
      title: 'graphql query repository: trees, history, refs connection, node lookup, errors',
      async run(h) {
        const r = await h.newRepo('gql-tree')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'data/a.txt', 'a\n')
        await h.emulator.admin.putFile(`${r.owner}/${r.repo}`, 'b.txt', 'b\n')
        const data = await h.owner.graphql<{ repository: { id: string } }>(
          `query ($owner: String!, $name: String!) {
            repository(owner: $owner, name: $name) {
              id
              viewerPermission
              refs(refPrefix: "refs/heads/", first: 10) { totalCount nodes { name prefix } }
              root: object(expression: "main:") {
                ... on Tree { entries { name path type mode oid extension lineCount } }
              }
              dir: object(expression: "main:data") { ... on Tree { entries { name object { oid } } } }
              head: object(expression: "main") {
                ... on Commit {
                  oid abbreviatedOid messageHeadline committedDate
                  author { name email date }
                  tree { oid }
                  history(first: 5) { totalCount nodes { oid } }
                  file(path: "b.txt") { name object { ... on Blob { text } } }
                }
              }
            }
          }`,
          { owner: r.owner, name: r.repo }
        )
        assert.ok(data.repository.id)
        // `node` serves issues and issue comments (README "GraphQL").
        const issue = await h.owner.rest.issues.create({ ...r, title: 't' })
        const node = await h.owner.graphql<{ node: { __typename: string } }>(
          `query ($id: ID!) {
            node(id: $id) { __typename id ... on Issue { number title } }
          }`,
          { id: issue.data.node_id }
        )
        assert.equal(node.node.__typename, 'Issue')
        // An unknown repository: `repository` is null with a NOT_FOUND error.
        const missing = await h.owner.request('POST /graphql', {
          query: '{ repository(owner: "octo", name: "no-such-repo-gql") { id } }'
        })
        const body = missing.data as { data?: { repository: null }; errors?: unknown[] }
        assert.equal(body.data?.repository, null)
        assert.ok(body.errors?.length)
      }
    },
    {
      title: 'graphql addReaction: reaction on an issue by node id',
      async run(h) {
        const r = await h.newRepo('gql-react')
        const issue = await h.owner.rest.issues.create({ ...r, title: 't' })
        const data = await h.owner.graphql<{
          addReaction: { reaction: { content: string } }
        }>(
          `mutation($id: ID!) {
            addReaction(input: { subjectId: $id, content: HEART }) {
              reaction { content user { login } }
              subject { id ... on Issue { number } }
            }
          }`,
          { id: issue.data.node_id }
        )
        assert.equal(data.addReaction.reaction.content, 'HEART')
      }
    },
    {
      title: 'graphql: a document the schema rejects is answered with errors and no data',
      async run(h) {
        const res = await h.owner.request('POST /graphql', {
          query: '{ repository(owner: "octo", name: "x") { noSuchField } }'
        })
        const body = res.data as { data?: unknown; errors?: unknown[] }
        assert.equal(body.data, undefined)
        assert.ok(Array.isArray(body.errors) && body.errors.length > 0)
      }
    }
  ]
}
