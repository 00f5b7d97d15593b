import http from "http";
import https from "https";
import fetch, { type Response } from "node-fetch";
import type { ValidateFunction } from "ajv";
import {
  ApiError,
  kindForStatus,
  redactSecrets,
  registerSecret,
  type ApiErrorInit,
  type ApiErrorKind,
  type ApiName,
} from "./errors";
import { hostLimiter, type HostLimiter } from "./limiter";
import { schemaFailures, formatFailures } from "./schemas";
import { checkBaseUrl } from "./url";
import { describeNetworkError, parseJson, parseRetryAfter, pickLink } from "./response";

/** Retry settings as plain data (octokit plugin-retry style). */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most `retries + 1` attempts). */
  retries: number;
  /** Base of the exponential backoff; the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)]. */
  baseDelayMs: number;
  /** Cap of one backoff delay (a longer `Retry-After` is still honoured). */
  maxDelayMs: number;
  /** Overall budget of one call including all retries and waits; no retry starts that would end past it. */
  deadlineMs: number;
  /** Statuses that are transient and retried. */
  retryStatuses: number[];
  /** Statuses that are final and never retried (takes precedence over `retryStatuses`). */
  neverRetryStatuses: number[];
}

/** The default policy: 6 retries, 250 ms base, 20 s cap, 120 s deadline. */
export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  retries: 6,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  deadlineMs: 120_000,
  retryStatuses: Object.freeze([429, 500, 502, 503, 504]) as number[],
  neverRetryStatuses: Object.freeze([400, 401, 403, 404, 409, 422]) as number[],
});

/** A deprecation notice sent by the API in `Deprecation` / `Sunset` / `Link` headers. */
export interface DeprecationNotice {
  /** Method of the request whose response carried the header. */
  method: string;
  /** Path (relative to the base URL) of that request. */
  path: string;
  /** The `Deprecation` header value (a date or `true`). */
  deprecation: string;
  /** The `Sunset` header value, if any. */
  sunset?: string;
  /** The successor/deprecation link from the `Link` header (or the raw header), if any. */
  link?: string;
}

/** Options of the shared transport. */
export interface TransportOptions {
  /** Base URL; `http://` only for loopback hosts (127.0.0.0/8, ::1, localhost), otherwise `https://`. */
  baseUrl: string;
  /** Timeout per attempt, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** Overrides of {@link defaultRetryPolicy}. */
  retry?: Partial<RetryPolicy>;
  /** Requests in flight per API host, shared by all clients in the process (default 8). */
  maxConcurrency?: number;
  /** Optional client-side rate limit per host, shared process-wide. */
  requestsPerSecond?: number;
  /** User-Agent header (default `pulumi-mode`). */
  userAgent?: string;
  /** Sleep used for backoff and rate-limit waits (injectable for tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Called for every response that carries a `Deprecation` header. */
  onDeprecation?: (notice: DeprecationNotice) => void;
  /** How the user sets this API's credentials, for the advice of 401/403 errors (see {@link ApiErrorInit}). */
  credentialsHint?: string;
}

/** How a client authenticates and reads errors; internal to the clients. */
export interface TransportAuth {
  /** Value of the Authorization header. */
  authorization: string;
  /** Media type for Accept. */
  accept: string;
  /** Media type for request bodies. */
  contentType: string;
  /** Strings that must never appear in errors (token, secret, header values). */
  secrets: string[];
  /** Extracts the server's message from an error body. */
  errorMessage: (body: unknown) => string | undefined;
}

/** One request. Give `path` (already encoded, relative to the base URL) or `url` (absolute, same origin). */
export interface TransportRequest<T> {
  /** HTTP method. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Encoded path relative to the base URL, starting with `/`. */
  path?: string;
  /** Absolute URL (a followed next link), already checked to be on the base origin. */
  url?: string;
  /** Query parameters. */
  query?: Record<string, string | number | undefined>;
  /** JSON body. */
  body?: unknown;
  /** Validator of a 2xx body; without it the body is returned unvalidated (undefined when empty). */
  validator?: ValidateFunction<T>;
  /** Extra strings to redact from errors of this request (e.g. an invite code). */
  secrets?: string[];
  /**
   * Statuses this request answers at once instead of retrying, where the caller has a better way than
   * waiting (e.g. a 500 Mode is known to answer while another route works).
   */
  notRetried?: readonly number[];
}

