/**
 * Fault injection (global and per route), the requests-per-second token bucket and the request log.
 * None of this applies to the control interface.
 */

/** Statuses a global fault picks from (plus a dropped connection). */
export const TRANSIENT_STATUSES = [429, 500, 502, 503, 504];

/** Per-route fault settings. */
export interface RouteFaults {
  /** Fraction (0..1) of this route's requests given a fault; defaults to 1 when `status` or `dropConnection` is set. */
  faultRate?: number;
  /** Latency added to this route (on top of the global latency). */
  latencyMs?: number;
  /** Statuses to pick from for this route's faults (default: the transient set). */
  status?: number[];
  /** Whether a fault may (alone: always) be a dropped connection. */
  dropConnection?: boolean;
  /** Fraction (0..1) of requests executed (state changed) and then dropped without a response. */
  dropAfterCommit?: number;
  /** Testing aid: the handler throws an unexpected error (the server must answer 500 and survive). */
  crash?: boolean;
  /**
   * The handler runs (the state changes) and its successful answer (a 2xx with a body) is replaced by a
   * malformed one: `html` an HTML error page (status kept, `Content-Type: text/html`), `truncated` the
   * JSON cut in half, `missing-field` a required field removed from the object (`_links` of a Mode
   * object, `attributes` of a JSON:API resource), `wrong-type` a field given the wrong type.
   */
  malformed?: MalformedKind;
  /** Fraction (0..1) of this route's successful answers that are malformed (default 1 when `malformed` is set). */
  malformedRate?: number;
  /** At most this many faults (of any kind above) are injected on this route; then it behaves normally. */
  times?: number;
}

/** Kinds of malformed answers. */
export const MALFORMED_KINDS = ["html", "truncated", "missing-field", "wrong-type"] as const;
/** A kind of malformed answer. */
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** The whole fault configuration (replaced as a unit by `PUT /_control/faults`). */
export interface FaultConfig {
  /** Fraction (0..1) of all API requests given a transient fault. */
  faultRate: number;
  /** Requests per second over all API routes; 0 = unlimited. */
  rateLimit: number;
  /** Latency added to every API request. */
  latencyMs: number;
  /** `Retry-After` of injected 429s (0 allowed). */
  retryAfterSeconds: number;
  /** Per-route settings keyed by route name. */
  routes: Record<string, RouteFaults>;
}

/** What to do to one request. */
export interface FaultDecision {
  /** Total added latency. */
  latencyMs: number;
  /** Answer with this status instead of running the handler. */
  status?: number;
  /** Destroy the socket without a response instead of running the handler. */
  drop: boolean;
  /** Run the handler, then destroy the socket. */
  dropAfterCommit: boolean;
  /** Make the handler throw. */
  crash: boolean;
  /** Run the handler, then replace a successful answer by a malformed one of this kind. */
  malformed?: MalformedKind;
}

function fraction(v: unknown, name: string): number {
  if (typeof v !== "number" || !(v >= 0 && v <= 1))
    throw new Error(`${name} must be a number between 0 and 1`);
  return v;
}

function nonNegative(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new Error(`${name} must be a number >= 0`);
  return v;
}

