/**
 * What one response's `RateLimit-*` headers (IETF draft httpapi-ratelimit-headers) said about the
 * server's quota, as handed to {@link HostLimiter.observe}.
 */
export interface RateLimitObservation {
  /** `RateLimit-Limit`: requests allowed per window (also the server's burst). */
  limit: number;
  /** `RateLimit-Remaining`: requests left when the server answered. */
  remaining: number;
  /** Window length in seconds (`RateLimit-Policy` `w=`); 1 s when the server does not say. */
  windowSeconds?: number;
}

/** Share of the server's advertised rate the limiter paces at, so it never races the server's refill. */
export const LEARNED_RATE_HEADROOM = 0.98;

/**
 * Process-wide, per-host (origin) request limiter shared by every client talking to that host:
 * a semaphore bounding concurrent requests, an optional token bucket bounding requests per second,
 * and a pause that holds every request to the host until a rate-limit window (429 `Retry-After`,
 * `RateLimit-Reset`) has elapsed, so many concurrent resources do not stampede the API.
 *
 * It also learns the server's limit from `RateLimit-Limit` / `RateLimit-Remaining` (see
 * {@link observe}) and then paces itself with a mirror of the server's token bucket (GCRA): it spends
 * the burst the server reports as remaining (less a small reserve), then sends at
 * {@link LEARNED_RATE_HEADROOM} of the advertised rate. The mirror is only ever lowered to what the
 * server reports (minus requests still in flight), so it runs at the server's limit without tripping
 * it, instead of discovering the limit by 429s.
 */
export class HostLimiter {
  /** The origin this limiter guards, e.g. `https://app.mode.com`. */
  readonly origin: string;
  /** Maximum requests in flight. */
  maxConcurrency: number;
  /** Requests per second, or undefined for no client-side rate limit. */
  requestsPerSecond?: number;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  private tokens = 0;
  private lastRefill = Date.now();
  private pausedUntil = 0;
  /** Learned server rate (requests per second, headroom applied); undefined until a response says. */
  private learnedRate?: number;
  /** Learned server burst (bucket capacity) in requests, less the reserve. */
  private learnedBurst = 1;
  /** GCRA theoretical arrival time (epoch ms) of the mirrored server bucket. */
  private tat = 0;

  /** Creates a limiter for `origin`. */
  constructor(origin: string, maxConcurrency: number, requestsPerSecond?: number) {
    this.origin = origin;
    this.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
    this.requestsPerSecond = requestsPerSecond;
    this.tokens = requestsPerSecond ? Math.max(1, requestsPerSecond) : 0;
  }

  /** Requests currently holding a slot. */
  get active(): number {
    return this.inFlight;
  }

  /** Epoch ms until which requests are held (0 when not paused). */
  get pauseEndsAt(): number {
    return this.pausedUntil > Date.now() ? this.pausedUntil : 0;
  }

  /** The rate (requests per second) learned from `RateLimit-*` headers, or undefined. */
  get learnedRequestsPerSecond(): number | undefined {
    return this.learnedRate;
  }

  /**
   * Learns the server's quota from a response's `RateLimit-*` headers and lowers the mirrored bucket
   * to what the server reports, counting the other requests still in flight as already spent.
   * Call once per response, before releasing its slot.
   */
  observe(o: RateLimitObservation): void {
    const window = o.windowSeconds && o.windowSeconds > 0 ? o.windowSeconds : 1;
    if (!(o.limit > 0) || !Number.isFinite(o.limit) || !Number.isFinite(o.remaining)) return;
    const rate = (o.limit / window) * LEARNED_RATE_HEADROOM;
    const reserve = Math.max(1, Math.ceil(o.limit * 0.01));
    this.learnedRate = rate;
    this.learnedBurst = Math.max(1, Math.floor(o.limit) - reserve);
    const interval = 1000 / rate;
    const now = Date.now();
    // Tokens the server can still give us: what it said, less our other requests it may not have seen yet.
    const available = Math.max(0, Math.floor(o.remaining) - reserve - Math.max(0, this.inFlight - 1));
    const mirrored = this.learnedBurst - Math.max(0, this.tat - now) / interval;
    if (available < mirrored) this.tat = now + (this.learnedBurst - available) * interval;
  }

