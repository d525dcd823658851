import { describe, expect, test } from '@jest/globals'
import { GraphqlResponseError } from '@octokit/graphql'
import { gitBlobSha } from '../../src/index.js'
import { schemaLoadStats } from '../../src/graphql/schema.js'
import { client, lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'

const emulator = useTestEmulator()
const owner = lazyClient(emulator, TOKENS.owner)
const writer = lazyClient(emulator, TOKENS.writer)
const reader = lazyClient(emulator, TOKENS.reader)

/** One error entry as GitHub sends it. */
interface GqlError {
  type?: string
  path?: Array<string | number>
  locations?: Array<{ line: number; column: number }>
  message: string
  extensions?: Record<string, unknown>
}

/** Awaits a GraphQL call that must fail with `GraphqlResponseError`, and returns it. */
async function gqlFailure(promise: Promise<unknown>): Promise<GraphqlResponseError<unknown>> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(GraphqlResponseError)
    return error as GraphqlResponseError<unknown>
  }
  throw new Error('expected the GraphQL request to fail')
}

function errorsOf(error: GraphqlResponseError<unknown>): GqlError[] {
  return error.errors as unknown as GqlError[]
}

const HEAD_QUERY = `
  query ($owner: String!, $name: String!, $qualifiedName: String!, $path: String!) {
    repository(owner: $owner, name: $name) {
      ref(qualifiedName: $qualifiedName) {
        name
        prefix
        target {
          oid
          ... on Commit {
            file(path: $path) { object { ... on Blob { text oid } } }
          }
        }
      }
    }
  }`

interface HeadAnswer {
  repository: {
    ref: {
      name: string
      prefix: string
      target: { oid: string; file: { object: { text: string; oid: string } } | null }
    } | null
  }
}

const COMMIT_MUTATION = `
  mutation ($input: CreateCommitOnBranchInput!) {
    createCommitOnBranch(input: $input) {
      commit { oid url message }
      ref { name target { oid } }
      clientMutationId
    }
  }`

interface CommitAnswer {
  createCommitOnBranch: {
    commit: { oid: string; url: string; message: string }
    ref: { name: string; target: { oid: string } }
    clientMutationId: string | null
  }
}

function commitInput(
  repo: { owner: string; repo: string },
  expectedHeadOid: string,
  files: Record<string, string>,
  extra: Record<string, unknown> = {}
) {
  return {
    input: {
      branch: { repositoryNameWithOwner: `${repo.owner}/${repo.repo}`, branchName: 'main' },
      expectedHeadOid,
      message: { headline: 'counter: next', body: 'nonce 1' },
      fileChanges: {
        additions: Object.entries(files).map(([path, text]) => ({
          path,
          contents: Buffer.from(text).toString('base64')
        }))
      },
      ...extra
    }
  }
}

/** The head of `main`, read through GraphQL (`defaultBranchRef`). */
async function headOf(repo: { owner: string; repo: string }): Promise<string> {
  const data = await owner.graphql<{
    repository: { defaultBranchRef: { target: { oid: string } } }
  }>(
    'query ($o: String!, $n: String!) { repository(owner: $o, name: $n) { defaultBranchRef { target { oid } } } }',
    { o: repo.owner, n: repo.repo }
  )
  return data.repository.defaultBranchRef.target.oid
}

