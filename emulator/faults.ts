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
}

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
    cfg.routes[name] = rf;
  }
  return cfg;
}

/** Decides, per request, which fault (if any) applies. */
export class Faults {
  /** The active configuration. */
  config: FaultConfig;

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
    const routeRate = r.faultRate ?? (r.status !== undefined || r.dropConnection ? 1 : 0);
    if (routeRate > 0 && random() < routeRate) {
      const kinds: (number | "drop")[] = [...(r.status ?? [])];
      if (r.dropConnection) kinds.push("drop");
      if (kinds.length === 0) kinds.push(...TRANSIENT_STATUSES, "drop");
      return this.apply(d, kinds[Math.floor(random() * kinds.length)]);
    }
    if (c.faultRate > 0 && random() < c.faultRate) {
      const kinds: (number | "drop")[] = [...TRANSIENT_STATUSES, "drop"];
      return this.apply(d, kinds[Math.floor(random() * kinds.length)]);
    }
    if (r.dropAfterCommit && random() < r.dropAfterCommit) d.dropAfterCommit = true;
    return d;
  }

  private apply(d: FaultDecision, kind: number | "drop"): FaultDecision {
    if (kind === "drop") d.drop = true;
    else d.status = kind;
    return d;
  }
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
