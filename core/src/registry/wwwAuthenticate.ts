/**
 * `WWW-Authenticate` challenges (RFC 7235): `Bearer realm="https://auth/token",service="reg",
 * scope="repository:a/b:pull,push"`, `Basic realm="Registry Realm"`. Parameters come in any
 * order, values may be quoted (with `\"` escapes and commas inside) or bare tokens, and one
 * header may carry several challenges separated by commas.
 */

export interface AuthChallenge {
  /** Lower-case scheme: `bearer`, `basic`, … */
  readonly scheme: string;
  /** Parameters with lower-case names. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/** Parses a header value into its challenges; never throws (junk yields what could be read). */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const m = TOKEN.exec(header.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const start = i;
    const word = readToken();
    if (word === '') {
      i++; // junk character: skip it
      continue;
    }
    skipSpace();
    const current = challenges.at(-1);
    if (header[i] === '=' && current) {
      // A parameter of the current challenge.
      i++;
      skipSpace();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        const m = /^[^,\s]*/.exec(header.slice(i));
        value = m ? m[0] : '';
        i += value.length;
      }
      current.params[word.toLowerCase()] = value;
      skipSpace();
      continue;
    }
    if (header[i] === '=' && !current) {
      // A parameter with no scheme before it: ignore up to the next comma.
      while (i < n && header[i] !== ',') i++;
      continue;
    }
    // A new scheme (the word is already consumed); an optional token68 may follow (`Negotiate abc==`).
    const challenge: (typeof challenges)[number] = { scheme: word.toLowerCase(), params: {} };
    challenges.push(challenge);
    const rest = header.slice(i);
    const isParam = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=(?!=)/.test(rest);
    const [token68Text, token68] = /^([A-Za-z0-9._~+/-]+=*)\s*(?:,|$)/.exec(rest) ?? [];
    if (!isParam && token68Text !== undefined && token68 !== undefined) {
      challenge.params.token68 = token68;
      i += token68Text.length;
    }
    if (i === start) i++;
  }
  return challenges;
}

/** Splits a scope list such as `repository:a:pull repository:b:pull,push` into its items. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter(Boolean);
}
