import { describe, expect, test } from '@jest/globals'
import { parse } from 'graphql'
import { queryCost } from '../../src/graphql/cost.js'
import { githubSchema } from '../../src/graphql/schema.js'
import { lazyClient, newRepo, OWNER, TOKENS, useTestEmulator } from '../support.js'
import { branch, commitAs } from './support.js'

const emulator = useTestEmulator()
const octokit = lazyClient(emulator, TOKENS.owner)

/** GitHub's formula (docs/github-behaviour.md §12.5): requests ÷ 100, rounded, at least 1. */
function points(requests: number): number {
  return Math.max(1, Math.round(requests / 100))
}

interface RepoAnswer {
  pushedAt: string
  defaultBranchRef: { target: { oid: string; history: { nodes: Array<{ oid: string }> } } }
  issues: { nodes: Array<{ number: number; title: string; updatedAt: string; state: string }> }
  pullRequests: { nodes: Array<{ number: number; state: string; headRefName: string }> }
}

describe('activity: GraphQL for bulk sync', () => {
  test('cost: GitHub’s published example is 5,101 requests, 51 points', async () => {
    const schema = await githubSchema()
    const document = parse(`query {
      viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } }
      } } } }
    }`)
    const op = document.definitions[0] as Parameters<typeof queryCost>[2]
    const cost = queryCost(schema, document, op, {})
    expect(cost.requests).toBe(1 + 100 + 100 * 50)
    expect(cost.cost).toBe(51)
    expect(cost.nodeCount).toBe(100 + 100 * 50 + 100 * 50 * 60)
  })

  test('one query over 100 aliased repositories: pushedAt, head commit, issues since, pull requests; rateLimit.cost by the formula', async () => {
    const repos: Array<{ owner: string; repo: string }> = []
    for (let i = 0; i < 100; i++) repos.push(await newRepo(emulator, `act-gql-${i}`))
    await emulator.admin.advanceClock(60_000)
    const changedAt = (await octokit.rest.issues.create({ ...repos[7], title: 'new' })).data
      .updated_at
    await branch(octokit, repos[9], 'topic')
    await commitAs(octokit, repos[9], 'x.txt', 'x', { branch: 'topic' })
    await octokit.rest.pulls.create({ ...repos[9], title: 'PR', head: 'topic', base: 'main' })
    const fields = `pushedAt
      defaultBranchRef { target { ... on Commit { oid history(first: 1) { nodes { oid } } } } }
      issues(first: 5, filterBy: { since: $since }, orderBy: { field: UPDATED_AT, direction: DESC }) {
        nodes { number title updatedAt state } }
      pullRequests(first: 5, orderBy: { field: UPDATED_AT, direction: DESC }) {
        nodes { number state headRefName } }`
    const aliases = repos
      .map((r, i) => `r${i}: repository(owner: "${r.owner}", name: "${r.repo}") { ${fields} }`)
      .join('\n')
    const before = (await octokit.rest.rateLimit.get()).data.resources.graphql!.remaining
    const data = await octokit.graphql<
      Record<string, RepoAnswer> & {
        rateLimit: { cost: number; remaining: number; resetAt: string }
      }
    >(`query($since: DateTime) { ${aliases} rateLimit { cost remaining resetAt } }`, {
      since: new Date(Date.parse(changedAt) - 1000).toISOString()
    })
    // three connections per repository, each filled by one request
    const expected = points(100 * 3)
    expect(data.rateLimit.cost).toBe(expected)
    expect(expected).toBe(3)
    expect(data.rateLimit.remaining).toBe(before - expected)
    expect(data.rateLimit.resetAt).toMatch(/Z$/)
    const head = await octokit.rest.git.getRef({ ...repos[0], ref: 'heads/main' })
    expect(data.r0.defaultBranchRef.target.oid).toBe(head.data.object.sha)
    expect(data.r0.defaultBranchRef.target.history.nodes).toEqual([{ oid: head.data.object.sha }])
    expect(data.r0.issues.nodes).toEqual([])
    expect(data.r7.issues.nodes).toEqual([
      { number: 1, title: 'new', updatedAt: changedAt, state: 'OPEN' }
    ])
    expect(data.r9.pullRequests.nodes).toEqual([{ number: 1, state: 'OPEN', headRefName: 'topic' }])
    expect(typeof data.r3.pushedAt).toBe('string')
  }, 120_000)

  test('nodes(ids:) over repository node ids; history(since:) keeps newer commits only', async () => {
    const a = await newRepo(emulator, 'act-gql-nodes-a')
    const b = await newRepo(emulator, 'act-gql-nodes-b')
    const ids = [
      (await octokit.rest.repos.get(a)).data.node_id,
      (await octokit.rest.repos.get(b)).data.node_id
    ]
    // `since` is inclusive: the new commit is made at `cut`, the initial commits a minute earlier
    const cut = await emulator.admin.advanceClock(60_000)
    const fresh = await commitAs(octokit, b, 'n.txt', 'n')
    const data = await octokit.graphql<{
      nodes: Array<{
        nameWithOwner: string
        defaultBranchRef: { target: { history: { nodes: Array<{ oid: string }> } } }
      }>
    }>(
      `query($ids: [ID!]!, $since: GitTimestamp) { nodes(ids: $ids) { ... on Repository {
        nameWithOwner
        defaultBranchRef { target { ... on Commit { history(first: 10, since: $since) { nodes { oid } } } } }
      } } }`,
      { ids, since: cut }
    )
    expect(data.nodes.map((n) => n.nameWithOwner)).toEqual([
      `${OWNER}/${a.repo}`,
      `${OWNER}/${b.repo}`
    ])
    expect(data.nodes[0].defaultBranchRef.target.history.nodes).toEqual([])
    expect(data.nodes[1].defaultBranchRef.target.history.nodes).toEqual([{ oid: fresh }])

    // an id that names nothing: `null` in its place and a NOT_FOUND error, the others answered
    const missing = Buffer.from('10:Repository999999').toString('base64')
    const res = await fetch(`${emulator.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `token ${TOKENS.owner}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Repository { nameWithOwner } } }`,
        variables: { ids: [ids[0], missing] }
      })
    })
    const body = (await res.json()) as {
      data: { nodes: Array<{ nameWithOwner: string } | null> }
      errors: Array<{ type: string; path: Array<string | number>; message: string }>
    }
    expect(body.data.nodes).toEqual([{ nameWithOwner: `${OWNER}/${a.repo}` }, null])
    expect(body.errors).toEqual([
      expect.objectContaining({
        type: 'NOT_FOUND',
        path: ['nodes', 1],
        message: `Could not resolve to a node with the global id of '${missing}'.`
      })
    ])
  })
})
