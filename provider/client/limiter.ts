/**
 * Process-wide, per-host (origin) request limiter shared by every client talking to that host:
 * a semaphore bounding concurrent requests, an optional token bucket bounding requests per second,
 * and a pause that holds every request to the host until a rate-limit window (429 `Retry-After`,
 * `RateLimit-Reset`) has elapsed, so many concurrent resources do not stampede the API.
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
