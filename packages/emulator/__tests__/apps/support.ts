import { createSign } from 'node:crypto'
import type { Emulator } from '../../src/index.js'
import { client, OWNER, T0, type TestClient } from '../support.js'

/** `T0` in epoch seconds: the frozen emulator clock of `startTestEmulator`. */
export const T0_S = Math.floor(T0.getTime() / 1000)

/** Signs `claims` as an RS256 JWT with `privateKey` (PEM), exactly as GitHub Apps do. */
export function signJwt(privateKey: string, claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')
  return `${unsigned}.${signature}`
}

/** An App JWT as `universal-github-app-jwt` makes it: `iat = now − 30`, `exp = iat + 600`. */
export function appJwt(privateKey: string, appId: number, nowS = T0_S): string {
  return signJwt(privateKey, { iat: nowS - 30, exp: nowS + 570, iss: appId })
}

/** A registered App with an Octokit client authenticated by its JWT (at `nowS`). */
export interface TestApp {
  id: number
  slug: string
  privateKey: string
  jwtClient: TestClient
}

let apps = 0
/** Registers an App with a unique slug (and `permissions`, when given). */
export async function newApp(
  emulator: Emulator,
  options: { permissions?: Record<string, string>; nowS?: number } = {}
): Promise<TestApp> {
  apps += 1
  const slug = `test-app-${apps}-${process.pid}`
  const created = await emulator.admin.createApp({ slug, permissions: options.permissions })
  return {
    id: created.id,
    slug,
    privateKey: created.private_key,
    jwtClient: client(emulator, appJwt(created.private_key, created.id, options.nowS))
  }
}

/** Mints an installation token through `POST /app/installations/{id}/access_tokens`. */
export async function mintToken(
  app: TestApp,
  installationId: number,
  body: {
    repositories?: string[]
    repository_ids?: number[]
    permissions?: Record<string, string>
  } = {}
): Promise<string> {
  const res = await app.jwtClient.rest.apps.createInstallationAccessToken({
    installation_id: installationId,
    ...body
  })
  return res.data.token
}

export { OWNER }
