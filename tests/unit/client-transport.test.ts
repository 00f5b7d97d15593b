import assert from "assert";
import {
  ApiError,
  ModeClient,
  hostLimiter,
  parseRetryAfter,
  type ModeClientOptions,
} from "../../provider/client";
import {
  collect,
  membership,
  recordingSleep,
  rejection,
  spaceMembership,
  startScript,
  type ScriptServer,
} from "../support/client-helpers";

/** Transport rules exercised through ModeClient against a scripted local server. */
describe("client transport (scripted server)", () => {
  let srv: ScriptServer;
  beforeEach(async () => {
    srv = await startScript();
  });
  afterEach(async () => {
    await srv.close();
  });

  function client(extra: Partial<ModeClientOptions> = {}): ModeClient {
    return new ModeClient({
      apiUrl: `${srv.origin}/api`,
      token: "tok123",
      secret: "sec456",
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...extra,
    });
  }

  it("retries 503 then succeeds", async () => {
    srv.handle((_r, i) => (i === 0 ? { status: 503, body: { id: "unavailable" } } : { body: membership(1) }));
    const rec = recordingSleep();
    const m = await client({ sleep: rec.sleep }).getMembership("acme", "tok1");
    assert.strictEqual(m.member_token, "tok1");
    assert.strictEqual(srv.requests.length, 2);
    assert.strictEqual(rec.delays.length, 1);
  });

  for (const status of [429, 500, 502, 504]) {
    it(`retries ${status}`, async () => {
      srv.handle((_r, i) => (i < 2 ? { status, body: {} } : { body: membership(1) }));
      await client({ sleep: recordingSleep().sleep }).getMembership("acme", "tok1");
      assert.strictEqual(srv.requests.length, 3);
    });
  }

  it("honours Retry-After in seconds (waits at least that long) and pauses the host", async () => {
    srv.handle((_r, i) =>
      i === 0
        ? { status: 429, headers: { "Retry-After": "2" }, body: { id: "rate_limited" } }
        : { body: membership(1) },
    );
    const rec = recordingSleep();
    await client({ sleep: rec.sleep }).getMembership("acme", "tok1");
    assert.ok(Math.max(...rec.delays) >= 2000, `delays ${rec.delays}`);
    assert.strictEqual(srv.requests.length, 2);
  });

  it("honours Retry-After as an HTTP date", () => {
    const now = Date.parse("2024-01-01T00:00:00Z");
    assert.strictEqual(parseRetryAfter("Mon, 01 Jan 2024 00:00:05 GMT", now), 5000);
    assert.strictEqual(parseRetryAfter("3", now), 3000);
    assert.strictEqual(parseRetryAfter("garbage", now), undefined);
  });

  it("really waits for Retry-After with the real clock, and other clients of the host wait too", async () => {
    srv.handle((_r, i) =>
      i === 0 ? { status: 429, headers: { "Retry-After": "0.4" }, body: {} } : { body: membership(1) },
    );
    const a = client();
    const b = client();
    const t0 = Date.now();
    const first = a.getMembership("acme", "tok1");
    await new Promise((r) => setTimeout(r, 100));
    await b.getMembership("acme", "tok1");
    await first;
    // Request 1 (b's or a's retry) must not arrive before the pause ended.
    assert.ok(
      srv.requests[1].at - srv.requests[0].at >= 380,
      `gap ${srv.requests[1].at - srv.requests[0].at}`,
    );
    assert.ok(Date.now() - t0 >= 380);
  });

  for (const status of [400, 401, 403, 404, 409, 422]) {
    it(`never retries ${status}`, async () => {
      srv.handle(() => ({ status, body: { id: "x", message: "nope" } }));
      const err = await rejection(client({ sleep: recordingSleep().sleep }).getMembership("acme", "tok1"));
      assert.ok(err instanceof ApiError);
      assert.strictEqual(err.status, status);
      assert.strictEqual(err.retryable, false);
      assert.strictEqual(srv.requests.length, 1);
    });
  }

  it("gives up after the retry count with a server error naming the attempts", async () => {
    srv.handle(() => ({ status: 500, body: { id: "internal", message: "boom" } }));
    const err = await rejection(
      client({ sleep: recordingSleep().sleep, retry: { retries: 3 } }).getMembership("a", "b"),
    );
    assert.ok(err instanceof ApiError);
    assert.strictEqual(err.kind, "server");
    assert.strictEqual(err.retryable, true);
    assert.strictEqual(srv.requests.length, 4);
    assert.match(
      err.message,
      /^Mode API: GET \/a\/memberships\/b failed with 500 Internal Server Error: boom\. .*after 4 attempts/,
    );
  });

  it("uses exponential backoff with full jitter, capped", async () => {
    srv.handle(() => ({ status: 503, body: {} }));
    const rec = recordingSleep();
    await rejection(
      client({ sleep: rec.sleep, retry: { retries: 6, baseDelayMs: 100, maxDelayMs: 1000 } }).getMembership(
        "a",
        "b",
      ),
    );
    assert.strictEqual(rec.delays.length, 6);
    rec.delays.forEach((d, i) =>
      assert.ok(d >= 0 && d <= Math.min(1000, 100 * 2 ** i) + 1, `delay ${i}=${d}`),
    );
  });

  it("stops at the deadline instead of waiting past it", async () => {
    srv.handle(() => ({ status: 429, headers: { "Retry-After": "600" }, body: {} }));
    const rec = recordingSleep();
    const err = await rejection(
      client({ sleep: rec.sleep, retry: { deadlineMs: 1000 } }).getMembership("a", "b"),
    );
    assert.ok(err instanceof ApiError && err.kind === "rate_limited");
    assert.strictEqual(srv.requests.length, 1);
    assert.deepStrictEqual(rec.delays, []);
  });

  it("retries a dropped connection", async () => {
    srv.handle((_r, i) => (i === 0 ? { drop: true } : { body: membership(1) }));
    const m = await client({ sleep: recordingSleep().sleep }).getMembership("acme", "tok1");
    assert.strictEqual(m.member_token, "tok1");
    assert.strictEqual(srv.requests.length, 2);
  });

  it("reports a network error with status 0 when retries run out", async () => {
    srv.handle(() => ({ drop: true }));
    const err = await rejection(
      client({ sleep: recordingSleep().sleep, retry: { retries: 1 } }).getMembership("a", "b"),
    );
    assert.ok(err instanceof ApiError);
    assert.strictEqual(err.kind, "network");
    assert.strictEqual(err.status, 0);
    assert.ok(err.cause instanceof Error);
  });

  it("times out a slow attempt and retries it", async () => {
    srv.handle((_r, i) => (i === 0 ? { delayMs: 400, body: membership(1) } : { body: membership(2) }));
    const m = await client({ timeoutMs: 100, sleep: recordingSleep().sleep }).getMembership("acme", "tok2");
    assert.strictEqual(m.member_token, "tok2");
    srv.handle(() => ({ delayMs: 300, body: membership(1) }));
    const e2 = await rejection(client({ timeoutMs: 50, retry: { retries: 0 } }).getMembership("acme", "x"));
    assert.ok(e2 instanceof ApiError);
    assert.strictEqual(e2.kind, "timeout");
    assert.strictEqual(e2.status, 0);
    assert.match(e2.message, /no complete response within 50 ms/);
  });

  it("turns an HTML body into invalid_response", async () => {
    srv.handle(() => ({
      headers: { "Content-Type": "text/html" },
      body: "<!DOCTYPE html><html>login</html>",
    }));
    const err = await rejection(client().getMembership("a", "b"));
    assert.ok(err instanceof ApiError);
    assert.strictEqual(err.kind, "invalid_response");
    assert.strictEqual(err.status, 200);
    assert.match(err.message, /not JSON \(looks like HTML; status 200, content-type text\/html/);
  });

  it("turns truncated JSON into invalid_response", async () => {
    srv.handle(() => ({ body: '{"admin": false, "state": "act' }));
    const err = await rejection(client().getMembership("a", "b"));
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(err.message, /truncated JSON/);
  });

  it("turns an empty 200 body into invalid_response", async () => {
    srv.handle(() => ({ body: "" }));
    const err = await rejection(client().getMembership("a", "b"));
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(err.message, /response body is empty/);
  });

  it("names the field of a wrongly typed response", async () => {
    const items = [membership(0), membership(1), membership(2), membership(3, { state: 7 })];
    srv.handle(() => ({ body: { _links: { self: { href: "x" } }, _embedded: { memberships: items } } }));
    const err = await rejection(collect(client().listMemberships("acme")));
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.match(err.message, /response field \/_embedded\/memberships\/3\/state must be string/);
  });

  it("names a missing required field", async () => {
    const bad = membership(1);
    delete bad.member_token;
    srv.handle(() => ({ body: bad }));
    const err = await rejection(client().getMembership("a", "b"));
    assert.match(String(err), /response field \/member_token is required/);
  });

  // Following pages, and every way a listing can fail: tests/unit/client-pages.test.ts.

  it("does not follow redirects (credentials stay on the host)", async () => {
    srv.handle((r) =>
      r.url.startsWith("/api/")
        ? { status: 302, headers: { Location: "/elsewhere" } }
        : { body: membership(1) },
    );
    const err = await rejection(client().getMembership("a", "b"));
    assert.ok(err instanceof ApiError && err.kind === "invalid_response");
    assert.strictEqual(srv.requests.length, 1);
  });

  it("limits concurrency per host across clients", async () => {
    srv.handle(() => ({ delayMs: 60, body: membership(1) }));
    const a = client({ maxConcurrency: 2 });
    const b = client();
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? a : b).getMembership("acme", `m${i}`)));
    assert.strictEqual(srv.requests.length, 6);
    assert.strictEqual(srv.maxConcurrent, 2);
    assert.strictEqual(hostLimiter(srv.origin).active, 0);
  });

  it("applies a client-side requests-per-second limit", async () => {
    srv.handle(() => ({ body: membership(1) }));
    const c = client({ requestsPerSecond: 20 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => c.getMembership("acme", `m${i}`)));
    assert.ok(Date.now() - t0 >= 400, `took ${Date.now() - t0} ms`);
  });

  it("pauses the host when RateLimit-Remaining reaches 0", async () => {
    srv.handle((_r, i) => ({
      headers:
        i === 0 ? { "RateLimit-Remaining": "0", "RateLimit-Reset": "0.3" } : ({} as Record<string, string>),
      body: membership(1),
    }));
    const c = client();
    await c.getMembership("acme", "a");
    await c.getMembership("acme", "b");
    assert.ok(
      srv.requests[1].at - srv.requests[0].at >= 280,
      `gap ${srv.requests[1].at - srv.requests[0].at}`,
    );
  });

  it("reports Deprecation headers", async () => {
    const notices: unknown[] = [];
    srv.handle(() => ({
      headers: {
        Deprecation: "@1727654400",
        Sunset: "Mon, 30 Sep 2024 00:00:00 GMT",
        Link: '<https://mode.com/developer/api-reference/management/collections/>; rel="successor-version"',
      },
      body: spaceMembership(1),
    }));
    await client({ onDeprecation: (n) => notices.push(n) }).getSpaceMembership("acme", "s1", "sm1");
    assert.deepStrictEqual(notices, [
      {
        method: "GET",
        path: "/acme/spaces/s1/memberships/sm1",
        deprecation: "@1727654400",
        sunset: "Mon, 30 Sep 2024 00:00:00 GMT",
        link: "https://mode.com/developer/api-reference/management/collections/",
      },
    ]);
  });
});