/** Validates a fault configuration; unset fields take their defaults. @throws Error with a message */
export function parseFaultConfig(input: unknown): FaultConfig {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw new Error("body must be an object");
  const o = input as Record<string, unknown>;
  const cfg: FaultConfig = {
    faultRate: o.faultRate === undefined ? 0 : fraction(o.faultRate, "faultRate"),
    rateLimit: o.rateLimit === undefined ? 0 : nonNegative(o.rateLimit, "rateLimit"),
    latencyMs: o.latencyMs === undefined ? 0 : nonNegative(o.latencyMs, "latencyMs"),
    retryAfterSeconds:
      o.retryAfterSeconds === undefined ? 1 : nonNegative(o.retryAfterSeconds, "retryAfterSeconds"),
    routes: {},
  };
  const routes = o.routes ?? {};
  if (typeof routes !== "object" || routes === null || Array.isArray(routes))
    throw new Error("routes must be an object");
  for (const [name, value] of Object.entries(routes as Record<string, unknown>)) {
    if (typeof value !== "object" || value === null) throw new Error(`routes.${name} must be an object`);
    const r = value as Record<string, unknown>;
    const rf: RouteFaults = {};
    if (r.faultRate !== undefined) rf.faultRate = fraction(r.faultRate, `routes.${name}.faultRate`);
    if (r.latencyMs !== undefined) rf.latencyMs = nonNegative(r.latencyMs, `routes.${name}.latencyMs`);
    if (r.dropAfterCommit !== undefined)
      rf.dropAfterCommit = fraction(r.dropAfterCommit, `routes.${name}.dropAfterCommit`);
    if (r.status !== undefined) {
      const ok =
        Array.isArray(r.status) && r.status.every((s) => Number.isInteger(s) && s >= 400 && s <= 599);
      if (!ok) throw new Error(`routes.${name}.status must be an array of HTTP error statuses`);
      rf.status = r.status as number[];
    }
    if (r.dropConnection !== undefined) rf.dropConnection = r.dropConnection === true;
    if (r.crash !== undefined) rf.crash = r.crash === true;
    if (r.malformed !== undefined) {
      if (!(MALFORMED_KINDS as readonly unknown[]).includes(r.malformed))
        throw new Error(`routes.${name}.malformed must be one of ${MALFORMED_KINDS.join(", ")}`);
      rf.malformed = r.malformed as MalformedKind;
    }
    if (r.malformedRate !== undefined)
      rf.malformedRate = fraction(r.malformedRate, `routes.${name}.malformedRate`);
    if (r.times !== undefined) {
      if (typeof r.times !== "number" || !Number.isInteger(r.times) || r.times < 0)
        throw new Error(`routes.${name}.times must be an integer >= 0`);
      rf.times = r.times;
    }
    cfg.routes[name] = rf;
  }
  return cfg;
}

/** Decides, per request, which fault (if any) applies. */
export class Faults {
  private current!: FaultConfig;
  /** Faults injected per route since the configuration was last replaced (for `times`). */
  private readonly injected = new Map<string, number>();

  /** The active configuration; replacing it restarts the per-route `times` counts. */
  get config(): FaultConfig {
    return this.current;
  }
  set config(next: FaultConfig) {
    this.current = next;
    this.injected.clear();
  }

  /** @param initial global settings from the start-up options. */
  constructor(initial: Partial<FaultConfig> = {}) {
    this.config = parseFaultConfig(initial);
  }

  /** Decision for one request of the given route (`unknown` gets only global faults). */
  decide(route: string, random: () => number = Math.random): FaultDecision {
    const c = this.config;
    const r = c.routes[route] ?? {};
    const d: FaultDecision = {
      latencyMs: c.latencyMs + (r.latencyMs ?? 0),
      drop: false,
      dropAfterCommit: false,
      crash: r.crash === true,
    };
    const used = this.injected.get(route) ?? 0;
    const routeExhausted = r.times !== undefined && used >= r.times;
    const count = (): void => {
      if (r.times !== undefined) this.injected.set(route, used + 1);
    };
    const routeRate = r.faultRate ?? (r.status !== undefined || r.dropConnection ? 1 : 0);
    if (!routeExhausted && routeRate > 0 && random() < routeRate) {
      const kinds: (number | "drop")[] = [...(r.status ?? [])];
      if (r.dropConnection) kinds.push("drop");
      if (kinds.length === 0) kinds.push(...TRANSIENT_STATUSES, "drop");
      count();
      return this.apply(d, kinds[Math.floor(random() * kinds.length)]);
    }
    if (c.faultRate > 0 && random() < c.faultRate) {
      const kinds: (number | "drop")[] = [...TRANSIENT_STATUSES, "drop"];
      return this.apply(d, kinds[Math.floor(random() * kinds.length)]);
    }
    if (routeExhausted) return d;
    if (r.dropAfterCommit && random() < r.dropAfterCommit) {
      d.dropAfterCommit = true;
      count();
    } else if (r.malformed && random() < (r.malformedRate ?? 1)) {
      d.malformed = r.malformed;
      count();
    }
    return d;
  }

  private apply(d: FaultDecision, kind: number | "drop"): FaultDecision {
    if (kind === "drop") d.drop = true;
    else d.status = kind;
    return d;
  }
}

/** Marks `reply` (built by the server for a successful answer) as malformed. */
export interface MalformedReply {
  /** Status (kept). */
  status: number;
  /** Headers (Content-Type may change). */
  headers: Record<string, string>;
  /** The malformed body. */
  body: string;
}

const HTML_PAGE =
  "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n" +
  "<body><h1>Bad Gateway</h1><p>The proxy received an invalid response from an upstream server.</p></body></html>\n";

/**
 * Rewrites a successful answer into a malformed one of `kind`. Answers without a body (204) are
 * returned unchanged; so are bodies that are not JSON objects (for the JSON kinds).
 */
