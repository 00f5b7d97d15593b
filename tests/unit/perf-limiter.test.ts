/**
 * The host limiter learns the server's rate from `RateLimit-*` headers and paces itself with a mirror
 * of the server's bucket instead of discovering the limit by 429s. Timing is asserted only through
 * recorded (injected) sleeps or as generous counts; throughput numbers belong in `npm run bench`.
 */
import assert from "assert";
import {
  HostLimiter,
  LEARNED_RATE_HEADROOM,
  hostLimiter,
  resetHostLimiters,
} from "../../provider/client/limiter";
import { ModeClient } from "../../provider/client";
import { membership, recordingSleep, startScript, type ScriptServer } from "../support/client-helpers";

describe("perf: limiter pacing from RateLimit headers", () => {
  afterEach(() => resetHostLimiters());

  it("does not pace before the server has said anything", async () => {
    const l = new HostLimiter("http://127.0.0.1:1", 8);
    const rec = recordingSleep();
    for (let i = 0; i < 20; i++) (await l.acquire(rec.sleep))();
    assert.deepStrictEqual(rec.delays, []);
    assert.strictEqual(l.learnedRequestsPerSecond, undefined);
  });

  it("spends the reported burst, then waits one interval of the learned rate per request", async () => {
    const l = new HostLimiter("http://127.0.0.1:1", 8);
    // 5 per 10 s: an interval of ~2 s, far longer than this test's own run time.
    l.observe({ limit: 5, remaining: 5, windowSeconds: 10 });
    const rate = 0.5 * LEARNED_RATE_HEADROOM;
    assert.ok(Math.abs((l.learnedRequestsPerSecond ?? 0) - rate) < 1e-9);
    const rec = recordingSleep();
    // 5 remaining less a reserve of 1: 4 go at once.
    for (let i = 0; i < 4; i++) (await l.acquire(rec.sleep))();
    assert.deepStrictEqual(rec.delays, [], "the burst is not paced");
    (await l.acquire(rec.sleep))();
    assert.strictEqual(rec.delays.length, 1, "the request after the burst waits");
    const interval = 1000 / rate;
    assert.ok(
      rec.delays[0] > interval / 2 && rec.delays[0] <= Math.ceil(interval) + 1,
      `waited ${rec.delays[0]} ms, interval ${interval} ms`,
    );
  });

  it("lowers its mirror to what the server reports (another client spent the quota)", async () => {
    const l = new HostLimiter("http://127.0.0.1:1", 8);
    l.observe({ limit: 10, remaining: 10, windowSeconds: 10 });
    l.observe({ limit: 10, remaining: 0, windowSeconds: 10 });
    const rec = recordingSleep();
    (await l.acquire(rec.sleep))();
    assert.strictEqual(rec.delays.length, 1, "an empty server bucket means waiting");
    // One interval of 10 per 10 s at the headroom: ~1,020 ms.
    assert.ok(rec.delays[0] >= 500 && rec.delays[0] <= 1100, `waited ${rec.delays[0]} ms`);
  });

  it("honours the RateLimit-Policy window (w=60: a per-minute quota)", () => {
    const l = new HostLimiter("http://127.0.0.1:1", 8);
    l.observe({ limit: 60, remaining: 60, windowSeconds: 60 });
    assert.ok(Math.abs((l.learnedRequestsPerSecond ?? 0) - LEARNED_RATE_HEADROOM) < 1e-9);
  });

  describe("against a scripted token-bucket server", () => {
    let srv: ScriptServer;
    afterEach(async () => srv?.close());

    /** A server with a token bucket of `rate` per second and burst `rate`, sending RateLimit-* headers. */
    async function bucketServer(
      rate: number,
      extraHeaders: Record<string, string> = {},
    ): Promise<ScriptServer> {
      let tokens = rate;
      let last = Date.now();
      return startScript(() => {
        const now = Date.now();
        tokens = Math.min(rate, tokens + ((now - last) / 1000) * rate);
        last = now;
        const allowed = tokens >= 1;
        if (allowed) tokens -= 1;
        const headers: Record<string, string> = {
          "RateLimit-Limit": String(rate),
          "RateLimit-Remaining": String(Math.floor(tokens)),
          "RateLimit-Reset": "1",
          ...extraHeaders,
        };
        if (!allowed) return { status: 429, headers: { ...headers, "Retry-After": "1" }, body: {} };
        return { headers, body: membership(1) };
      });
    }

    it("learns the limit from the headers of a response", async () => {
      srv = await bucketServer(40, { "RateLimit-Policy": "40;w=2" });
      const c = new ModeClient({ apiUrl: `${srv.origin}/api`, token: "t", secret: "s" });
      await c.getMembership("acme", "m");
      const learned = hostLimiter(srv.origin).learnedRequestsPerSecond ?? 0;
      assert.ok(Math.abs(learned - 20 * LEARNED_RATE_HEADROOM) < 1e-9, `learned ${learned}`);
    });

    it("sends 3× the burst with concurrency 8 and (almost) no 429", async () => {
      const rate = 20;
      srv = await bucketServer(rate);
      const c = new ModeClient({
        apiUrl: `${srv.origin}/api`,
        token: "t",
        secret: "s",
        maxConcurrency: 8,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
      });
      await Promise.all(Array.from({ length: 3 * rate }, (_, i) => c.getMembership("acme", `m${i}`)));
      const refused = srv.requests.length - 3 * rate;
      // Without pacing, every request past the burst races the refill and ~40 are refused.
      assert.ok(refused <= 1, `${refused} requests were answered 429`);
    });
  });
});
