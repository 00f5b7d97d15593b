/**
 * Request-target parsing (split on `/` first, then each segment percent-decoded exactly once, so an
 * encoded `/`, `?`, `#` or `..` stays inside its segment) and a tiny route matcher.
 */

/** The parsed request target. */
export interface Target {
  /** Path segments, each percent-decoded exactly once (an encoded `/` stays inside its segment). */
  segments: string[];
  /** Query parameters. */
  query: URLSearchParams;
}

/** Splits the raw request target on `/` first, then decodes each segment once. */
export function parseTarget(rawUrl: string): Target {
  let raw = rawUrl;
  const hash = raw.indexOf("#");
  if (hash >= 0) raw = raw.slice(0, hash);
  const q = raw.indexOf("?");
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : "");
  const parts = path.split("/").slice(1);
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  const segments = parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return `\u0000${p}`; // undecodable: can never equal a literal or a stored token
    }
  });
  return { segments, query };
}

/** One route of an API: a method, a pattern of literals and `:params`, a stable name. */
export interface Route<H> {
  /** Stable route id, e.g. `mode.invites.create`. */
  name: string;
  /** HTTP method. */
  method: string;
  /** Pattern segments; `:x` captures a non-empty segment. */
  pattern: string[];
  /** The handler. */
  handler: H;
}

/** Result of matching a path against a route table. */
export type Match<H> =
  | { kind: "found"; route: Route<H>; params: Record<string, string> }
  | { kind: "method"; allowed: string[]; pattern: string[] }
  | { kind: "none" };

function matchPattern(pattern: string[], segments: string[]): Record<string, string> | null {
  if (pattern.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const s = segments[i];
    if (p.startsWith(":")) {
      if (s === "") return null;
      params[p.slice(1)] = s;
    } else if (p !== s) return null;
  }
  return params;
}

/** Finds the route for a method and path; distinguishes unknown paths from wrong methods. */
export function matchRoute<H>(routes: Route<H>[], method: string, segments: string[]): Match<H> {
  const allowed: string[] = [];
  let pattern: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { kind: "found", route, params };
    allowed.push(route.method);
    pattern = route.pattern;
  }
  return allowed.length > 0 ? { kind: "method", allowed, pattern } : { kind: "none" };
}
