import { STATUS_CODES } from "http";

/**
 * What went wrong, as a closed set of names (octokit `RequestError`, go-tfe `errors.go`).
 *
 * - `not_found` 404 (and 410), `unauthorized` 401, `forbidden` 403, `conflict` 409,
 *   `validation` 400/422 and other final 4xx, `rate_limited` 429, `server` 5xx;
 * - `network` connection refused/reset/dropped, `timeout` no complete answer in time (status 0);
 * - `invalid_response` the API answered something that is not the documented JSON shape;
 * - `invalid_argument` the caller passed an argument that can never work; nothing was sent (status 0).
 */
export type ApiErrorKind =
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "conflict"
  | "validation"
  | "rate_limited"
  | "server"
  | "network"
  | "timeout"
  | "invalid_response"
  | "invalid_argument";

/** Which API an error came from: the Mode HAL API or the organization-invites JSON:API. */
export type ApiName = "mode" | "org";

/** Everything needed to build an {@link ApiError}; the message is derived from it. */
export interface ApiErrorInit {
  /** The API that failed. */
  api: ApiName;
  /** What went wrong. */
  kind: ApiErrorKind;
  /** HTTP status, or 0 when there was no HTTP answer. */
  status: number;
  /** HTTP method, e.g. `POST` (empty for constructor argument errors). */
  method: string;
  /** Path relative to the base URL, secrets already redacted. */
  path: string;
  /** The server's own error text (already redacted), if it sent one. */
  serverMessage?: string;
  /** Extra detail shown instead of the status line for status 0 and invalid responses. */
  detail?: string;
  /** The underlying error (already sanitised: no credentials). */
  cause?: unknown;
  /** Whether retrying the same request could succeed. */
  retryable?: boolean;
  /** Number of attempts made (shown in the advice for retried failures). */
  attempts?: number;
  /** How long the server asked to wait before retrying (`Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  /**
   * How the user sets this API's credentials (e.g. the config keys and environment variables), for
   * the advice of 401 and 403 errors. The clients know nothing of settings: whoever builds a client
   * says it (`ModeClientOptions.credentialsHint`).
   */
  credentialsHint?: string;
  /** What to do, replacing the advice the kind would give (when the kind's advice would mislead). */
  advice?: string;
}

const REDACTED = "[REDACTED]";
const knownSecrets = new Set<string>();
/** Long hex strings (invite codes are 64 hex characters) are always redacted from errors. */
const LONG_HEX = /\b[0-9a-f]{32,}\b/gi;

/**
 * Registers a credential (token, secret, header value) so that no {@link ApiError} created in this
 * process ever contains it, whichever client produced the error. Strings shorter than 3 characters are ignored.
 */
export function registerSecret(secret: string): void {
  if (typeof secret === "string" && secret.length >= 3) knownSecrets.add(secret);
}

/** Replaces every registered secret, every `extra` string and every long hex string in `text`. */
export function redactSecrets(text: string, extra: readonly string[] = []): string {
  let out = text;
  for (const s of [...knownSecrets, ...extra]) {
    if (s && s.length >= 3 && out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out.replace(LONG_HEX, REDACTED);
}

const API_LABEL: Record<ApiName, string> = { mode: "Mode API", org: "Mode organization-invites API" };

/**
 * The one error class of the API clients. Its message says what failed and what to do.
 * It never contains the API secret, a bearer token, a Basic header or an invite code.
 */
export class ApiError extends Error {
  /** The API that failed. */
  readonly api: ApiName;
  /** What went wrong. */
  readonly kind: ApiErrorKind;
  /** HTTP status; 0 for network, timeout and invalid_argument errors. */
  readonly status: number;
  /** HTTP method of the failed request (empty for constructor argument errors). */
  readonly method: string;
  /** Path relative to the base URL, with secrets redacted. */
  readonly path: string;
  /** The server's own error message, if any (redacted). */
  readonly serverMessage?: string;
  /** The underlying error (sanitised), for debugging. */
  override readonly cause?: unknown;
  /** True when the failure is transient (429, 5xx in the retry list, network, timeout). */
  readonly retryable: boolean;
  /** What went wrong when there was no usable HTTP answer (redacted), e.g. the network error. */
  readonly detail?: string;
  /** How many attempts were made before giving up (1 when the failure was final at once). */
  readonly attempts: number;
  /** How long the server asked to wait before retrying (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number;
  /** How the user sets this API's credentials (shown in the advice of 401 and 403 errors). */
  readonly credentialsHint?: string;
  /** The advice given instead of the kind's own, if any. */
  readonly advice?: string;

  /** Builds the error and its message from `init`. */
  constructor(init: ApiErrorInit) {
    const safe: ApiErrorInit = {
      ...init,
      path: redactSecrets(init.path),
      serverMessage: init.serverMessage === undefined ? undefined : redactSecrets(init.serverMessage),
      detail: init.detail === undefined ? undefined : redactSecrets(init.detail),
    };
    super(redactSecrets(buildMessage(safe)));
    this.name = "ApiError";
    this.api = init.api;
    this.kind = init.kind;
    this.status = init.status;
    this.method = init.method;
    this.path = safe.path;
    if (safe.serverMessage !== undefined) this.serverMessage = safe.serverMessage;
    if (init.cause !== undefined) this.cause = init.cause;
    this.retryable = init.retryable ?? false;
    if (safe.detail !== undefined) this.detail = safe.detail;
    this.attempts = init.attempts ?? 1;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.credentialsHint !== undefined) this.credentialsHint = init.credentialsHint;
    if (init.advice !== undefined) this.advice = init.advice;
  }

  /** The same failure after `attempts` attempts (its message then says how many were made). */
  afterAttempts(attempts: number): ApiError {
    if (attempts <= 1) return this;
    return new ApiError({
      api: this.api,
      kind: this.kind,
      status: this.status,
      method: this.method,
      path: this.path,
      serverMessage: this.serverMessage,
      detail: this.detail,
      cause: this.cause,
      retryable: this.retryable,
      attempts,
      retryAfterMs: this.retryAfterMs,
      credentialsHint: this.credentialsHint,
      advice: this.advice,
    });
  }

  /** A plain, credential-free representation (so `JSON.stringify(err)` shows the message). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      api: this.api,
      kind: this.kind,
      status: this.status,
      method: this.method,
      path: this.path,
      serverMessage: this.serverMessage,
      detail: this.detail,
      retryable: this.retryable,
      attempts: this.attempts,
    };
  }
}

/** True when `err` is an {@link ApiError} of kind `not_found` (the object is gone). */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.kind === "not_found";
}

/** Maps a final HTTP status to an error kind. */
export function kindForStatus(status: number): ApiErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server";
  if (status >= 400) return "validation";
  return "invalid_response";
}