export function malform(
  kind: MalformedKind,
  reply: { status: number; headers: Record<string, string>; body?: string },
): MalformedReply | null {
  if (reply.status < 200 || reply.status >= 300 || reply.body === undefined || reply.body === "") return null;
  const headers = { ...reply.headers };
  if (kind === "html") {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === "content-type") delete headers[k];
    headers["Content-Type"] = "text/html; charset=utf-8";
    return { status: reply.status, headers, body: HTML_PAGE };
  }
  if (kind === "truncated") {
    return { status: reply.status, headers, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    return null;
  }
  const target = mainObject(parsed);
  if (!target) return null;
  if (kind === "missing-field") {
    for (const key of ["_links", "attributes", "data", "_embedded", "id"]) {
      if (key in target) {
        delete target[key];
        break;
      }
    }
  } else {
    const key = [
      "token",
      "member_token",
      "email",
      "state",
      "id",
      "attributes",
      "_links",
      "data",
      "_embedded",
    ].find((k) => k in target);
    if (key === undefined) return null;
    target[key] = typeof target[key] === "number" ? "not-a-number" : 12345;
  }
  return { status: reply.status, headers, body: JSON.stringify(parsed) };
}

/** The object a client reads from a body: the first item of a collection, JSON:API `data`, or the body. */
function mainObject(body: unknown): Record<string, unknown> | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const o = body as Record<string, unknown>;
  const embedded = o._embedded;
  if (typeof embedded === "object" && embedded !== null) {
    for (const list of Object.values(embedded as Record<string, unknown>)) {
      if (Array.isArray(list) && typeof list[0] === "object" && list[0] !== null)
        return list[0] as Record<string, unknown>;
    }
    return o;
  }
  const data = o.data;
  if (Array.isArray(data)) {
    return typeof data[0] === "object" && data[0] !== null ? (data[0] as Record<string, unknown>) : o;
  }
  if (typeof data === "object" && data !== null) return data as Record<string, unknown>;
  return o;
}

/** Outcome of taking one token from the bucket. */
export interface RateDecision {
  /** Whether the request may proceed. */
  allowed: boolean;
  /** `RateLimit-*` headers for the response. */
  headers: Record<string, string>;
}

/** Token bucket: capacity R, refilled at R tokens per second (wall clock). */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();

  /** @param perSecond R; 0 disables the limiter. */
  constructor(readonly perSecond: number) {
    this.tokens = perSecond;
  }

  /** Takes a token if one is available. */
  take(): RateDecision {
    const now = Date.now();
    const r = this.perSecond;
    this.tokens = Math.min(r, this.tokens + ((now - this.last) / 1000) * r);
    this.last = now;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const reset = Math.max(1, Math.ceil((r - this.tokens) / r));
    const headers: Record<string, string> = {
      "RateLimit-Limit": String(r),
      "RateLimit-Remaining": String(Math.floor(this.tokens)),
      "RateLimit-Reset": String(reset),
    };
    if (!allowed) headers["Retry-After"] = String(Math.max(1, Math.ceil((1 - this.tokens) / r)));
    return { allowed, headers };
  }
}

/** Snapshot returned by `GET /_control/requests`. */
export interface RequestCounts {
  /** Every API request counted. */
  total: number;
  /** Counts keyed `"METHOD route.name"`; unmatched requests under `"unknown"`. */
  byRoute: Record<string, number>;
  /** Injected faults keyed by status or `drop` / `dropAfterCommit`. */
  faults: Record<string, number>;
  /** Requests refused by the rate limit. */
  rateLimited: number;
}

/** Request log of the API routes. */
export class RequestLog {
  private counts: RequestCounts = { total: 0, byRoute: {}, faults: {}, rateLimited: 0 };

  /** Counts one request. */
  request(method: string, route: string | null): void {
    const key = route === null ? "unknown" : `${method} ${route}`;
    this.counts.total++;
    this.counts.byRoute[key] = (this.counts.byRoute[key] ?? 0) + 1;
  }

  /** Counts one injected fault. */
  fault(kind: string): void {
    this.counts.faults[kind] = (this.counts.faults[kind] ?? 0) + 1;
  }

  /** Counts one rate-limited request. */
  rateLimited(): void {
    this.counts.rateLimited++;
  }

  /** A copy of the counts. */
  snapshot(): RequestCounts {
    return JSON.parse(JSON.stringify(this.counts)) as RequestCounts;
  }

  /** Zeroes the counts. */
  reset(): void {
    this.counts = { total: 0, byRoute: {}, faults: {}, rateLimited: 0 };
  }
}
