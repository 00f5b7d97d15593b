/**
 * Conformance of the emulator to Mode's published OpenAPI description, checked with the clients' own
 * schemas (provider/client/schemas/mode.ts, each transcribed from a published definition): every
 * response of every Mode route the emulator serves, for success and for every error status it
 * answers with (400/401/403/404/405/413/415/429/5xx), provoked through the API itself, the control
 * interface and fault injection. Plus what the open published definitions cannot express: a list's
 * `_links` keys are among self/next_page/prev_page, `next_page` is on every page but the last
 * (`prev_page` on every page but the first), and `total_count` equals the items over all pages.
 *
 * One row per route in ROWS. The suite reads the route tables the running server dispatches
 * (`GET /_control/routes`): a Mode route without a row fails it, and so does a row without a route.
 * Adding a route (groups, collections, permissions, data sources) means adding its row: its success
 * schema (an object validator, or a list validator and where its items are), the request of a
 * success, and the errors only it answers with; the generic cases apply to every row by themselves.
 */
import { strict as assert } from "node:assert";
import { request } from "node:http";
import type { ValidateFunction } from "ajv";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  MODE_ERROR_SCHEMAS,
  compile,
  formatFailures,
  schemaFailures,
  validators,
  type ModeListPage,
} from "../../provider/client";
import { basic, control, servedRoutes, type ServedRoute } from "../../testing/emulator-control";

// ---- plumbing ------------------------------------------------------------------------------------

/** What a case needs: the emulator, its seed and the admin's credentials. */
interface Ctx {
  emu: RunningEmulator;
  seed: RunningEmulator["seed"]["mode"];
  /** Authorization of the seeded admin. */
  admin: string;
}

/** One request: a path relative to the Mode API base URL (query included), a body, credentials. */
interface Target {
  /** Path relative to `{modeApiUrl}`, e.g. `/acme/memberships?page=2`. */
  path: string;
  /** JSON body (sent as application/json unless `contentType` says otherwise). */
  body?: unknown;
  /** Authorization header; the admin's when absent, none when null. */
  auth?: string | null;
  /** Content-Type of the body. */
  contentType?: string;
  /** Method, when not the route's. */
  method?: string;
}

/** A response, body parsed. */
interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
}

/** Sends any method with any body (fetch refuses a GET with a body, needed for 413). */
function send(ctx: Ctx, method: string, t: Target): Promise<Res> {
  const url = new URL(ctx.emu.modeApiUrl + t.path);
  const headers: Record<string, string> = {};
  const auth = t.auth === undefined ? ctx.admin : t.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: Buffer | undefined;
  if (t.body !== undefined) {
    body = Buffer.isBuffer(t.body)
      ? t.body
      : Buffer.from(typeof t.body === "string" ? t.body : JSON.stringify(t.body));
    headers["Content-Type"] = t.contentType ?? "application/json";
    headers["Content-Length"] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const r = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    r.on("error", reject);
    r.end(body);
  });
}

/** Fails naming the failures when `value` does not validate. */
function assertValid(fn: ValidateFunction<unknown>, value: unknown, what: string): void {
  if (!fn(value)) {
    assert.fail(
      `${what}: ${formatFailures(schemaFailures(fn.errors), "field", 10)}\n${JSON.stringify(value)}`,
    );
  }
}

