/**
 * HTTP plumbing shared by every route: bounded body reading, JSON body parsing, pagination, the
 * handler context and the error renderers that produce each API's real error shape. Routing lives in
 * ./router.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Store } from "./store";

export * from "./router";

/** A response computed by a handler, written (or deliberately dropped) by the server. */
export interface Reply {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Record<string, string>;
  /** Serialized body; absent for 204. */
  body?: string;
}

/** Which API a request belongs to; decides the error shape and media type. */
export type ApiKind = "mode" | "org";

/** An error a handler throws; rendered in the API's error shape by the server. */
export class ApiError extends Error {
  /**
   * @param status HTTP status.
   * @param kind snake_case kind (the Mode `id`).
   * @param message human sentence (Mode `message`, JSON:API `detail`).
   * @param pointer JSON pointer into the request body (JSON:API `source.pointer`).
   * @param parameter query parameter at fault (JSON:API `source.parameter`).
   */
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly pointer?: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Media type of Mode responses. */
export const HAL_JSON = "application/hal+json";
/** Media type of organization-invites responses (as the document shows it). */
export const JSON_API = "application/vnd.api+json; charset=utf-8";

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * The error ids of Mode's published error definitions (`BadRequest`, `Unauthorized`, `Forbidden`,
 * `NotFound`, `ParamMissing`, `PayloadTooLarge`, `RateLimited`, `InternalServerError`,
 * `ServiceUnavailable`): the only `id` values a Mode error body carries.
 */
export const MODE_ERROR_IDS: readonly string[] = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "param_missing",
  "payload_too_large",
  "rate_limited",
  "internal_server_error",
  "service_unavailable",
];

/**
 * The published id a Mode error of `status` carries. Statuses the published description has no
 * definition for take the nearest one: 405 and 415 (and other 4xx) `bad_request`, 502 and 504
 * `service_unavailable` (a gateway's), other 5xx `internal_server_error`.
 */
export function modeErrorId(status: number): string {
  const byStatus: Record<number, string> = {
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    413: "payload_too_large",
    429: "rate_limited",
    502: "service_unavailable",
    503: "service_unavailable",
    504: "service_unavailable",
  };
  return byStatus[status] ?? (status >= 500 ? "internal_server_error" : "bad_request");
}

/**
 * Renders an error in the given API's shape. A Mode error's `id` is its kind when that is a
 * published id (e.g. `param_missing` on a 400), else the published id of its status.
 */
export function renderError(api: ApiKind, err: ApiError, headers: Record<string, string> = {}): Reply {
  if (api === "mode") {
    const id = MODE_ERROR_IDS.includes(err.kind) ? err.kind : modeErrorId(err.status);
    return {
      status: err.status,
      headers: { "Content-Type": HAL_JSON, ...headers },
      body: JSON.stringify({ id, message: err.message }),
    };
  }
  const e: Record<string, unknown> = {
    status: String(err.status),
    title: TITLES[err.status] ?? "Error",
    detail: err.message,
  };
  if (err.pointer) e.source = { pointer: err.pointer };
  else if (err.parameter) e.source = { parameter: err.parameter };
  return {
    status: err.status,
    headers: { "Content-Type": JSON_API, ...headers },
    body: JSON.stringify({ errors: [e] }),
  };
}

/** A successful response in the API's media type. */
export function ok(api: ApiKind, status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "Content-Type": api === "mode" ? HAL_JSON : JSON_API, ...headers },
    body: JSON.stringify(body),
  };
}

/** A control-interface JSON response. */
export function controlJson(status: number, body: unknown): Reply {
  return { status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

/** Maximum accepted request body. */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_DRAIN_BYTES = 64 * MAX_BODY_BYTES;

/** Reads the body; `null` when it exceeded {@link MAX_BODY_BYTES} (the rest is drained). */
export function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > MAX_DRAIN_BYTES) req.destroy();
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
  });
}

/** Media types each API accepts for request bodies. */
const ACCEPTED_TYPES: Record<ApiKind, string[]> = {
  mode: ["application/json", "application/hal+json"],
  org: ["application/vnd.api+json", "application/json"],
};

/**
 * Parses a JSON request body lazily (so authentication is checked first).
 * Empty body → `undefined`; wrong content type → 415; malformed JSON → 400.
 */
export function parseJsonBody(api: ApiKind, headers: IncomingHttpHeaders, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = (headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (!ACCEPTED_TYPES[api].includes(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Content-Type must be ${ACCEPTED_TYPES[api].join(" or ")}, got ${type || "none"}.`,
    );
  }
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
  }
}

/** Narrows to a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Case-insensitive email normal form. */
export function normEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A deliberately simple but strict-enough email check. */
export function isEmail(v: unknown): v is string {
  return typeof v === "string" && v.length <= 254 && /^[^\s@/?#]+@[^\s@/?#]+\.[^\s@/?#]+$/.test(v);
}

/** Encodes one path segment for an href. */
export function seg(s: string): string {
  return encodeURIComponent(s);
}

/**
 * Parses a positive integer query parameter; `undefined` when absent.
 * @throws ApiError 400 when present but not a positive integer.
 */
export function positiveInt(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null) return undefined;
  if (!/^[0-9]+$/.test(v) || Number(v) < 1) {
    throw new ApiError(
      400,
      "bad_request",
      `Query parameter ${name} must be a positive integer.`,
      undefined,
      name,
    );
  }
  return Number(v);
}

/** Base URLs the server answers on, used to build absolute hrefs. */
export interface BaseUrls {
  /** `http://HOST:PORT` */
  origin: string;
  /** `{origin}/mode/api` */
  mode: string;
  /** `{origin}/org` */
  org: string;
}

/** What a route handler receives. */
export interface RouteContext {
  /** The state. */
  store: Store;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** Query parameters. */
  query: URLSearchParams;
  /** Request headers. */
  headers: IncomingHttpHeaders;
  /** Raw request body (at most 1 MB). */
  rawBody: Buffer;
  /** Base URLs for hrefs. */
  urls: BaseUrls;
  /** Page size of Mode collections. */
  modePageSize: number;
}

/** A route handler: pure function of the context, throws {@link ApiError} on refusal. */
export type Handler = (ctx: RouteContext) => Reply;

/** One page of a list. */
export interface Page<T> {
  /** Items on this page. */
  items: T[];
  /** 1-based page number. */
  page: number;
  /** Page size. */
  perPage: number;
  /** Total number of pages (at least 1). */
  totalPages: number;
  /** Whether a next page exists. */
  hasNext: boolean;
}

/** Slices `items` into a page. */
export function paginate<T>(items: T[], page: number, perPage: number): Page<T> {
  const start = (page - 1) * perPage;
  const totalPages = Math.max(1, Math.ceil(items.length / perPage));
  return {
    items: items.slice(start, start + perPage),
    page,
    perPage,
    totalPages,
    hasNext: page < totalPages,
  };
}