describe("client base URL rules", () => {
  const make = (apiUrl: string) => new ModeClient({ apiUrl, token: "t", secret: "s" });
  for (const ok of [
    "https://app.mode.com/api",
    "http://127.0.0.1:8080/mode/api",
    "http://127.9.9.9/api",
    "http://localhost:3000/api/",
    "http://[::1]:3000/api",
  ]) {
    it(`accepts ${ok}`, () => {
      assert.ok(make(ok).apiUrl.startsWith(ok.split(":")[0]));
    });
  }
  for (const bad of [
    "http://app.mode.com/api",
    "http://10.0.0.1/api",
    "http://128.0.0.1/api",
    "ftp://127.0.0.1/api",
    "not a url",
    "",
    "https://user:pw@app.mode.com/api",
    "https://app.mode.com/api?x=1",
  ]) {
    it(`rejects ${JSON.stringify(bad)} before any request`, () => {
      assert.throws(
        () => make(bad),
        (e: unknown) =>
          e instanceof ApiError &&
          e.kind === "invalid_argument" &&
          e.status === 0 &&
          /apiUrl/.test(e.message),
      );
    });
  }
  it("strips the trailing slash", () => {
    assert.strictEqual(make("http://localhost:3000/api/").apiUrl, "http://localhost:3000/api");
  });
});
