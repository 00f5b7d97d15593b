/**
 * Emulator integration tests: the control interface, fault injection (global, per route, dropped
 * connections, lost responses after commit, latency, crashes), the rate limit and the request log.
 */
import { strict as assert } from "node:assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import {
  ModeError,
  OrgErrors,
  basic,
  bearer,
  control,
  req,
  servedRoutes,
} from "../../testing/emulator-control";

interface Counts {
  total: number;
  byRoute: Record<string, number>;
  faults: Record<string, number>;
  rateLimited: number;
}

interface StateDump {
  clock: string;
  users: { email: string }[];
  memberships: unknown[];
  invites: unknown[];
  spaces: unknown[];
  spaceMemberships: unknown[];
  userGroups: unknown[];
  workspaces: unknown[];
  orgs: unknown[];
  orgInvites: unknown[];
}

/** A request outcome: a status, or "drop" when the connection was destroyed without a response. */
async function outcome(p: Promise<{ status: number }>): Promise<number | "drop"> {
  try {
    return (await p).status;
  } catch {
    return "drop";
  }
}

describe("emulator: control interface, faults, rate limit, request log", () => {
  let emu: RunningEmulator;
  let admin: string;
  let ws: string;
  let members: string;
  let invitesUrl: string;
  let orgInvites: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    admin = basic(emu.seed.mode.token, emu.seed.mode.secret);
    ws = emu.seed.mode.workspace;
    members = `${emu.modeApiUrl}/${ws}/memberships`;
    invitesUrl = `${emu.modeApiUrl}/${ws}/invites`;
    orgInvites = `${emu.orgApiUrl}/api/v2/organizations/${emu.seed.org.organizationId}/invites`;
  });
  after(() => emu.close());
  beforeEach(async () => {
    await control(emu, "PUT", "/faults", {});
    await control(emu, "POST", "/reset");
    await control(emu, "DELETE", "/requests");
  });

  const invite = (email: string) =>
    req<ModeError>("POST", invitesUrl, {
      auth: admin,
      body: { invite: { invitee: { email }, message: "hi" } },
    });
  const orgCreate = (email: string) =>
    req<OrgErrors>("POST", orgInvites, {
      auth: bearer(emu.seed.org.token),
      body: { data: { type: "organization_invites", attributes: { recipient_email: email } } },
      contentType: "application/vnd.api+json",
    });
  const state = async (): Promise<StateDump> => (await control<StateDump>(emu, "GET", "/state")).json;
  const counts = async (): Promise<Counts> => (await control<Counts>(emu, "GET", "/requests")).json;

  it("dumps the state, reads and advances the clock, answers control errors in JSON", async () => {
    const s = await state();
    assert.equal(s.workspaces.length, 1);
    assert.equal(s.memberships.length, 6);
    assert.equal(s.spaces.length, 3);
    assert.equal(s.userGroups.length, 2);
    assert.equal(s.orgs.length, 2);
    assert.equal(s.orgInvites.length, 0);
    const c1 = await control<{ now: string; offsetSeconds: number }>(emu, "GET", "/clock");
    assert.equal(c1.json.offsetSeconds, 0);
    const c2 = await control<{ now: string; offsetSeconds: number }>(emu, "POST", "/clock/advance", {
      seconds: 3600,
    });
    assert.equal(c2.json.offsetSeconds, 3600);
    assert.ok(Date.parse(c2.json.now) - Date.parse(c1.json.now) >= 3600 * 1000);
    assert.equal((await control(emu, "POST", "/clock/advance", { seconds: "x" })).status, 400);
    assert.equal((await req("POST", `${emu.controlUrl}/clock/advance`, { body: "{bad" })).status, 400);
    assert.equal((await control(emu, "GET", "/nothing")).status, 404);
    assert.equal((await control(emu, "DELETE", "/clock")).status, 405);
    const u = await control<{ username: string; email: string; token: string }>(emu, "POST", "/mode/users", {
      workspace: ws,
      email: "new.person@acme.example",
    });
    assert.equal(u.status, 200);
    assert.equal(u.json.email, "new.person@acme.example");
    assert.match(u.json.token, /^[0-9a-f]{12}$/);
    assert.equal((await control(emu, "POST", "/mode/users", { workspace: "nope" })).status, 404);
    // An existing active member is reported, not created twice; a username of another person is a 400.
    const ada = await control<{ existed: boolean; token: string }>(emu, "POST", "/mode/users", {
      workspace: ws,
      email: "ada@acme.example",
    });
    assert.equal(ada.status, 200);
    assert.equal(ada.json.existed, true);
    assert.equal(ada.json.token, emu.seed.mode.users[0].token);
    assert.equal(
      (
        await control(emu, "POST", "/mode/users", {
          workspace: ws,
          email: "ada@acme.example",
          username: "grace",
        })
      ).status,
      400,
    );
    assert.equal((await state()).memberships.length, 7);
    await control(emu, "POST", "/reset");
    const after = await state();
    assert.equal(after.memberships.length, 6);
    assert.equal((await control<{ offsetSeconds: number }>(emu, "GET", "/clock")).json.offsetSeconds, 0);
  });

  it("a global fault rate of 1.0 yields only transient faults, counted, with no state change", async () => {
    const put = await control(emu, "PUT", "/faults", { faultRate: 1, retryAfterSeconds: 0 });
    assert.equal(put.status, 200);
    const seen = new Map<number | "drop", number>();
    for (let i = 0; i < 60; i++) {
      const o = await outcome(
        i % 3 === 0
          ? invite(`f${i}@x.example`).then((r) => {
              assert.equal(r.headers.get("content-type"), "application/hal+json");
              // The published id of the status (no definition has an "injected fault" id).
              const ids: Record<number, string> = {
                429: "rate_limited",
                500: "internal_server_error",
                502: "service_unavailable",
                503: "service_unavailable",
                504: "service_unavailable",
              };
              assert.equal(r.json.id, ids[r.status]);
              assert.match(r.json.message, /^Injected fault: HTTP \d+\.$/);
              if (r.status === 429) assert.equal(r.headers.get("retry-after"), "0");
              return r;
            })
          : i % 3 === 1
            ? req("GET", members, { auth: admin })
            : orgCreate(`f${i}@x.example`).then((r) => {
                assert.equal(r.json.errors[0].status, String(r.status));
                return r;
              }),
      );
      seen.set(o, (seen.get(o) ?? 0) + 1);
    }
    for (const k of seen.keys()) assert.ok([429, 500, 502, 503, 504, "drop"].includes(k), `unexpected ${k}`);
    assert.ok(seen.size >= 4, `variety of faults: ${[...seen.keys()].join(",")}`);
    assert.equal((await control(emu, "GET", "/state")).status, 200, "control is never faulted");
    const s = await state();
    assert.equal(s.invites.length, 0);
    assert.equal(s.orgInvites.length, 0);
    const c = await counts();
    assert.equal(c.total, 60);
    assert.equal(c.byRoute["POST mode.invites.create"], 20);
    assert.equal(c.byRoute["GET mode.memberships.list"], 20);
    assert.equal(c.byRoute["POST org.invites.create"], 20);
    assert.equal(
      Object.values(c.faults).reduce((a, b) => a + b, 0),
      60,
    );
    assert.equal(c.faults.drop ?? 0, seen.get("drop") ?? 0);
    assert.equal(c.faults["503"] ?? 0, seen.get(503) ?? 0);
    const retry = await control(emu, "PUT", "/faults", { faultRate: 1 });
    assert.equal(retry.status, 200);
    for (let i = 0; i < 30; i++) {
      const r = await outcome(
        req("GET", members, { auth: admin }).then((x) => {
          if (x.status === 429) assert.equal(x.headers.get("retry-after"), "1");
          return x;
        }),
      );
      assert.notEqual(r, 200);
    }
  });

  it("applies per-route faults only to that route", async () => {
    const put = await control<{ routes: Record<string, unknown> }>(emu, "PUT", "/faults", {
      routes: { "mode.memberships.list": { status: [503] }, "org.invites.get": { dropConnection: true } },
    });
    assert.deepEqual(put.json.routes["mode.memberships.list"], { status: [503] });
    const f = await req<ModeError>("GET", members, { auth: admin });
    assert.equal(f.status, 503);
    assert.equal(f.json.id, "service_unavailable");
    const one = await req("GET", `${members}/${emu.seed.mode.users[0].token}`, { auth: admin });
    assert.equal(one.status, 200);
    const created = await orgCreate("routes@x.example");
    assert.equal(created.status, 201);
    const id = (created.json as unknown as { data: { id: string } }).data.id;
    assert.equal(
      await outcome(req("GET", `${orgInvites}/${id}`, { auth: bearer(emu.seed.org.token) })),
      "drop",
    );
    assert.equal((await req("GET", orgInvites, { auth: bearer(emu.seed.org.token) })).status, 200);
    await control(emu, "PUT", "/faults", {
      routes: { "mode.memberships.list": { faultRate: 0.5, status: [500] } },
    });
    const outcomes = new Set<number | "drop">();
    for (let i = 0; i < 60; i++) outcomes.add(await outcome(req("GET", members, { auth: admin })));
    assert.deepEqual([...outcomes].sort(), [200, 500]);
    const c = await counts();
    assert.equal(c.faults.drop, 1);
    assert.equal(c.faults["503"], 1);
  });

  it("dropAfterCommit executes the request and then drops the response (the lost-response case)", async () => {
    await control(emu, "PUT", "/faults", {
      routes: { "mode.invites.create": { dropAfterCommit: 1 }, "org.invites.create": { dropAfterCommit: 1 } },
    });
    assert.equal(await outcome(invite("lost@x.example")), "drop");
    assert.equal(await outcome(orgCreate("lost@x.example")), "drop");
    const s = await state();
    assert.equal(s.invites.length, 1, "the invite was committed");
    assert.ok(s.users.some((u) => u.email === "lost@x.example"));
    assert.equal(s.orgInvites.length, 1);
    await control(emu, "PUT", "/faults", {});
    const retry = await req<{ resent_at: string | null }>("POST", invitesUrl, {
      auth: admin,
      body: { invite: { invitee: { email: "lost@x.example" }, message: "hi" } },
    });
    assert.equal(retry.status, 200);
    assert.notEqual(retry.json.resent_at, null, "the retry finds the committed invite pending");
    assert.equal((await orgCreate("lost@x.example")).status, 422, "the retry finds the committed org invite");
    assert.equal((await counts()).faults.dropAfterCommit, 2);
  });

  it("adds global and per-route latency", async () => {
    await control(emu, "PUT", "/faults", {
      latencyMs: 120,
      routes: { "mode.memberships.get": { latencyMs: 200 } },
    });
    let t = Date.now();
    assert.equal((await req("GET", members, { auth: admin })).status, 200);
    assert.ok(Date.now() - t >= 115, `global latency ${Date.now() - t}`);
    t = Date.now();
    await req("GET", `${members}/${emu.seed.mode.users[0].token}`, { auth: admin });
    assert.ok(Date.now() - t >= 310, `route latency ${Date.now() - t}`);
    t = Date.now();
    await control(emu, "GET", "/state");
    assert.ok(Date.now() - t < 120, "control has no latency (less than the 120 ms injected)");
  });

  it("rate-limits with a token bucket: 429 + Retry-After and RateLimit headers", async () => {
    await control(emu, "PUT", "/faults", { rateLimit: 5 });
    const rs = await Promise.all(
      Array.from({ length: 12 }, () => req<ModeError>("GET", members, { auth: admin })),
    );
    const ok = rs.filter((r) => r.status === 200);
    const limited = rs.filter((r) => r.status === 429);
    assert.equal(ok.length + limited.length, 12);
    assert.ok(ok.length >= 5 && ok.length <= 6, `ok ${ok.length}`);
    for (const r of rs) {
      assert.equal(r.headers.get("ratelimit-limit"), "5");
      assert.match(r.headers.get("ratelimit-remaining") ?? "", /^\d+$/);
      assert.match(r.headers.get("ratelimit-reset") ?? "", /^[1-9]\d*$/);
    }
    for (const r of limited) {
      assert.ok(Number(r.headers.get("retry-after")) >= 1);
      assert.equal(r.json.id, "rate_limited");
    }
    assert.equal((await counts()).rateLimited, limited.length);
    assert.equal((await control(emu, "GET", "/state")).status, 200, "control is not rate limited");
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await req("GET", members, { auth: admin })).status, 200, "tokens refill");
    await control(emu, "PUT", "/faults", {});
    const plain = await req("GET", members, { auth: admin });
    assert.equal(plain.headers.get("ratelimit-limit"), null);
  });

  it("a throwing handler answers 500 in the API's error shape and the server keeps running", async () => {
    await control(emu, "PUT", "/faults", {
      routes: { "mode.memberships.list": { crash: true }, "org.invites.list": { crash: true } },
    });
    const m = await req<ModeError>("GET", members, { auth: admin });
    assert.equal(m.status, 500);
    assert.equal(m.json.id, "internal_server_error");
    const o = await req<OrgErrors>("GET", orgInvites, { auth: bearer(emu.seed.org.token) });
    assert.equal(o.status, 500);
    assert.equal(o.json.errors[0].status, "500");
    assert.equal(
      (await req("GET", `${members}/${emu.seed.mode.users[0].token}`, { auth: admin })).status,
      200,
    );
  });

  it("lists the route tables it dispatches, each route once, by the names faults and the request log use", async () => {
    const routes = await servedRoutes(emu);
    const names = (list: { name: string; method: string }[]) => list.map((r) => `${r.method} ${r.name}`);
    for (const route of [
      "POST mode.invites.create",
      "GET mode.memberships.list",
      "GET mode.memberships.get",
      "DELETE mode.memberships.delete",
      "GET mode.spaceMemberships.list",
      "POST mode.spaceMemberships.create",
      "GET mode.spaceMemberships.get",
      "DELETE mode.spaceMemberships.delete",
    ])
      assert.ok(names(routes.mode).includes(route), route);
    assert.ok(names(routes.org).includes("GET org.invites.list"));
    // A name is unique per method: `mode.spaces.update` is both PATCH and POST (Mode takes either).
    for (const list of [routes.mode, routes.org])
      assert.equal(new Set(names(list)).size, list.length, "route names are unique per method");
    const members = routes.mode.find((r) => r.name === "mode.memberships.get");
    assert.deepEqual(members?.pattern, [":workspace", "memberships", ":membership"]);
    assert.equal((await control(emu, "POST", "/routes")).status, 405);
  });

  it("validates fault settings", async () => {
    for (const bad of [
      { faultRate: 2 },
      { latencyMs: -1 },
      { routes: { x: { status: [200] } } },
      { routes: [] },
    ]) {
      const r = await control<{ error: string }>(emu, "PUT", "/faults", bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.ok(r.json.error.length > 5);
    }
    const g = await control<{ faultRate: number; retryAfterSeconds: number }>(emu, "GET", "/faults");
    assert.equal(g.json.faultRate, 0);
    assert.equal(g.json.retryAfterSeconds, 1);
  });

  it("counts requests per method and route; unknown routes under 'unknown'; DELETE resets", async () => {
    await req("GET", members, { auth: admin });
    await req("GET", members);
    await invite("count@x.example");
    await req("GET", `${emu.modeApiUrl}/${ws}/nothing`, { auth: admin });
    await req("PUT", members, { auth: admin });
    await req("GET", orgInvites, { auth: bearer(emu.seed.org.token) });
    const c = await counts();
    assert.deepEqual(c.byRoute, {
      "GET mode.memberships.list": 2,
      "POST mode.invites.create": 1,
      unknown: 2,
      "GET org.invites.list": 1,
    });
    assert.equal(c.total, 6);
    assert.deepEqual(c.faults, {});
    assert.equal(c.rateLimited, 0);
    const d = await control<Counts>(emu, "DELETE", "/requests");
    assert.equal(d.json.total, 0);
    assert.equal((await counts()).total, 0);
  });

  it("takes global faults from the start-up options", async () => {
    const faulty = await startEmulator({ port: 0, faultRate: 1, latencyMs: 10, rateLimit: 1000 });
    try {
      const a = basic(faulty.seed.mode.token, faulty.seed.mode.secret);
      for (let i = 0; i < 10; i++) {
        const o = await outcome(
          req("GET", `${faulty.modeApiUrl}/${faulty.seed.mode.workspace}/memberships`, { auth: a }),
        );
        assert.notEqual(o, 200);
      }
      const f = await control<{ faultRate: number; latencyMs: number; rateLimit: number }>(
        faulty,
        "GET",
        "/faults",
      );
      assert.deepEqual([f.json.faultRate, f.json.latencyMs, f.json.rateLimit], [1, 10, 1000]);
    } finally {
      await faulty.close();
    }
  });
});
