import { ApiError, type ApiName } from "./errors";

/** True for loopback host names: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost") || h === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Parses and checks a base URL: http(s) only, `http://` only for loopback, no credentials, query or
 * fragment. Returns it without a trailing slash. Throws ApiError `invalid_argument`.
 */
export function checkBaseUrl(api: ApiName, name: string, value: unknown): URL {
  const bad = (why: string) =>
    new ApiError({
      api,
      kind: "invalid_argument",
      status: 0,
      method: "",
      path: "",
      detail: `${name} ${why}`,
    });
  if (typeof value !== "string" || value.trim() === "") throw bad("must be a non-empty URL");
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw bad("is not a valid URL");
  }
  if (u.username || u.password) throw bad("must not contain credentials");
  if (u.search || u.hash) throw bad("must not contain a query or fragment");
  if (u.protocol === "http:") {
    if (!isLoopbackHost(u.hostname))
      throw bad(`must use https:// (plain http:// is allowed only for loopback hosts, got ${u.host})`);
  } else if (u.protocol !== "https:") {
    throw bad(`must be an https:// URL (got ${u.protocol})`);
  }
  u.pathname = u.pathname.replace(/\/+$/, "");
  return u;
}
