/**
 * A registry's authentication: anonymous, Basic, and the Bearer token flow (the challenge parsed
 * from `WWW-Authenticate`, tokens requested for the scopes a request needs and cached by scope
 * until shortly before expiry; a 401 drops the rejected token so the request is retried once).
 * Credentials go only to the registry's own origin and to its token realm (authPolicy.ts); every
 * secret seen is remembered so that logs and errors can redact it.
 */
import { checkTokenRealm } from './authPolicy';
import { resolveCredentials, secretsOf, type CredentialOptions, type Credentials } from './credentials';
import { RegistryError, redact } from './errors';
import { readTokenAnswer, tokenRequest } from './tokenAuth';
import { MAX_TOKEN_RESPONSE_BYTES, type RawResponse, type SendOptions } from './transport';
import { parseWwwAuthenticate, splitScopes, type AuthChallenge } from './wwwAuthenticate';

export interface AuthOptions {
  /** Where credentials come from (default: Docker's config.json and credential helpers). */
  readonly credentials?: (registry: string) => Promise<Credentials | undefined>;
  readonly credentialOptions?: CredentialOptions;
}

/** Merges scopes on the same resource: `repository:a:pull` + `repository:a:push` → `repository:a:pull,push`. */
export function mergeScopes(scopes: Iterable<string>): string[] {
  const byResource = new Map<string, Set<string>>();
  for (const scope of scopes) {
    const last = scope.lastIndexOf(':');
    if (last < 0) continue;
    const resource = scope.slice(0, last);
    const actions = byResource.get(resource) ?? new Set<string>();
    for (const a of scope.slice(last + 1).split(',')) if (a) actions.add(a);
    byResource.set(resource, actions);
  }
  return [...byResource.entries()].map(([r, a]) => `${r}:${[...a].sort().join(',')}`).sort();
}

export class RegistryAuth {
  private credentialsPromise?: Promise<Credentials | undefined>;
  private scheme?: { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly secrets = new Set<string>();

  constructor(
    private readonly registry: string,
    private readonly baseUrl: string,
    private readonly options: AuthOptions,
    private readonly send: (url: string, method: string, options: SendOptions) => Promise<RawResponse>,
  ) {}

  async credentials(): Promise<Credentials | undefined> {
    this.credentialsPromise ??= (this.options.credentials ?? ((r: string) => resolveCredentials(r, this.options.credentialOptions)))(
      this.registry,
    ).then((c) => {
      for (const s of secretsOf(c)) this.secrets.add(s);
      return c;
    });
    return this.credentialsPromise;
  }

  /** Text with every secret this client has seen replaced by `***`. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  async authorization(scopes: readonly string[]): Promise<string | undefined> {
    if (!this.scheme) return undefined;
    if (this.scheme.kind === 'basic') {
      const c = await this.credentials();
      if (c?.kind === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
      return undefined;
    }
    const key = mergeScopes(scopes).join(' ');
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
    const token = await this.fetchToken(this.scheme.realm, this.scheme.service, mergeScopes(scopes));
    this.tokens.set(key, token);
    return `Bearer ${token.token}`;
  }

  /** Learns the scheme from a 401 challenge; false when no supported challenge was offered. */
  private learnChallenge(challenges: AuthChallenge[], scopes: string[]): boolean {
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params.realm);
    const realm = bearer?.params.realm;
    if (bearer && realm) {
      // Checked before any credential is looked up or sent (authPolicy.ts).
      checkTokenRealm(realm, this.baseUrl, this.registry);
      this.scheme = { kind: 'bearer', realm, service: bearer.params.service };
      for (const s of splitScopes(bearer.params.scope)) scopes.push(s);
      return true;
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      this.scheme = { kind: 'basic' };
      return true;
    }
    return false;
  }

  private async fetchToken(
    realm: string,
    service: string | undefined,
    scopes: readonly string[],
  ): Promise<{ token: string; expiresAt: number }> {
    const url = checkTokenRealm(realm, this.baseUrl, this.registry);
    const credentials = await this.credentials();
    const peer = `the token server ${url.host} (realm of ${this.registry})`;
    const request = tokenRequest(url, service, scopes, credentials);
    const res = await this.send(request.url, request.method, {
      headers: request.headers,
      body: request.body,
      idempotent: true,
      what: `a token for ${scopes.join(' ')}`,
      peer,
      limit: { bytes: MAX_TOKEN_RESPONSE_BYTES, name: 'MAX_TOKEN_RESPONSE_BYTES' },
    });
    const answer = readTokenAnswer(res.status, res.body, {
      peer,
      registry: this.registry,
      scopes,
      withCredentials: credentials !== undefined,
      redact: (t) => this.redact(t),
    });
    this.secrets.add(answer.token);
    return answer;
  }

  /**
   * After a 401 from the registry's own origin: learns the challenge and drops the rejected
   * token so the request can be sent once more, or throws the 401 with the next step.
   */
  async prepareRetry(
    res: RawResponse,
    scopes: string[],
    what: string,
    sentAuthorization: string | undefined,
    authRetried: boolean,
  ): Promise<void> {
    const challenges = parseWwwAuthenticate(res.headers.get('www-authenticate') ?? '');
    const wasBearer = this.scheme?.kind === 'bearer';
    if (authRetried || !this.learnChallenge(challenges, scopes)) {
      const credentials = await this.credentials();
      const advice = credentials
        ? `the stored credentials were refused: run \`docker login ${this.registry}\` again`
        : `run \`docker login ${this.registry}\``;
      throw new RegistryError(`401 from ${this.registry} for repository ${what}: ${advice}.`, 'unauthorized', 401);
    }
    if (this.scheme?.kind === 'basic' && !(await this.credentials())) {
      throw new RegistryError(
        `401 from ${this.registry} for repository ${what}: the registry needs a login; run \`docker login ${this.registry}\`.`,
        'unauthorized',
        401,
      );
    }
    if (wasBearer || this.scheme?.kind === 'bearer') this.tokens.delete(mergeScopes(scopes).join(' '));
    if (sentAuthorization?.startsWith('Bearer ')) {
      // The token was rejected mid-way (expired or revoked): drop every cached token that carries it.
      const rejected = sentAuthorization.slice('Bearer '.length);
      for (const [k, v] of this.tokens) if (v.token === rejected) this.tokens.delete(k);
    }
  }
}