/** Where a page of a listing is: an encoded path (plus query) relative to the base URL, or an absolute URL. */
export interface PageRequest {
  /** Encoded path relative to the base URL. */
  path?: string;
  /** Absolute URL on the base origin (a followed next link). */
  url?: string;
  /** Query parameters (undefined values are left out). */
  query?: Record<string, string | number | undefined>;
}

/** A successful response. */
export interface TransportResponse<T> {
  /** HTTP status. */
  status: number;
  /** Parsed (and, with a validator, validated) body. */
  body: T;
  /** Response headers. */
  headers: Record<string, string>;
}

const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });
const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const REDACTED = "[REDACTED]";
const SECRET_QUERY = /([?&](?:[^=&#]*(?:token|secret|code|key|password|auth)[^=&#]*)=)[^&#]*/gi;

/** The shared HTTP transport: limiter, timeouts, retries, JSON parsing, validation, errors. */
export class Transport {
  /** Which API this transport talks to. */
  readonly api: ApiName;
  /** Base URL without trailing slash. */
  readonly baseUrl: string;
  /** Origin of the base URL. */
  readonly origin: string;
  private readonly basePath: string;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly limiter: HostLimiter;
  private readonly userAgent: string;
  private readonly onDeprecation?: (notice: DeprecationNotice) => void;
  private readonly auth: TransportAuth;
  private readonly credentialsHint?: string;

  /** Creates a transport; validates the base URL (throws ApiError invalid_argument). */
  constructor(api: ApiName, options: TransportOptions, auth: TransportAuth) {
    this.api = api;
    const u = checkBaseUrl(api, "apiUrl", options.baseUrl);
    this.origin = u.origin;
    this.basePath = u.pathname;
    this.baseUrl = u.origin + u.pathname;
    this.policy = { ...defaultRetryPolicy, ...(options.retry ?? {}) };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    checkNumbers(api, {
      "retry.retries": [this.policy.retries, 0, true],
      "retry.baseDelayMs": [this.policy.baseDelayMs, 0, false],
      "retry.maxDelayMs": [this.policy.maxDelayMs, 0, false],
      "retry.deadlineMs": [this.policy.deadlineMs, 0, false],
      timeoutMs: [this.timeoutMs, 1, false],
      maxConcurrency: [options.maxConcurrency, 1, true],
      requestsPerSecond: [options.requestsPerSecond, Number.MIN_VALUE, false],
    });
    this.sleep = options.sleep ?? realSleep;
    this.userAgent = options.userAgent ?? "pulumi-mode";
    this.onDeprecation = options.onDeprecation;
    this.credentialsHint = options.credentialsHint;
    // Hide credentials from util.inspect / JSON.stringify of the transport.
    Object.defineProperty(this, "auth", { value: auth, enumerable: false });
    this.auth = auth;
    auth.secrets.forEach(registerSecret);
    this.limiter = hostLimiter(this.origin, options.maxConcurrency, options.requestsPerSecond);
  }

  /** Replaces every known secret (and secret-looking query values) in `text`. */
  redact(text: string, extra: string[] = []): string {
    return redactSecrets(text, [...this.auth.secrets, ...extra]).replace(SECRET_QUERY, `$1${REDACTED}`);
  }

  /**
   * Resolves a link href (absolute, root-relative, or relative to `base`: the URL of the page that
   * carried it, by default the base URL) and refuses links to another origin, whose server would
   * receive the credentials. Returns the absolute URL without its fragment.
   */
  resolveLink(href: string, method: string, path: string, base = this.baseUrl + "/"): string {
    let u: URL;
    try {
      u = new URL(href, base);
    } catch {
      throw this.error("invalid_response", 200, method, path, { detail: "next link is not a valid URL" });
    }
    if (u.origin !== this.origin) {
      throw this.error("invalid_response", 200, method, path, {
        detail: `next link points to another origin (${u.origin}); refusing to send credentials there`,
      });
    }
    u.hash = "";
    return u.toString();
  }

  /** An `invalid_response` error for `method path` with `detail` (for client-level shape checks). */
  invalidResponse(
    method: string,
    path: string,
    detail: string,
    options: { status?: number; advice?: string } = {},
  ): ApiError {
    return this.error("invalid_response", options.status ?? 200, method, path, {
      detail,
      advice: options.advice,
    });
  }

  /** The absolute URL of a page request (base URL + path, or its URL, plus the query). */
  urlOf(req: PageRequest): string {
    const u = new URL(req.url ?? this.baseUrl + (req.path ?? ""));
    for (const [k, v] of Object.entries(req.query ?? {})) {
      if (v !== undefined) u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  /** The path of `url` relative to the base URL (for error messages), secrets redacted. */
  relativePath(url: string, extra: string[] = []): string {
    const u = new URL(url);
    let p = u.pathname;
    if (this.basePath && (p === this.basePath || p.startsWith(this.basePath + "/")))
      p = p.slice(this.basePath.length);
    return this.redact(p + u.search, extra);
  }

  /** Sends a request with retries and returns the parsed, validated body. Throws ApiError. */
  async request<T>(req: TransportRequest<T>): Promise<TransportResponse<T>> {
    const url = this.urlOf(req);
    const path = this.relativePath(url, req.secrets);
    const started = Date.now();
    const deadline = started + this.policy.deadlineMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      const outcome = await this.attempt(req, url, path);
      if (!(outcome instanceof ApiError)) return outcome;
      const err = outcome;
      if (!err.retryable || attempt > this.policy.retries || req.notRetried?.includes(err.status))
        throw err.afterAttempts(attempt);
      const retryAfterMs = err.retryAfterMs;
      const backoff =
        Math.random() * Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.max(backoff, retryAfterMs ?? 0);
      if (Date.now() + delay > deadline) throw err.afterAttempts(attempt);
      await this.sleep(Math.ceil(delay));
    }
  }

  private async attempt<T>(
    req: TransportRequest<T>,
    url: string,
    path: string,
  ): Promise<TransportResponse<T> | ApiError> {
    const release = await this.limiter.acquire(this.sleep);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    try {
      const headers: Record<string, string> = {
        Authorization: this.auth.authorization,
        Accept: this.auth.accept,
        "User-Agent": this.userAgent,
      };
      if (req.body !== undefined) headers["Content-Type"] = this.auth.contentType;
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          redirect: "manual",
          signal: controller.signal,
          agent: (u: URL) => (u.protocol === "http:" ? httpAgent : httpsAgent),
        });
        text = await res.text();
      } catch (e) {
        const kind: ApiErrorKind = timedOut ? "timeout" : "network";
        const detail = timedOut
          ? `no complete response within ${this.timeoutMs} ms`
          : `network error (${this.redact(describeNetworkError(e), req.secrets)})`;
        return this.error(kind, 0, req.method, path, {
          detail,
          cause: this.sanitize(e, req.secrets),
          retryable: true,
        });
      }
      const headersObj: Record<string, string> = {};
      res.headers.forEach((v, k) => (headersObj[k] = v));
      this.observeHeaders(res, req.method, path);
      return this.interpret(req, res.status, headersObj, text, path);
    } finally {
      clearTimeout(timer);
      release();
    }
  }

  private observeHeaders(res: Response, method: string, path: string): void {
    const remaining = res.headers.get("ratelimit-remaining");
    const reset = res.headers.get("ratelimit-reset");
    const limit = leadingNumber(res.headers.get("ratelimit-limit"));
    const left = leadingNumber(remaining);
    if (limit !== undefined && left !== undefined) {
      const windowSeconds = policyWindow(
        res.headers.get("ratelimit-policy") ?? res.headers.get("ratelimit-limit"),
      );
      this.limiter.observe({ limit, remaining: left, windowSeconds });
    }
    if (
      remaining !== null &&
      Number(remaining) <= 0 &&
      reset !== null &&
      /^\d+(\.\d+)?$/.test(reset.trim())
    ) {
      this.limiter.pauseUntil(Date.now() + Math.min(Number(reset) * 1000, this.policy.deadlineMs));
    }
    const deprecation = res.headers.get("deprecation");
    if (deprecation !== null && this.onDeprecation) {
      const notice: DeprecationNotice = { method, path, deprecation };
      const sunset = res.headers.get("sunset");
      if (sunset !== null) notice.sunset = sunset;
      const link = pickLink(res.headers.get("link"));
      if (link !== undefined) notice.link = link;
      try {
        this.onDeprecation(notice);
      } catch {
        // A faulty callback must not fail the request.
      }
    }
  }

  private interpret<T>(
    req: TransportRequest<T>,
    status: number,
    headers: Record<string, string>,
    text: string,
    path: string,
  ): TransportResponse<T> | ApiError {
    const contentType = headers["content-type"] ?? "none";
    if (status >= 200 && status < 300) {
      if (text.trim() === "") {
        if (req.validator) {
          return this.error("invalid_response", status, req.method, path, {
            detail: `response body is empty (status ${status}, content-type ${contentType})`,
          });
        }
        return { status, headers, body: undefined as T };
      }
      const parsed = parseJson(text);
      if (!parsed.ok) {
        return this.error("invalid_response", status, req.method, path, {
          detail: `response body is not JSON (${parsed.why}; status ${status}, content-type ${contentType}, ${text.length} bytes)`,
        });
      }
      if (req.validator && !req.validator(parsed.value)) {
        const failures = schemaFailures(req.validator.errors);
        return this.error("invalid_response", status, req.method, path, {
          detail: formatFailures(failures, "response field"),
        });
      }
      return { status, headers, body: parsed.value as T };
    }
    if (status >= 300 && status < 400) {
      return this.error("invalid_response", status, req.method, path, {
        detail: `unexpected redirect (status ${status}); redirects are not followed so credentials stay on the configured host`,
      });
    }
    const parsed = parseJson(text);
    let serverMessage: string | undefined;
    if (parsed.ok) {
      const m = this.auth.errorMessage(parsed.value);
      if (m) serverMessage = this.redact(m, req.secrets);
    }
    const kind = kindForStatus(status);
    const retryable =
      !this.policy.neverRetryStatuses.includes(status) && this.policy.retryStatuses.includes(status);
    const retryAfterMs = retryable || status === 429 ? parseRetryAfter(headers["retry-after"]) : undefined;
    if (status === 429) {
      this.limiter.drained();
      if (retryAfterMs !== undefined) this.limiter.pauseUntil(Date.now() + retryAfterMs);
    }
    return this.error(kind, status, req.method, path, { serverMessage, retryable, retryAfterMs });
  }

  private error(
    kind: ApiErrorKind,
    status: number,
    method: string,
    path: string,
    extra: Pick<
      ApiErrorInit,
      "detail" | "serverMessage" | "cause" | "retryable" | "retryAfterMs" | "advice"
    > = {},
  ): ApiError {
    return new ApiError({
      api: this.api,
      kind,
      status,
      method,
      path,
      ...extra,
      credentialsHint: this.credentialsHint,
    });
  }

  private sanitize(e: unknown, extra?: string[]): Error {
    const src = e instanceof Error ? e : new Error(String(e));
    const out = new Error(this.redact(src.message, extra));
    out.name = src.name;
    const code = (src as { code?: unknown }).code;
    if (typeof code === "string") Object.defineProperty(out, "code", { value: code, enumerable: true });
    out.stack = `${out.name}: ${out.message}`;
    return out;
  }
}

/** Checks optional numeric options: finite, at least `min`, integer when asked. */
function checkNumbers(api: ApiName, values: Record<string, [number | undefined, number, boolean]>): void {
  for (const [name, [v, min, integer]] of Object.entries(values)) {
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
      const what = integer ? "an integer" : "a number";
      throw new ApiError({
        api,
        kind: "invalid_argument",
        status: 0,
        method: "",
        path: "",
        detail: `${name} must be ${what} >= ${min === Number.MIN_VALUE ? "0 (exclusive)" : min}`,
      });
    }
  }
}

/** The number a header value starts with (`"100"`, `"100, 100;w=1"`), or undefined. */
function leadingNumber(value: string | null): number | undefined {
  const m = value === null ? null : /^\s*(\d+(?:\.\d+)?)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

/** The `w=` window (seconds) of a `RateLimit-Policy` (or old-draft `RateLimit-Limit`) value, if any. */
function policyWindow(value: string | null): number | undefined {
  const m = value === null ? null : /;\s*w\s*=\s*(\d+(?:\.\d+)?)/i.exec(value);
  return m ? Number(m[1]) : undefined;
}