/** Shorthand for an `invalid_argument` error (status 0, nothing was sent). */
export function invalidArgument(api: ApiName, method: string, path: string, detail: string): ApiError {
  return new ApiError({ api, kind: "invalid_argument", status: 0, method, path, detail });
}

function buildMessage(init: ApiErrorInit): string {
  const label = API_LABEL[init.api];
  const what = init.method || init.path ? `${init.method} ${init.path}`.trim() + " failed" : "failed";
  let head: string;
  if (init.kind === "invalid_argument") {
    head = `${label}: invalid argument${init.method || init.path ? ` for ${init.method} ${init.path}`.trimEnd() : ""}: ${init.detail ?? "invalid"}`;
  } else if (init.status > 0 && init.kind !== "invalid_response") {
    const text = STATUS_CODES[init.status] ?? "Error";
    head = `${label}: ${what} with ${init.status} ${text}`;
    if (init.serverMessage) head += `: ${stripDot(init.serverMessage)}`;
  } else {
    head = `${label}: ${what}: ${init.detail ?? init.kind}`;
  }
  const advice = init.advice ?? adviceFor(init);
  return advice ? `${stripDot(head)}. ${advice}` : stripDot(head) + ".";
}

function stripDot(s: string): string {
  return s.replace(/[.\s]+$/, "");
}

function adviceFor(init: ApiErrorInit): string {
  const tries = init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts` : "";
  switch (init.kind) {
    case "unauthorized":
      return init.api === "mode"
        ? `The credentials were rejected: set a valid API token and its secret (${credentialsHint(init)}).`
        : `The token was rejected: set a valid one (${credentialsHint(init)}).`;
    case "forbidden": {
      const base =
        init.api === "mode"
          ? "These credentials are valid but have no rights there: use an API token of a member allowed to do this " +
            `in the workspace (${credentialsHint(init)}).`
          : `This token has no rights in that organization: use the token of the organization that owns it (${credentialsHint(init)}).`;
      if (init.api === "mode" && init.method === "POST" && /\/invites$/.test(init.path)) {
        return (
          base +
          " Note that Workspace API tokens cannot be used with the invites endpoint: a personal API token (with its secret) is required."
        );
      }
      return base;
    }
    case "not_found":
      return init.api === "mode"
        ? "The workspace, space or object does not exist or is not visible to these credentials."
        : "The organization or invite does not exist or is not visible to this token.";
    case "conflict":
      return "The object conflicts with the current state: refresh and try again.";
    case "validation":
      return "The API rejected the request as invalid: see its reason above.";
    case "rate_limited":
      return `Still rate limited${tries}: another client may be spending the same quota; lower parallelism (pulumi up --parallel N) and run again.`;
    case "server":
      return `The API failed${tries}: try again later.`;
    case "network":
      return `Could not talk to the API${tries}: check the API URL and the network.`;
    case "timeout":
      return `No answer in time${tries}: check the API URL and the network, then run again.`;
    case "invalid_response":
      return "The API answered in an unexpected shape: check the API URL points at the right API.";
    case "invalid_argument":
      return "";
  }
}

/** How to set the credentials of the API that failed, or a generic hint when the caller gave none. */
function credentialsHint(init: ApiErrorInit): string {
  if (init.credentialsHint) return init.credentialsHint;
  return init.api === "mode" ? "the API token is the Basic user, its secret the password" : "a Bearer token";
}
