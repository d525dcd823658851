import { createPublicKey, verify } from 'node:crypto'
import {
  JwtCouldNotBeDecoded,
  JwtExpirationTooFar,
  JwtExpired,
  JwtIssuedAtInvalid
} from '../errors.js'

/** The longest an App JWT may live: `exp` at most 10 minutes after `iat` (docs/github-behaviour.md §7). */
export const JWT_MAX_LIFETIME_S = 600
/**
 * How far in the future (emulator clock) `iat` may lie. GitHub documents none; its docs tell
 * Apps to back-date `iat` by 60 s against clock drift, and `universal-github-app-jwt` back-dates
 * it by 30 s, so 60 s of skew is accepted here.
 */
export const JWT_CLOCK_SKEW_S = 60

/** The claims the emulator reads from an App JWT. */
export interface AppJwtClaims {
  /** The App id (number or numeric string) or its client id. */
  iss: string
  iat: number
  exp: number
}

/** True if `credential` has the shape of a JWT (three base64url parts, a JSON header). */
export function looksLikeJwt(credential: string): boolean {
  return /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(credential)
}

function decodePart(part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown
    if (value && typeof value === 'object' && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // falls through to the decode error
  }
  throw new JwtCouldNotBeDecoded()
}

/** The `iss` of a JWT without checking anything else (to find the App whose key verifies it). */
export function jwtIssuer(jwt: string): string {
  const [, payload] = jwt.split('.')
  const iss = decodePart(payload ?? '').iss
  if (typeof iss !== 'string' && typeof iss !== 'number') throw new JwtCouldNotBeDecoded()
  return String(iss)
}

/**
 * Verifies an RS256 App JWT against `publicKeyPem` and its time claims against `nowS` (epoch
 * seconds, emulator clock): a bad header or signature → `JwtCouldNotBeDecoded`; `iat` missing
 * or later than `nowS + JWT_CLOCK_SKEW_S` → `JwtIssuedAtInvalid`; `exp` missing or not after
 * `nowS` → `JwtExpired`; `exp - iat > JWT_MAX_LIFETIME_S` → `JwtExpirationTooFar`.
 */
export function verifyAppJwt(jwt: string, publicKeyPem: string, nowS: number): AppJwtClaims {
  const [header, payload, signature] = jwt.split('.')
  if (decodePart(header).alg !== 'RS256') throw new JwtCouldNotBeDecoded()
  const ok = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64url')
  )
  if (!ok) throw new JwtCouldNotBeDecoded()
  const claims = decodePart(payload)
  const { iat, exp } = claims
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > nowS + JWT_CLOCK_SKEW_S)
    throw new JwtIssuedAtInvalid()
  if (typeof exp !== 'number' || exp <= nowS) throw new JwtExpired()
  if (exp - iat > JWT_MAX_LIFETIME_S) throw new JwtExpirationTooFar()
  return { iss: String(claims.iss), iat, exp }
}
