/**
 * Where credentials may go. Green Cloud follows docker/distribution's client
 * (registry/client/auth): an `Authorization` header is added only to requests on the origin
 * (scheme, host, port) that challenged for it, and the token request carries the registry's
 * Basic credentials (or the identity token as `refresh_token`) to the challenge's realm,
 * whatever host that realm is on — a registry legitimately delegates to a token service on
 * another host (Docker Hub: auth.docker.io). What we add to Docker's behaviour:
 * - a realm must be `https:`; plain `http:` only when the registry itself is plain HTTP
 *   (loopback or `insecureHosts`), so an HTTPS registry cannot downgrade the credentials to
 *   clear text; `file:`, `data:` and any other scheme, and realms with user info, are refused;
 * - an upload `Location` on another origin (pre-signed URLs) gets no credentials at all; it
 *   must be `http:`/`https:`, and not plain HTTP when the registry is HTTPS.
 */
import { RegistryError } from './errors';
import { displayText } from './sanitize';

function parse(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The realm as a URL the token may be requested from, or a RegistryError saying why not. */
export function checkTokenRealm(realm: string, registryBaseUrl: string, registry: string): URL {
  const url = parse(realm);
  const shown = `'${displayText(realm, 120)}'`;
  if (!url) throw new RegistryError(`${registry} named an invalid token server ${shown} in its WWW-Authenticate challenge.`, 'invalid');
  if (url.username || url.password)
    throw new RegistryError(`${registry} named a token server with user info in its URL (${url.host}): refused.`, 'invalid');
  const registryIsHttp = new URL(registryBaseUrl).protocol === 'http:';
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (registryIsHttp) return url;
    throw new RegistryError(
      `${registry} is reached over HTTPS but named a token server on plain HTTP (${displayText(url.origin, 120)}): Green Cloud does not send credentials in clear text. Ask the registry's operator to serve the token realm over https.`,
      'unsupported',
    );
  }
  throw new RegistryError(
    `${registry} named a token server with the scheme '${displayText(url.protocol, 20)}' (${shown}): only https: is used (http: for a plain-HTTP registry).`,
    'unsupported',
  );
}

/** An upload session's `Location`, resolved against the registry, checked; `sameOrigin` says whether it may carry credentials. */
export function checkUploadLocation(location: string, registryBaseUrl: string, registry: string): { url: URL; sameOrigin: boolean } {
  let url: URL;
  try {
    url = new URL(location, registryBaseUrl);
  } catch {
    throw new RegistryError(`${registry} opened a blob upload at an invalid Location '${displayText(location, 120)}'.`, 'invalid');
  }
  const base = new URL(registryBaseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RegistryError(
      `${registry} opened a blob upload at a '${displayText(url.protocol, 20)}' Location: only http: and https: are used.`,
      'unsupported',
    );
  if (url.username || url.password)
    throw new RegistryError(`${registry} opened a blob upload at a Location with user info: refused.`, 'invalid');
  if (base.protocol === 'https:' && url.protocol === 'http:')
    throw new RegistryError(
      `${registry} is reached over HTTPS but sent the blob upload to plain HTTP (${displayText(url.origin, 120)}): refused, the data would travel in clear text.`,
      'unsupported',
    );
  return { url, sameOrigin: url.origin === base.origin };
}
