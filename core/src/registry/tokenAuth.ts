/**
 * The Bearer token flow of the distribution spec: the request to the realm (GET with Basic
 * credentials and `account`, or POST `grant_type=refresh_token` with an identity token) and
 * the reading of its answer (`token` or `access_token`, `expires_in`). Where the realm may be
 * and what it receives is decided in authPolicy.ts.
 */
import type { Credentials } from './credentials';
import { RegistryError, registryErrorCodes } from './errors';

export interface TokenRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** The request for a token for `scopes` at a checked realm URL. */
export function tokenRequest(
  realm: URL,
  service: string | undefined,
  scopes: readonly string[],
  credentials: Credentials | undefined,
): TokenRequest {
  const url = new URL(realm);
  if (credentials?.kind === 'identityToken') {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.token, client_id: 'green-cloud' });
    if (service) form.set('service', service);
    if (scopes.length) form.set('scope', scopes.join(' '));
    return {
      url: url.toString(),
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    };
  }
  if (service) url.searchParams.set('service', service);
  for (const s of scopes) url.searchParams.append('scope', s);
  const headers: Record<string, string> = {};
  if (credentials?.kind === 'basic') {
    url.searchParams.set('account', credentials.username);
    headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  return { url: url.toString(), method: 'GET', headers };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The token and when to renew it, from the realm's answer; a RegistryError naming the token server otherwise. */
export function readTokenAnswer(
  status: number,
  body: Buffer,
  context: { peer: string; registry: string; scopes: readonly string[]; withCredentials: boolean; redact: (text: string) => string },
): { token: string; expiresAt: number } {
  const { peer, registry, scopes } = context;
  const codes = status >= 300 ? context.redact(registryErrorCodes(body.toString('utf8'))) : '';
  const said = codes ? ` It said: ${codes}.` : '';
  if (status === 401 || status === 403) {
    throw new RegistryError(
      `${capitalize(peer)} refused ${context.withCredentials ? 'the stored credentials' : 'anonymous access'} (${status}) for ${scopes.join(' ') || 'the registry'}: run \`docker login ${registry}\`.${said}`,
      'unauthorized',
      status,
    );
  }
  if (status < 200 || status >= 300)
    throw new RegistryError(`${capitalize(peer)} answered ${status} for ${scopes.join(' ')}.${said} Try again later.`, 'server', status);
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
  } catch {
    throw new RegistryError(`${capitalize(peer)} did not answer a JSON object.`, 'invalid');
  }
  const token =
    typeof parsed.token === 'string' && parsed.token ? parsed.token : typeof parsed.access_token === 'string' ? parsed.access_token : '';
  if (!token) throw new RegistryError(`${capitalize(peer)} answered without a token.`, 'invalid');
  const expiresIn =
    typeof parsed.expires_in === 'number' && Number.isFinite(parsed.expires_in) && parsed.expires_in > 0 ? parsed.expires_in : 60;
  // Renew a little before expiry (10 % early, at least 5 s) so a token never dies in flight.
  return { token, expiresAt: Date.now() + Math.max(0, expiresIn * 1000 - Math.max(5000, expiresIn * 100)) };
}