/** The error body of `status` validates against its published definition (or, without one, any published error). */
function assertError(res: Res, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.json)}`);
  assert.equal(res.headers["content-type"], "application/hal+json", what);
  const schemas = MODE_ERROR_SCHEMAS[status];
  if (schemas === undefined) return assertValid(validators.modeError, res.json, what);
  const fits = schemas.some((schema) => compile(schema)(res.json));
  assert.ok(
    fits,
    `${what}: the body is not a published error of status ${status}: ${JSON.stringify(res.json)}`,
  );
}

// ---- the table -----------------------------------------------------------------------------------

/** A success that is one object, validated by `schema`. */
interface ObjectSuccess {
  schema: ValidateFunction<unknown>;
}

/** A success that is a list, validated page by page; `pick` finds the items where the client does. */
interface ListSuccess {
  list: ValidateFunction<ModeListPage>;
  pick: (embedded: Record<string, unknown>) => unknown;
  /** At least this many pages at the suite's page size (so next_page and prev_page are exercised). */
  minPages: number;
  /** More successful listings to check (e.g. an empty list, one large page). */
  variants?: (ctx: Ctx) => Promise<Target[]>;
}

/** An error only this route answers with (the generic ones apply to every row). */
interface ErrorCase {
  status: number;
  how: string;
  /** The request, given the success target the row's `target` prepared. */
  request: (ctx: Ctx, success: Target) => Promise<Target> | Target;
}

/** One route of the emulator, as the suite checks it. */
interface Row {
  /** The route's name in the emulator's route table. */
  route: string;
  /** Its method, as the route table has it. */
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Prepares what a success needs (on a freshly reset emulator) and returns its request. */
  target: (ctx: Ctx) => Promise<Target>;
  /** The success's status (every Mode route answers 200). */
  status?: number;
  success: ObjectSuccess | ListSuccess;
  errors: ErrorCase[];
}

const ws = (ctx: Ctx) => `/${ctx.seed.workspace}`;
const spacePath = (ctx: Ctx, i = 0) => `${ws(ctx)}/spaces/${ctx.seed.spaces[i]}/memberships`;

/** Adds `n` seeded users to space `i`; returns the space-membership tokens. */
async function fillSpace(ctx: Ctx, n: number, i = 0): Promise<string[]> {
  const tokens: string[] = [];
  for (const u of ctx.seed.users.slice(0, n)) {
    const r = await send(ctx, "POST", {
      path: spacePath(ctx, i),
      body: { membership: { member_type: "User", member_token: u.token } },
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    tokens.push((r.json as { token: string }).token);
  }
  return tokens;
}

/** The admin's own member token (the credentials' own membership). */
async function adminToken(ctx: Ctx): Promise<string> {
  const r = await send(ctx, "GET", { path: `${ws(ctx)}/memberships?per_page=1000` });
  const all = (r.json as { _embedded: { memberships: { member_username: string; member_token: string }[] } })
    ._embedded.memberships;
  const self = all.find((m) => m.member_username === ctx.seed.adminUsername);
  assert.ok(self, "the admin is a member");
  return self.member_token;
}

const inviteBody = (email: unknown, message?: unknown) => ({
  invite: { invitee: { email }, ...(message === undefined ? {} : { message }) },
});

/** Every Mode route of the emulator. A route added to the emulator needs a row here. */
const ROWS: Row[] = [
  {
    route: "mode.invites.create",
    method: "POST",
    target: async (ctx) => ({ path: `${ws(ctx)}/invites`, body: inviteBody("new@x.example", "Welcome!") }),
    success: { schema: validators.modeInvite },
    errors: [
      {
        status: 400,
        how: "a malformed email",
        request: (_c, t) => ({ ...t, body: inviteBody("not-an-email", "hi") }),
      },
      { status: 400, how: "no message", request: (_c, t) => ({ ...t, body: inviteBody("new@x.example") }) },
      {
        status: 400,
        how: "a message over 1,000 characters",
        request: (_c, t) => ({ ...t, body: inviteBody("new@x.example", "x".repeat(1001)) }),
      },
      {
        status: 400,
        how: "an active member",
        request: (c, t) => ({ ...t, body: inviteBody(c.seed.users[0].email, "hi") }),
      },
      { status: 400, how: "malformed JSON", request: (_c, t) => ({ ...t, body: "{oops" }) },
      {
        status: 403,
        how: "a Workspace API token",
        request: (c, t) => ({
          ...t,
          auth: basic(c.seed.workspaceApiToken.token, c.seed.workspaceApiToken.secret),
        }),
      },
    ],
  },
  {
    route: "mode.memberships.list",
    method: "GET",
    target: async (ctx) => ({ path: `${ws(ctx)}/memberships` }),
    success: {
      list: validators.workspaceMemberships,
      pick: (e) => e.memberships,
      minPages: 3,
      variants: async (ctx) => [{ path: `${ws(ctx)}/memberships?per_page=1000` }],
    },
    errors: [
      { status: 400, how: "page=0", request: (_c, t) => ({ ...t, path: `${t.path}?page=0` }) },
      { status: 400, how: "per_page=abc", request: (_c, t) => ({ ...t, path: `${t.path}?per_page=abc` }) },
    ],
  },
  {
    route: "mode.memberships.get",
    method: "GET",
    target: async (ctx) => ({ path: `${ws(ctx)}/memberships/${ctx.seed.users[0].token}` }),
    success: { schema: validators.workspaceMembership },
    errors: [
      {
        status: 404,
        how: "an unknown membership",
        request: (c) => ({ path: `${ws(c)}/memberships/nobody` }),
      },
    ],
  },
  {
    route: "mode.memberships.delete",
    method: "DELETE",
    target: async (ctx) => ({ path: `${ws(ctx)}/memberships/${ctx.seed.users[0].token}` }),
    success: { schema: validators.workspaceMembership },
    errors: [
      {
        status: 404,
        how: "an unknown membership",
        request: (c) => ({ path: `${ws(c)}/memberships/nobody` }),
      },
      {
        status: 400,
        how: "the credentials' own membership",
        request: async (c) => ({ path: `${ws(c)}/memberships/${await adminToken(c)}` }),
      },
    ],
  },
  {
    route: "mode.spaceMemberships.list",
    method: "GET",
    target: async (ctx) => {
      await fillSpace(ctx, 5);
      return { path: spacePath(ctx) };
    },
    success: {
      list: validators.spaceMemberships,
      pick: (e) => e.memberships ?? e.space_memberships,
      minPages: 3,
      variants: async (ctx) => [{ path: spacePath(ctx, 1) }], // an empty space
    },
    errors: [
      {
        status: 404,
        how: "an unknown space",
        request: (c) => ({ path: `${ws(c)}/spaces/nospace/memberships` }),
      },
      { status: 400, how: "page=0", request: (_c, t) => ({ ...t, path: `${t.path}?page=0` }) },
    ],
  },
  {
    route: "mode.spaceMemberships.create",
    method: "POST",
    target: async (ctx) => ({
      path: spacePath(ctx),
      body: { membership: { member_type: "User", member_token: ctx.seed.users[0].token } },
    }),
    success: { schema: validators.spaceMembership },
    errors: [
      {
        status: 400,
        how: "an unknown member_type",
        request: (c, t) => ({
          ...t,
          body: { membership: { member_type: "Admin", member_token: c.seed.users[0].token } },
        }),
      },
      {
        status: 400,
        how: "the same member twice",
        request: async (c, t) => {
          await fillSpace(c, 1);
          return t;
        },
      },
      {
        status: 404,
        how: "an unknown member",
        request: (_c, t) => ({ ...t, body: { membership: { member_type: "User", member_token: "nobody" } } }),
      },
      {
        status: 404,
        how: "an unknown space",
        request: (c, t) => ({ ...t, path: `${ws(c)}/spaces/nospace/memberships` }),
      },
    ],
  },
  {
    route: "mode.spaceMemberships.get",
    method: "GET",
    target: async (ctx) => ({ path: `${spacePath(ctx)}/${(await fillSpace(ctx, 1))[0]}` }),
    success: { schema: validators.spaceMembership },
    errors: [
      {
        status: 404,
        how: "an unknown space membership",
        request: (c) => ({ path: `${spacePath(c)}/nobody` }),
      },
    ],
  },
  {
    route: "mode.spaceMemberships.delete",
    method: "DELETE",
    target: async (ctx) => ({ path: `${spacePath(ctx)}/${(await fillSpace(ctx, 1))[0]}` }),
    success: { schema: validators.spaceMembership },
    errors: [
      {
        status: 404,
        how: "an unknown space membership",
        request: (c) => ({ path: `${spacePath(c)}/nobody` }),
      },
      {
        status: 404,
        how: "a second delete",
        request: async (c, t) => {
          assert.equal((await send(c, "DELETE", t)).status, 200);
          return t;
        },
      },
    ],
  },
];

/**
 * Errors every route answers with, provoked the same way on each. `route` is the route under test,
 * `method` its method, `served` every route the server dispatches (to pick a method a path lacks).
 */
interface GenericCase {
  status: number;
  how: string;
  /** Only for routes that take a body (POST, PUT, PATCH). */
  withBody?: boolean;
  /** Fault configuration to set for the request (`PUT /_control/faults`), keyed by the route's name. */
  faults?: (route: string) => Record<string, unknown>;
  request?: (ctx: Ctx, t: Target, route: ServedRoute, served: ServedRoute[]) => Target;
}

const injected = (status: number): GenericCase => ({
  status,
  how: `an injected ${status}`,
  faults: (route) => ({ retryAfterSeconds: 1, routes: { [route]: { status: [status], times: 1 } } }),
});

const GENERIC: GenericCase[] = [
  { status: 401, how: "no credentials", request: (_c, t) => ({ ...t, auth: null }) },
  { status: 401, how: "a wrong secret", request: (c, t) => ({ ...t, auth: basic(c.seed.token, "wrong") }) },
  {
    status: 403,
    how: "credentials of someone who is not a member",
    request: (c, t) => ({ ...t, auth: basic(c.seed.noAccess.token, c.seed.noAccess.secret) }),
  },
  {
    status: 404,
    how: "an unknown workspace",
    request: (_c, t) => ({ ...t, path: t.path.replace(/^\/[^/?]+/, "/no-such-workspace") }),
  },
  {
    status: 405,
    how: "a method the path does not serve",
    request: (_c, t, route, served) => {
      const shape = (p: string[]) => p.map((s) => (s.startsWith(":") ? ":" : s)).join("/");
      const taken = served.filter((r) => shape(r.pattern) === shape(route.pattern)).map((r) => r.method);
      const method = ["PATCH", "PUT", "POST", "DELETE", "GET"].find((m) => !taken.includes(m));
      assert.ok(method, `every method is served on ${route.pattern.join("/")}`);
      return { ...t, method };
    },
  },
  {
    status: 413,
    how: "a body over 1 MB",
    request: (_c, t) => ({ ...t, body: Buffer.alloc(1024 * 1024 + 1, 32) }),
  },
  {
    status: 415,
    how: "a body that is not JSON",
    withBody: true,
    request: (_c, t) => ({ ...t, body: "invite=1", contentType: "application/x-www-form-urlencoded" }),
  },
  injected(429),
  { status: 429, how: "the rate limit", faults: () => ({ rateLimit: 0.001, retryAfterSeconds: 1 }) },
  {
    status: 500,
    how: "a handler that throws",
    faults: (route) => ({ routes: { [route]: { crash: true } } }),
  },
  injected(500),
  injected(502),
  injected(503),
  injected(504),
];

// ---- the suite -----------------------------------------------------------------------------------

describe("conformance: every response of the emulator's Mode routes, against the published definitions", function () {
  this.timeout(60_000);
  const ctx = {} as Ctx;
  let served: ServedRoute[] = [];

  before(async () => {
    ctx.emu = await startEmulator({ port: 0, modePageSize: 2 });
    ctx.seed = ctx.emu.seed.mode;
    ctx.admin = basic(ctx.seed.token, ctx.seed.secret);
    served = (await servedRoutes(ctx.emu)).mode;
  });
  after(() => ctx.emu?.close());
  beforeEach(async () => {
    assert.equal((await control(ctx.emu, "POST", "/reset")).status, 200);
    assert.equal((await control(ctx.emu, "PUT", "/faults", {})).status, 200);
  });

  it("covers every Mode route the server dispatches, and names no route it does not", () => {
    const names = new Set(ROWS.map((r) => r.route));
    const uncovered = served.filter((r) => !names.has(r.name)).map((r) => `${r.method} ${r.name}`);
    assert.deepEqual(uncovered, [], "Mode routes without a row in ROWS of tests/unit/conformance.test.ts");
    const stale = ROWS.filter((r) => !served.some((s) => s.name === r.route && s.method === r.method));
    assert.deepEqual(
      stale.map((r) => `${r.method} ${r.route}`),
      [],
      "rows naming a route (or method) the emulator does not serve",
    );
    assert.equal(names.size, ROWS.length, "one row per route");
  });

  for (const row of ROWS) {
    describe(row.route, () => {
      const route = (): ServedRoute => {
        const r = served.find((s) => s.name === row.route);
        assert.ok(r, `the emulator serves no route ${row.route}`);
        return r;
      };

      it(`${row.status ?? 200}: validates as published`, async () => {
        const t = await row.target(ctx);
        const s = row.success;
        if ("schema" in s) {
          const res = await send(ctx, row.method, t);
          assert.equal(res.status, row.status ?? 200, JSON.stringify(res.json));
          assert.equal(res.headers["content-type"], "application/hal+json");
          assertValid(s.schema, res.json, `${row.method} ${t.path}`);
          return;
        }
        const pages = await readList(ctx, s, t.path);
        assert.ok(pages >= s.minPages, `${t.path} has ${pages} pages; the suite wants ${s.minPages}`);
        for (const v of (await s.variants?.(ctx)) ?? []) await readList(ctx, s, v.path);
      });

      for (const e of row.errors) {
        it(`${e.status}: ${e.how}`, async () => {
          const t = await e.request(ctx, await row.target(ctx));
          assertError(await send(ctx, t.method ?? row.method, t), e.status, `${row.route}, ${e.how}`);
        });
      }

      for (const g of GENERIC.filter((c) => !c.withBody || ["POST", "PUT", "PATCH"].includes(row.method))) {
        it(`${g.status}: ${g.how}`, async () => {
          const t = await row.target(ctx);
          const r = g.request ? g.request(ctx, t, route(), served) : t;
          if (g.faults)
            assert.equal((await control(ctx.emu, "PUT", "/faults", g.faults(row.route))).status, 200);
          const res = await send(ctx, r.method ?? row.method, r);
          assertError(res, g.status, `${row.route}, ${g.how}`);
          if (g.status === 429) assert.ok(res.headers["retry-after"], "a 429 says when to retry");
          if (g.status === 405) assert.ok(res.headers.allow, "a 405 says which methods the path serves");
        });
      }
    });
  }
});

/**
 * Reads a whole list from `path`, following `next_page`, validating every page with the list's
 * schema and checking what the published definitions cannot say. Returns the number of pages.
 */
async function readList(ctx: Ctx, s: ListSuccess, path: string): Promise<number> {
  let url: string | undefined = ctx.emu.modeApiUrl + path;
  const seen = new Set<string>();
  let items = 0;
  let totals: { count: number; pages: number } | undefined;
  let n = 0;
  while (url !== undefined) {
    n++;
    assert.ok(!seen.has(url), `next_page of page ${n - 1} leads back to ${url}`);
    seen.add(url);
    const res = await send(ctx, "GET", { path: url.slice(ctx.emu.modeApiUrl.length) });
    const what: string = `GET ${url} (page ${n})`;
    assert.equal(res.status, 200, `${what}: ${JSON.stringify(res.json)}`);
    assert.equal(res.headers["content-type"], "application/hal+json");
    assertValid(s.list as ValidateFunction<unknown>, res.json, what);
    const page = res.json as ModeListPage & { _links: Record<string, { href: string }> };
    assert.deepEqual(
      Object.keys(page._links).filter((k) => !["self", "next_page", "prev_page"].includes(k)),
      [],
      `${what}: _links keys beyond self, next_page, prev_page`,
    );
    assert.ok(page.pagination, `${what}: the emulator always sends pagination`);
    const count = Number(page.pagination.total_count);
    const pages = Number(page.pagination.total_pages);
    if (totals) assert.deepEqual({ count, pages }, totals, `${what}: the totals changed between pages`);
    totals = { count, pages };
    const list = s.pick(page._embedded ?? {});
    assert.ok(Array.isArray(list), `${what}: no list where the client looks for the items`);
    items += list.length;
    assert.equal(
      page._links.prev_page === undefined,
      n === 1,
      `${what}: prev_page on every page but the first`,
    );
    url = page._links.next_page?.href;
    assert.equal(
      url === undefined,
      n === pages,
      `${what}: next_page on every page but the last (of ${pages})`,
    );
  }
  assert.ok(totals);
  assert.equal(items, totals.count, `${path}: total_count equals the items over all pages`);
  return n;
}