  /** Marks the mirrored server bucket empty (after a 429): the next send waits for its refill. */
  drained(): void {
    if (this.learnedRate === undefined) return;
    const now = Date.now();
    this.tat = Math.max(this.tat, now + this.learnedBurst * (1000 / this.learnedRate));
  }

  /** Holds all requests to this host until `untilEpochMs` (extends, never shortens, a pause). */
  pauseUntil(untilEpochMs: number): void {
    if (untilEpochMs > this.pausedUntil) this.pausedUntil = untilEpochMs;
  }

  /**
   * Waits for a slot: the host pause, then a concurrency slot, then a rate token.
   * Returns the release function; call it exactly once when the response is fully read.
   */
  async acquire(sleep: (ms: number) => Promise<void>): Promise<() => void> {
    await this.waitPause(sleep);
    if (this.inFlight >= this.maxConcurrency) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      this.inFlight++;
    }
    try {
      // A pause may have started while queued.
      await this.waitPause(sleep);
      await this.takeToken(sleep);
      await this.takeLearned(sleep);
    } catch (err) {
      this.release();
      throw err;
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.release();
      }
    };
  }

  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.inFlight--;
  }

  private async waitPause(sleep: (ms: number) => Promise<void>): Promise<void> {
    for (;;) {
      const wait = this.pausedUntil - Date.now();
      if (wait <= 0) return;
      const before = Date.now();
      await sleep(wait);
      // An injected sleep that does not pass time: do not spin on it.
      if (Date.now() - before < wait / 2) return;
    }
  }

  private async takeToken(sleep: (ms: number) => Promise<void>): Promise<void> {
    const rps = this.requestsPerSecond;
    if (!rps || rps <= 0) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(Math.max(1, rps), this.tokens + ((now - this.lastRefill) / 1000) * rps);
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const wait = Math.ceil(((1 - this.tokens) / rps) * 1000);
      const before = Date.now();
      await sleep(wait);
      if (Date.now() - before < wait / 2) {
        // Injected sleep that does not pass time: grant the token to make progress.
        this.tokens = 1;
      }
    }
  }

  /** Waits for this request's slot in the mirrored server bucket (GCRA reservation, no thundering herd). */
  private async takeLearned(sleep: (ms: number) => Promise<void>): Promise<void> {
    const rate = this.learnedRate;
    if (rate === undefined) return;
    const interval = 1000 / rate;
    const now = Date.now();
    const start = Math.max(this.tat, now);
    // The burst lets a request go up to (burst - 1) intervals ahead of its theoretical time.
    const sendAt = start - (this.learnedBurst - 1) * interval;
    this.tat = start + interval;
    // Less than a millisecond early is rounding, not a wait.
    if (sendAt - now >= 1) await sleep(Math.ceil(sendAt - now));
  }
}

const limiters = new Map<string, HostLimiter>();

/**
 * The shared limiter of `origin`, created on first use. A client that configures `maxConcurrency` or
 * `requestsPerSecond` explicitly sets it for every client of that host (the last explicit setting wins);
 * leaving them undefined keeps the current values (default concurrency 8, no rate limit).
 */
export function hostLimiter(
  origin: string,
  maxConcurrency?: number,
  requestsPerSecond?: number,
): HostLimiter {
  let l = limiters.get(origin);
  if (!l) {
    l = new HostLimiter(origin, maxConcurrency ?? 8, requestsPerSecond);
    limiters.set(origin, l);
    return l;
  }
  if (maxConcurrency !== undefined) l.maxConcurrency = Math.max(1, Math.floor(maxConcurrency));
  if (requestsPerSecond !== undefined)
    l.requestsPerSecond = requestsPerSecond > 0 ? requestsPerSecond : undefined;
  return l;
}

/** Forgets all host limiters (tests only). */
export function resetHostLimiters(): void {
  limiters.clear();
}