describe('graphql', () => {
  test('POST /graphql: answers 401 without a token and 401 Bad credentials for an unknown one', async () => {
    const anonymous = await fetch(`${emulator.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { login } }' })
    })
    expect(anonymous.status).toBe(401)
    expect(((await anonymous.json()) as { message: string }).message).toBe(
      'This endpoint requires you to be authenticated.'
    )
    const unknown = await fetch(`${emulator.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'token nope' },
      body: JSON.stringify({ query: '{ viewer { login } }' })
    })
    expect(unknown.status).toBe(401)
    expect(((await unknown.json()) as { message: string }).message).toBe('Bad credentials')
  })

  test('POST /graphql: rate-limit headers name the graphql resource, whose budget is separate from core', async () => {
    const token = 'tok-gql-rate'
    await emulator.admin.createToken({ token, login: 'rater', permission: 'read' })
    const c = client(emulator, token)
    await c.rest.users.getAuthenticated()
    await c.rest.users.getAuthenticated()
    const first = await c.request('POST /graphql', { query: '{ viewer { login } }' })
    expect(first.status).toBe(200)
    expect(first.headers['x-ratelimit-resource']).toBe('graphql')
    expect(first.headers['x-ratelimit-used']).toBe('1')
    expect(first.headers['x-ratelimit-remaining']).toBe('4999')
    const second = await c.request('POST /graphql', {
      query: '{ rateLimit { limit cost remaining used resetAt } }'
    })
    expect(second.headers['x-ratelimit-used']).toBe('2')
    expect(second.data).toEqual({
      data: {
        rateLimit: {
          limit: 5000,
          cost: 1,
          remaining: 4998,
          used: 2,
          resetAt: new Date(Number(second.headers['x-ratelimit-reset']) * 1000)
            .toISOString()
            .replace('.000Z', 'Z')
        }
      }
    })
    const rest = await c.rest.users.getAuthenticated()
    expect(rest.headers['x-ratelimit-resource']).toBe('core')
    expect(rest.headers['x-ratelimit-used']).toBe('3')
    const limits = await c.rest.rateLimit.get()
    expect(limits.data.resources.graphql).toMatchObject({ used: 2, remaining: 4998 })
  })

  test('viewer: answers the token user login; the request is in the ledger as /graphql', async () => {
    await emulator.admin.clearLedger()
    const data = await writer.graphql<{ viewer: { login: string } }>('{ viewer { login } }')
    expect(data).toEqual({ viewer: { login: 'writer' } })
    const ledger = await emulator.admin.ledger()
    expect(ledger.map((e) => [e.method, e.route, e.status, e.login])).toEqual([
      ['POST', '/graphql', 200, 'writer']
    ])
  })

  test('repository: id, name, nameWithOwner and defaultBranchRef of an auto-initialised repository', async () => {
    const r = await newRepo(emulator, 'gql-repo')
    const data = await owner.graphql<{
      repository: {
        id: string
        name: string
        nameWithOwner: string
        defaultBranchRef: { name: string; target: { oid: string } }
      }
    }>(
      `query ($owner: String!, $name: String!) {
        repository(owner: $owner, name: $name) {
          id name nameWithOwner defaultBranchRef { name target { oid } }
        }
      }`,
      { owner: r.owner, name: r.repo }
    )
    const rest = await owner.rest.repos.get(r)
    expect(data.repository).toEqual({
      id: rest.data.node_id,
      name: r.repo,
      nameWithOwner: `${OWNER}/${r.repo}`,
      defaultBranchRef: { name: 'main', target: { oid: expect.stringMatching(/^[0-9a-f]{40}$/) } }
    })
  })

  test('repository: an unknown repository is null with a NOT_FOUND error', async () => {
    const error = await gqlFailure(
      owner.graphql('{ repository(owner: "octo", name: "nope-gql") { id } }')
    )
    expect(error.data).toEqual({ repository: null })
    expect(errorsOf(error)).toEqual([
      {
        type: 'NOT_FOUND',
        path: ['repository'],
        locations: [{ line: 1, column: 3 }],
        message: "Could not resolve to a Repository with the name 'octo/nope-gql'."
      }
    ])
  })

  test('repository.ref: reads the head and a file committed through the contents API', async () => {
    const r = await newRepo(emulator, 'gql-ref')
    const put = await owner.rest.repos.createOrUpdateFileContents({
      ...r,
      path: 'state/counter.json',
      message: 'add counter',
      content: Buffer.from('{"value":1}\n').toString('base64')
    })
    const data = await owner.graphql<HeadAnswer>(HEAD_QUERY, {
      owner: r.owner,
      name: r.repo,
      qualifiedName: 'refs/heads/main',
      path: 'state/counter.json'
    })
    expect(data.repository.ref).toEqual({
      name: 'main',
      prefix: 'refs/heads/',
      target: {
        oid: put.data.commit.sha,
        file: { object: { text: '{"value":1}\n', oid: put.data.content!.sha } }
      }
    })
    const short = await owner.graphql<HeadAnswer>(HEAD_QUERY, {
      owner: r.owner,
      name: r.repo,
      qualifiedName: 'main',
      path: 'missing.json'
    })
    expect(short.repository.ref?.target).toEqual({ oid: put.data.commit.sha, file: null })
    const absent = await owner.graphql<HeadAnswer>(HEAD_QUERY, {
      owner: r.owner,
      name: r.repo,
      qualifiedName: 'refs/heads/nope',
      path: 'x'
    })
    expect(absent.repository.ref).toBeNull()
  })

  test('repository.object: blob by branch:path and HEAD:path, tree, commit by oid and by branch', async () => {
    const r = await newRepo(emulator, 'gql-object')
    await emulator.admin.putFile(`${r.owner}/${r.repo}`, 'data/a.txt', 'alpha\n')
    const head = await headOf(r)
    const data = await owner.graphql<Record<string, unknown>>(
      `query ($owner: String!, $name: String!, $oid: String!) {
        repository(owner: $owner, name: $name) {
          blob: object(expression: "main:data/a.txt") {
            __typename ... on Blob { oid text byteSize isBinary }
          }
          headBlob: object(expression: "HEAD:data/a.txt") { ... on Blob { oid } }
          tree: object(expression: "main:data") {
            ... on Tree { entries { name type oid path } }
          }
          root: object(expression: "main:") { ... on Tree { entries { name type } } }
          byOid: object(expression: $oid) {
            ... on Commit { oid message committedDate history(first: 5) { totalCount nodes { oid } } }
          }
          branch: object(expression: "main") { ... on Commit { oid } }
          missing: object(expression: "main:nope.txt") { oid }
          badRev: object(expression: "nope:data/a.txt") { oid }
        }
      }`,
      { owner: r.owner, name: r.repo, oid: head }
    )
    const blobSha = gitBlobSha(Buffer.from('alpha\n'))
    const commit = await owner.rest.repos.getCommit({ ...r, ref: head })
    const history = await owner.rest.repos.listCommits({ ...r, sha: 'main' })
    expect(data.repository).toEqual({
      blob: { __typename: 'Blob', oid: blobSha, text: 'alpha\n', byteSize: 6, isBinary: false },
      headBlob: { oid: blobSha },
      tree: { entries: [{ name: 'a.txt', type: 'blob', oid: blobSha, path: 'data/a.txt' }] },
      root: {
        entries: [
          { name: 'README.md', type: 'blob' },
          { name: 'data', type: 'tree' }
        ]
      },
      byOid: {
        oid: head,
        message: commit.data.commit.message,
        committedDate: commit.data.commit.committer!.date,
        history: {
          totalCount: history.data.length,
          nodes: history.data.map((c) => ({ oid: c.sha }))
        }
      },
      branch: { oid: head },
      missing: null,
      badRev: null
    })
  })

  test('createCommitOnBranch: commits, moves the branch, and the contents API reads the file back', async () => {
    const r = await newRepo(emulator, 'gql-commit')
    const head = await headOf(r)
    const text = '{"value":42}\n'
    const data = await writer.graphql<CommitAnswer>(
      COMMIT_MUTATION,
      commitInput(r, head, { 'counter.json': text }, { clientMutationId: 'm-1' })
    )
    const result = data.createCommitOnBranch
    expect(result.commit.message).toBe('counter: next\n\nnonce 1')
    expect(result.commit.url).toBe(
      `${emulator.url}/${r.owner}/${r.repo}/commit/${result.commit.oid}`
    )
    expect(result.ref).toEqual({ name: 'main', target: { oid: result.commit.oid } })
    expect(result.clientMutationId).toBe('m-1')
    expect(await headOf(r)).toBe(result.commit.oid)
    const file = await owner.rest.repos.getContent({ ...r, path: 'counter.json' })
    const content = file.data as { sha: string; content: string }
    expect(content.sha).toBe(gitBlobSha(Buffer.from(text)))
    expect(Buffer.from(content.content, 'base64').toString('utf8')).toBe(text)
    const commit = await owner.rest.repos.getCommit({ ...r, ref: result.commit.oid })
    expect(commit.data.parents.map((p) => p.sha)).toEqual([head])
    expect(commit.data.commit.author).toMatchObject({
      name: 'writer',
      email: expect.stringMatching(/^\d+\+writer@users\.noreply\.github\.com$/)
    })
    expect(commit.data.author?.login).toBe('writer')
  })

  test('createCommitOnBranch: deletions remove files; a missing path is UNPROCESSABLE', async () => {
    const r = await newRepo(emulator, 'gql-delete')
    await emulator.admin.putFile(`${r.owner}/${r.repo}`, 'old.txt', 'old\n')
    const head = await headOf(r)
    const input = commitInput(r, head, {}, {})
    input.input.fileChanges = { deletions: [{ path: 'old.txt' }] } as never
    await writer.graphql(COMMIT_MUTATION, input)
    const gone = await owner.graphql<HeadAnswer>(HEAD_QUERY, {
      owner: r.owner,
      name: r.repo,
      qualifiedName: 'main',
      path: 'old.txt'
    })
    expect(gone.repository.ref?.target.file).toBeNull()
    const again = commitInput(r, await headOf(r), {}, {})
    again.input.fileChanges = { deletions: [{ path: 'old.txt' }] } as never
    const error = await gqlFailure(writer.graphql(COMMIT_MUTATION, again))
    expect(errorsOf(error)[0]).toMatchObject({
      type: 'UNPROCESSABLE',
      path: ['createCommitOnBranch']
    })
  })

  test('createCommitOnBranch: a moved head answers STALE_DATA with GitHub exact text and null data', async () => {
    const r = await newRepo(emulator, 'gql-stale')
    const stale = await headOf(r)
    await writer.graphql(COMMIT_MUTATION, commitInput(r, stale, { 'a.txt': '1' }))
    const moved = await headOf(r)
    const error = await gqlFailure(
      writer.graphql(COMMIT_MUTATION, commitInput(r, stale, { 'a.txt': '2' }))
    )
    expect(error.message).toContain(
      `Expected branch to point to "${stale}" but it did not. Pull and try again.`
    )
    expect(error.data).toEqual({ createCommitOnBranch: null })
    expect(errorsOf(error)).toEqual([
      {
        type: 'STALE_DATA',
        path: ['createCommitOnBranch'],
        locations: [{ line: 3, column: 5 }],
        message: `Expected branch to point to "${stale}" but it did not. Pull and try again.`
      }
    ])
    expect(await headOf(r)).toBe(moved)
  })

  test('createCommitOnBranch: 20 concurrent calls with the same expectedHeadOid → one commit, 19 STALE_DATA', async () => {
    const r = await newRepo(emulator, 'gql-race')
    const head = await headOf(r)
    const before = await owner.rest.repos.listCommits({ ...r, sha: 'main' })
    const clients = Array.from({ length: 20 }, () => client(emulator, TOKENS.writer))
    const outcomes = await Promise.allSettled(
      clients.map((c, i) =>
        c.graphql<CommitAnswer>(COMMIT_MUTATION, commitInput(r, head, { 'n.txt': `${i}\n` }))
      )
    )
    const won = outcomes.filter(
      (o): o is PromiseFulfilledResult<CommitAnswer> => o.status === 'fulfilled'
    )
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(19)
    for (const o of lost) {
      expect(o.reason).toBeInstanceOf(GraphqlResponseError)
      expect(errorsOf(o.reason as GraphqlResponseError<unknown>)[0]).toMatchObject({
        type: 'STALE_DATA',
        path: ['createCommitOnBranch']
      })
    }
    const after = await owner.rest.repos.listCommits({ ...r, sha: 'main' })
    expect(after.data.map((c) => c.sha)).toEqual([
      won[0].value.createCommitOnBranch.commit.oid,
      ...before.data.map((c) => c.sha)
    ])
    expect(after.data[0].parents.map((p) => p.sha)).toEqual([head])
  })

  test('createCommitOnBranch: a missing branch is NOT_FOUND', async () => {
    const r = await newRepo(emulator, 'gql-nobranch')
    const input = commitInput(r, await headOf(r), { 'a.txt': 'x' })
    input.input.branch.branchName = 'nope'
    const error = await gqlFailure(writer.graphql(COMMIT_MUTATION, input))
    expect(error.data).toEqual({ createCommitOnBranch: null })
    expect(errorsOf(error)[0]).toMatchObject({ type: 'NOT_FOUND', path: ['createCommitOnBranch'] })
  })

  test('createCommitOnBranch: a read-only token gets FORBIDDEN and nothing is committed', async () => {
    const r = await newRepo(emulator, 'gql-forbidden')
    const head = await headOf(r)
    const error = await gqlFailure(
      reader.graphql(COMMIT_MUTATION, commitInput(r, head, { 'a.txt': 'x' }))
    )
    expect(errorsOf(error)).toEqual([
      {
        type: 'FORBIDDEN',
        path: ['createCommitOnBranch'],
        locations: [{ line: 3, column: 5 }],
        message: 'reader does not have the correct permissions to execute `CreateCommitOnBranch`'
      }
    ])
    const bot = client(emulator, TOKENS.botRead)
    const botError = await gqlFailure(
      bot.graphql(COMMIT_MUTATION, commitInput(r, head, { 'a.txt': 'x' }))
    )
    expect(errorsOf(botError)[0]).toMatchObject({
      type: 'FORBIDDEN',
      message: 'Resource not accessible by integration'
    })
    expect(await headOf(r)).toBe(head)
  })

  test('createCommitOnBranch: the branch may be named by its Ref id', async () => {
    const r = await newRepo(emulator, 'gql-refid')
    const found = await owner.graphql<{ repository: { ref: { id: string } } }>(
      `query ($o: String!, $n: String!) { repository(owner: $o, name: $n) { ref(qualifiedName: "main") { id } } }`,
      { o: r.owner, n: r.repo }
    )
    const input = commitInput(r, await headOf(r), { 'b.txt': 'b' })
    ;(input.input as Record<string, unknown>).branch = { id: found.repository.ref.id }
    const data = await writer.graphql<CommitAnswer>(COMMIT_MUTATION, input)
    expect(await headOf(r)).toBe(data.createCommitOnBranch.commit.oid)
  })

  test('addReaction: three aliased mutations in one document create three reactions seen by REST', async () => {
    const r = await newRepo(emulator, 'gql-react')
    const issue = await owner.rest.issues.create({ ...r, title: 'counter' })
    const comment = await owner.rest.issues.createComment({
      ...r,
      issue_number: issue.data.number,
      body: 'c'
    })
    const data = await writer.graphql<
      Record<string, { reaction: { content: string; id: string }; subject: { id: string } }>
    >(
      `mutation ($issue: ID!, $comment: ID!) {
        a1: addReaction(input: {subjectId: $issue, content: THUMBS_UP}) { reaction { content id } subject { id } }
        a2: addReaction(input: {subjectId: $issue, content: ROCKET}) { reaction { content id } subject { id } }
        a3: addReaction(input: {subjectId: $comment, content: EYES}) { reaction { content id } subject { id } }
      }`,
      { issue: issue.data.node_id, comment: comment.data.node_id }
    )
    expect(Object.keys(data)).toEqual(['a1', 'a2', 'a3'])
    expect(data.a1.reaction.content).toBe('THUMBS_UP')
    expect(data.a2.reaction.content).toBe('ROCKET')
    expect(data.a3).toMatchObject({
      reaction: { content: 'EYES' },
      subject: { id: comment.data.node_id }
    })
    const rolled = await owner.rest.issues.get({ ...r, issue_number: issue.data.number })
    expect(rolled.data.reactions).toMatchObject({ total_count: 2, '+1': 1, rocket: 1 })
    const c = await owner.rest.issues.getComment({ ...r, comment_id: comment.data.id })
    expect(c.data.reactions).toMatchObject({ total_count: 1, eyes: 1 })
    const list = await owner.rest.reactions.listForIssue({ ...r, issue_number: issue.data.number })
    expect(list.data.map((x) => [x.content, x.user?.login, x.node_id])).toEqual([
      ['+1', 'writer', data.a1.reaction.id],
      ['rocket', 'writer', data.a2.reaction.id]
    ])
    // Idempotent per user and content, as the REST create.
    const again = await writer.graphql<{ a: { reaction: { id: string } } }>(
      `mutation ($id: ID!) { a: addReaction(input: {subjectId: $id, content: THUMBS_UP}) { reaction { id } } }`,
      { id: issue.data.node_id }
    )
    expect(again.a.reaction.id).toBe(data.a1.reaction.id)
  })

  test('IssueComment.reactions(content:): node(id:) aliases give totalCount and who reacted, as REST lists them; a deleted comment is null with NOT_FOUND', async () => {
    const r = await newRepo(emulator, 'gql-reactors')
    const issue = await owner.rest.issues.create({ ...r, title: 'reactors' })
    const n = issue.data.number
    const kept = await owner.rest.issues.createComment({ ...r, issue_number: n, body: 'a' })
    const gone = await owner.rest.issues.createComment({ ...r, issue_number: n, body: 'b' })
    for (const [client, content] of [
      [owner, '+1'],
      [writer, '+1'],
      [writer, 'confused'],
      [owner, 'heart']
    ] as const)
      await client.rest.reactions.createForIssueComment({
        ...r,
        comment_id: kept.data.id,
        content
      })
    const connection = (content: string) =>
      `reactions(content: ${content}, first: 100) { totalCount nodes { user { login } } }`
    const query = `query ($a: ID!) { c0: node(id: $a) { ... on IssueComment { up: ${connection('THUMBS_UP')} down: ${connection('CONFUSED')} } } }`
    const data = await owner.graphql<{
      c0: Record<string, { totalCount: number; nodes: Array<{ user: { login: string } }> }>
    }>(query, { a: kept.data.node_id })
    expect(data.c0).toEqual({
      up: { totalCount: 2, nodes: [{ user: { login: 'octo' } }, { user: { login: 'writer' } }] },
      down: { totalCount: 1, nodes: [{ user: { login: 'writer' } }] }
    })
    const rest = await owner.rest.reactions.listForIssueComment({
      ...r,
      comment_id: kept.data.id,
      content: '+1'
    })
    expect(rest.data.map((x) => x.user?.login)).toEqual(['octo', 'writer'])

    await owner.rest.issues.deleteComment({ ...r, comment_id: gone.data.id })
    const error = await gqlFailure(owner.graphql(query, { a: gone.data.node_id }))
    expect(error.data).toEqual({ c0: null })
    expect(errorsOf(error)[0]).toMatchObject({ type: 'NOT_FOUND', path: ['c0'] })
  })

  test('addReaction: an unknown subject id is NOT_FOUND', async () => {
    const error = await gqlFailure(
      writer.graphql(
        'mutation { addReaction(input: {subjectId: "MDU6SXNzdWU5OTk5OTk=", content: HEART}) { reaction { id } } }'
      )
    )
    expect(error.data).toEqual({ addReaction: null })
    expect(errorsOf(error)[0]).toMatchObject({
      type: 'NOT_FOUND',
      path: ['addReaction'],
      message: "Could not resolve to a node with the global id of 'MDU6SXNzdWU5OTk5OTk='."
    })
  })

  test('POST /graphql: a field missing from the schema is a validation error and nothing runs', async () => {
    const r = await newRepo(emulator, 'gql-invalid')
    const issue = await owner.rest.issues.create({ ...r, title: 't' })
    const response = await writer.request('POST /graphql', {
      query: `mutation ($id: ID!) {
  addReaction(input: {subjectId: $id, content: HEART}) { reaction { id } }
  other: addReaction(input: {subjectId: $id, content: EYES}) { reaction { id nope } }
}`,
      variables: { id: issue.data.node_id }
    })
    expect(response.status).toBe(200)
    expect(response.data).toEqual({
      errors: [
        {
          path: ['mutation', 'other', 'reaction', 'nope'],
          extensions: { code: 'undefinedField', typeName: 'Reaction', fieldName: 'nope' },
          locations: [{ line: 3, column: 78 }],
          message: "Field 'nope' doesn't exist on type 'Reaction'"
        }
      ]
    })
    const error = await gqlFailure(
      writer.graphql('query { repository(owner: "o", name: "r") { nope } }')
    )
    expect(errorsOf(error)[0].message).toBe("Field 'nope' doesn't exist on type 'Repository'")
    const rolled = await owner.rest.issues.get({ ...r, issue_number: issue.data.number })
    expect(rolled.data.reactions?.total_count).toBe(0)
  })

  test('POST /graphql: missing arguments, bad variables and syntax errors answer errors without data', async () => {
    const missing = await gqlFailure(writer.graphql('{ repository(owner: "o") { id } }'))
    expect(errorsOf(missing)).toEqual([
      {
        path: ['query', 'repository'],
        extensions: {
          code: 'missingRequiredArguments',
          className: 'Field',
          name: 'repository',
          arguments: 'name'
        },
        locations: [{ line: 1, column: 3 }],
        message: "Field 'repository' is missing required arguments: name"
      }
    ])
    expect(missing.data).toBeUndefined()
    const variables = await gqlFailure(
      writer.graphql(COMMIT_MUTATION, {
        input: { branch: { id: 'x' }, message: { headline: 'h' } }
      })
    )
    expect(errorsOf(variables)[0].message).toBe(
      'Variable $input of type CreateCommitOnBranchInput! was provided invalid value for expectedHeadOid (Expected value to not be null)'
    )
    const syntax = await gqlFailure(writer.graphql('{ viewer { login }'))
    expect(errorsOf(syntax)[0]).toMatchObject({
      extensions: { code: 'parseError' },
      locations: [{ line: 1, column: 19 }]
    })
  })

  test('githubSchema: loaded once per process from @octokit/graphql-schema', () => {
    const stats = schemaLoadStats()
    expect(stats).not.toBeNull()
    console.log(`GitHub GraphQL schema: read ${stats!.readMs} ms, build ${stats!.buildMs} ms`)
  })
})
