/**
 * Conformance of the emulator to Mode's published OpenAPI description, checked with the clients' own
 * schemas (provider/client/schemas/mode.ts, each transcribed from a published definition): every
 * response of every Mode route the emulator serves, for success and for every error status it
 * answers with (400/401/403/404/405/413/415/429/5xx), provoked through the API itself, the control
 * interface and fault injection. Plus what the open published definitions cannot express: a list's
 * `_links` keys are among self/next_page/prev_page, `next_page` is on every page but the last
 * (`prev_page` on every page but the first), and `total_count` equals the items over all pages.
 *
 * One row per route (method and name) in ROWS: invites, workspace and space memberships, and Mode's
 * access model (groups, group memberships, collections, collection permissions, data sources and
 * data-source permissions, provider/client/schemas/access.ts). The suite reads the route tables the
 * running server dispatches (`GET /_control/routes`): a Mode route without a row fails it, and so does
 * a row without a route. Adding a route means adding its row: its success schema (an object
 * validator, or a list validator and where its items are), the request of a success, and the errors
 * only it answers with; the generic cases apply to every row by themselves. Where the published
 * definitions only say "string" and API-CONTRACT.md names the values (a collection's access level, a
 * permission's action), a row's `check` holds every object to the contract.
 *
 * The emulator runs with 2 items a page and a seed of 5 of everything the access model lists, so
 * every list spans several pages.
 */
import { strict as assert } from "node:assert";
import { request } from "node:http";
import type { ValidateFunction } from "ajv";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  MODE_ERROR_SCHEMAS,
  accessValidators,
  compile,
  formatFailures,
  schemaFailures,
  validators,
  type ModeListPage,
  type Permission,
  type Space,
  type UserGroup,
} from "../../provider/client";
import {
  addDataSource,
  basic,
  control,
  ensurePersonalCollection,
  servedRoutes,
  setDataSourcePermissionGet500,
  setGroupManaged,
  setMemberAdmin,
  type ServedRoute,
} from "../../testing/emulator-control";

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

/** Holds a response object (or a list item) to what the contract says beyond its schema. */
type Check = (value: unknown, what: string) => void;

/** A success that is one object, validated by `schema`. */
interface ObjectSuccess {
  schema: ValidateFunction<unknown>;
  /** What the contract fixes beyond the schema. */
  check?: Check;
  /** More successful requests to check, each prepared after the first success (same method unless set). */
  variants?: (ctx: Ctx) => Promise<Target[]>;
}

/** A success that is a list, validated page by page; `pick` finds the items where the client does. */
interface ListSuccess {
  list: ValidateFunction<ModeListPage>;
  pick: (embedded: Record<string, unknown>) => unknown;
  /** At least this many pages at the suite's page size (so next_page and prev_page are exercised). */
  minPages: number;
  /** More successful listings to check (e.g. an empty list, one large page). */
  variants?: (ctx: Ctx) => Promise<Target[]>;
  /** What the contract fixes beyond the schema, for every item. */
  check?: Check;
}

/** An error only this route answers with (the generic ones apply to every row). */
interface ErrorCase {
  status: number;
  how: string;
  /** The request, given the success target the row's `target` prepared. */
  request: (ctx: Ctx, success: Target) => Promise<Target> | Target;
  /** What the error's message must say, where the contract says what it says. */
  message?: RegExp;
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

/** A row's identity: its method and route name (one name may be served with two methods). */
const rowKey = (r: Row): string => `${r.method} ${r.route}`;

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

/** The invite and membership routes. */
const MEMBERSHIP_ROWS: Row[] = [
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

// ---- Mode's access model: groups, collections, permissions, data sources ------------------------

/** Sizes of the seed: 5 of each listed object (3 pages at 2 a page), and 2 personal collections. */
const SEED = { users: 5, spaces: 5, userGroups: 5, dataSources: 5, personalCollections: 2 };

/** Sends `t` (as the admin unless it says otherwise), asserts 200 and returns the body. */
async function ok200<T>(ctx: Ctx, method: string, t: Target): Promise<T> {
  const r = await send(ctx, method, t);
  assert.equal(r.status, 200, `${method} ${t.path}: ${JSON.stringify(r.json)}`);
  return r.json as T;
}

const groupPath = (ctx: Ctx, token?: string) => `${ws(ctx)}/groups${token === undefined ? "" : `/${token}`}`;
const groupMembersPath = (ctx: Ctx, token: string) => `${groupPath(ctx, token)}/memberships`;
const collectionPath = (ctx: Ctx, space?: string) =>
  `${ws(ctx)}/spaces${space === undefined ? "" : `/${space}`}`;
const dataSourcePath = (ctx: Ctx, ds?: string) =>
  `${ws(ctx)}/data_sources${ds === undefined ? "" : `/${ds}`}`;
/** Collection `i` of the seed (`Space i+1`; levels cycle restricted, view, edit). */
const collection = (ctx: Ctx, i: number) => collectionPath(ctx, ctx.seed.spaces[i]);
/** Data source `i` of the seed (the first grants group 0 `query` and user 0 `view`; the third none). */
const dataSource = (ctx: Ctx, i: number) => dataSourcePath(ctx, ctx.seed.dataSources[i].token);
/** Group `i` of the seed (`Group i+1`, whose one member is seeded user `i`). */
const group = (ctx: Ctx, i: number) => ctx.seed.userGroups[i];
/** The seeded users' tokens from `from` on. */
const userTokens = (ctx: Ctx, from: number) => ctx.seed.users.slice(from).map((u) => u.token);
const workspaceToken = (ctx: Ctx) =>
  basic(ctx.seed.workspaceApiToken.token, ctx.seed.workspaceApiToken.secret);
/** The last path segment of a target (the object's token). */
const lastSegment = (t: Target) => t.path.split("?")[0].split("/").pop() ?? "";

/** Creates a group; returns its token. */
async function newGroup(ctx: Ctx, name: string): Promise<string> {
  return (
    await ok200<{ token: string }>(ctx, "POST", { path: groupPath(ctx), body: { user_group: { name } } })
  ).token;
}

/** Adds members (user tokens) to a group; returns the group-membership tokens. */
async function addGroupMembers(ctx: Ctx, groupToken: string, members: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const member_token of members) {
    const path = groupMembersPath(ctx, groupToken);
    out.push(
      (await ok200<{ token: string }>(ctx, "POST", { path, body: { membership: { member_token } } })).token,
    );
  }
  return out;
}

/** Creates a collection (as the admin, or with `auth`); returns its token. */
async function newCollection(ctx: Ctx, name: string, auth?: string): Promise<string> {
  const body = { space: { name, description: "" } };
  return (await ok200<{ token: string }>(ctx, "POST", { path: collectionPath(ctx), body, auth })).token;
}

/** Grants `action` on a collection or data source (`target` is its path); returns the permission's token. */
async function grant(
  ctx: Ctx,
  target: string,
  accessor_type: string,
  accessor_token: string,
  action: string,
): Promise<string> {
  const body = { permission: { action, accessor_type, accessor_token } };
  return (await ok200<{ token: string }>(ctx, "POST", { path: `${target}/permissions`, body })).token;
}

/** Grants `action` to each member (user tokens). */
async function grantMembers(ctx: Ctx, target: string, members: string[], action: string): Promise<void> {
  for (const m of members) await grant(ctx, target, "Account", m, action);
}

/** Makes the seeded admin a plain member, so the admin's credentials lack what an admin-only write needs. */
const demoteAdmin = (ctx: Ctx) =>
  setMemberAdmin(ctx.emu, ctx.seed.workspace, { username: ctx.seed.adminUsername }, false);

/** Fails unless `value` is one of `allowed`. */
function oneOf(value: unknown, allowed: readonly string[], what: string): void {
  assert.ok(
    typeof value === "string" && allowed.includes(value),
    `${what}: ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`,
  );
}

/** API-CONTRACT.md: a group is `active`, or `soft_deleted` after a delete. */
const checkGroup: Check = (value, what) => {
  oneOf((value as UserGroup).state, ["active", "soft_deleted"], `${what}: state`);
};

/** API-CONTRACT.md: types, states and levels of a collection; `restricted` exactly when the level is. */
const checkSpace: Check = (value, what) => {
  const s = value as Space;
  oneOf(s.space_type, ["custom", "personal"], `${what}: space_type`);
  oneOf(s.state, ["active", "soft_deleted"], `${what}: state`);
  oneOf(s.default_access_level, ["restricted", "view", "edit"], `${what}: default_access_level`);
  assert.equal(
    s.restricted,
    s.default_access_level === "restricted",
    `${what}: restricted follows the level`,
  );
};

/** API-CONTRACT.md: a permission's action (per target kind) and accessor type. */
const checkPermission =
  (actions: readonly string[]): Check =>
  (value, what) => {
    const p = value as Permission;
    oneOf(p.action, actions, `${what}: action`);
    oneOf(p.accessor_type, ["Account", "UserGroup"], `${what}: accessor_type`);
  };
const SPACE_ACTIONS = ["view", "edit"] as const;
const DATA_SOURCE_ACTIONS = ["view", "query", "manage"] as const;

/**
 * The permission lists' key is documented nowhere (the emulator's are `space_entitlements` and
 * `data_source_entitlements`; clients read the one array, whatever its key): `_embedded` holds
 * exactly one array.
 */
function theOnlyArray(embedded: Record<string, unknown>): unknown {
  const keys = Object.keys(embedded);
  assert.equal(keys.length, 1, `_embedded holds exactly one array, not ${JSON.stringify(keys)}`);
  const list = embedded[keys[0]];
  assert.ok(Array.isArray(list), `_embedded.${keys[0]} is an array`);
  return list;
}

const pageZero: ErrorCase = {
  status: 400,
  how: "page=0",
  request: (_c, t) => ({ ...t, path: `${t.path}?page=0` }),
};
const perPageAbc: ErrorCase = {
  status: 400,
  how: "per_page=abc",
  request: (_c, t) => ({ ...t, path: `${t.path}?per_page=abc` }),
};
const malformedJson: ErrorCase = {
  status: 400,
  how: "malformed JSON",
  request: (_c, t) => ({ ...t, body: "{oops" }),
};
const noWrapper = (key: string): ErrorCase => ({
  status: 400,
  how: `no ${key} object in the body`,
  request: (_c, t) => ({ ...t, body: { [`not_${key}`]: {} } }),
});
/** A write that needs an admin (or a Workspace API token), by a member who is not one. */
const notAdmin: ErrorCase = {
  status: 403,
  how: "credentials of a member who is not an admin",
  request: async (c, t) => {
    await demoteAdmin(c);
    return t;
  },
};
/** The success's request after a DELETE of its path answered 200 (a second delete, when the row's is one). */
const afterDelete = (how = "a second delete", status = 404): ErrorCase => ({
  status,
  how,
  request: async (c, t) => {
    await ok200(c, "DELETE", { path: t.path });
    return t;
  },
});
/** The success's request with its last path segment (the object's token) unknown. */
const unknownLast = (what: string): ErrorCase => ({
  status: 404,
  how: `an unknown ${what}`,
  request: (_c, t) => ({ ...t, path: t.path.replace(/\/[^/?]+(\?|$)/, "/nosuchtoken$1") }),
});
/** The success's request with segment `index` of its path (0 = the workspace) unknown. */
const unknownSegment = (index: number, what: string): ErrorCase => ({
  status: 404,
  how: `an unknown ${what}`,
  request: (_c, t) => {
    const parts = t.path.split("/");
    parts[index + 1] = "nosuchtoken";
    return { ...t, path: parts.join("/") };
  },
});
/**
 * A group the identity provider manages (SCIM): its members change only through the identity provider
 * (API-CONTRACT.md: a 400 saying so); the emulator refuses its rename and delete the same way.
 */
const managedGroup = (groupIndex: number): ErrorCase => ({
  status: 400,
  how: "a group the identity provider manages (SCIM)",
  message: /identity provider/,
  request: async (c, t) => {
    await setGroupManaged(c.emu, c.seed.workspace, group(c, groupIndex), true);
    return t;
  },
});
/** A soft-deleted group (`index` in the seed): its memberships and its updates answer 404. */
const deletedGroup = (groupIndex: number): ErrorCase => ({
  status: 404,
  how: "a deleted group",
  request: async (c, t) => {
    await ok200(c, "DELETE", { path: groupPath(c, group(c, groupIndex)) });
    return t;
  },
});

const groupRows: Row[] = [
  {
    route: "mode.groups.list",
    method: "GET",
    target: async (ctx) => ({ path: groupPath(ctx) }),
    success: {
      list: accessValidators.userGroups,
      pick: (e) => e.groups,
      minPages: 3,
      check: checkGroup,
      variants: async (ctx) => {
        await ok200(ctx, "DELETE", { path: groupPath(ctx, group(ctx, 4)) }); // lists leave it out
        return [{ path: groupPath(ctx) }, { path: `${groupPath(ctx)}?per_page=1000` }];
      },
    },
    errors: [pageZero, perPageAbc],
  },
  {
    route: "mode.groups.create",
    method: "POST",
    target: async (ctx) => ({ path: groupPath(ctx), body: { user_group: { name: "Analysts" } } }),
    success: {
      schema: accessValidators.userGroup,
      check: checkGroup,
      variants: async (ctx) => {
        await ok200(ctx, "DELETE", { path: groupPath(ctx, group(ctx, 0)) });
        return [
          { path: groupPath(ctx), body: { user_group: { name: "Finance", description: "Money people" } } },
          { path: groupPath(ctx), body: { user_group: { name: "Ops" } }, auth: workspaceToken(ctx) },
          { path: groupPath(ctx), body: { user_group: { name: "group 1" } } }, // the name of a deleted group
        ];
      },
    },
    errors: [
      {
        status: 400,
        how: "the name of another active group, in another case",
        request: (_c, t) => ({ ...t, body: { user_group: { name: "GROUP 2" } } }),
      },
      { status: 400, how: "no name", request: (_c, t) => ({ ...t, body: { user_group: {} } }) },
      {
        status: 400,
        how: "an empty name",
        request: (_c, t) => ({ ...t, body: { user_group: { name: "  " } } }),
      },
      {
        status: 400,
        how: "a name over 255 characters",
        request: (_c, t) => ({ ...t, body: { user_group: { name: "x".repeat(256) } } }),
      },
      noWrapper("user_group"),
      malformedJson,
      notAdmin,
    ],
  },
  {
    route: "mode.groups.get",
    method: "GET",
    target: async (ctx) => ({ path: groupPath(ctx, group(ctx, 0)) }),
    success: {
      schema: accessValidators.userGroup,
      check: checkGroup,
      variants: async (ctx) => {
        await ok200(ctx, "DELETE", { path: groupPath(ctx, group(ctx, 1)) });
        await setGroupManaged(ctx.emu, ctx.seed.workspace, group(ctx, 2), true);
        return [
          { path: groupPath(ctx, group(ctx, 1)) }, // soft-deleted: 200 with state soft_deleted
          { path: groupPath(ctx, group(ctx, 2)) }, // managed
        ];
      },
    },
    errors: [unknownLast("group")],
  },
  {
    route: "mode.groups.update",
    method: "PATCH",
    target: async (ctx) => ({
      path: groupPath(ctx, group(ctx, 0)),
      body: { user_group: { name: "Renamed" } },
    }),
    success: {
      schema: accessValidators.userGroup,
      check: checkGroup,
      variants: async (ctx) => [
        { path: groupPath(ctx, group(ctx, 1)), body: { user_group: { name: "GROUP 2" } } }, // its own name's case
        { path: groupPath(ctx, group(ctx, 2)), body: { user_group: { description: "Only a description" } } },
        {
          path: groupPath(ctx, group(ctx, 3)),
          body: { user_group: { name: "By token" } },
          auth: workspaceToken(ctx),
        },
      ],
    },
    errors: [
      {
        status: 400,
        how: "the name of another active group",
        request: (_c, t) => ({ ...t, body: { user_group: { name: "group 2" } } }),
      },
      {
        status: 400,
        how: "an empty name",
        request: (_c, t) => ({ ...t, body: { user_group: { name: "" } } }),
      },
      noWrapper("user_group"),
      malformedJson,
      managedGroup(0),
      unknownLast("group"),
      deletedGroup(0),
      notAdmin,
    ],
  },
  {
    route: "mode.groups.delete",
    method: "DELETE",
    target: async (ctx) => ({ path: groupPath(ctx, group(ctx, 0)) }),
    success: {
      schema: accessValidators.userGroup,
      check: checkGroup,
      variants: async (ctx) => {
        // The quirk: a group named as one deleted earlier answers 200 and stays active.
        await ok200(ctx, "DELETE", { path: groupPath(ctx, group(ctx, 1)) });
        const twin = await newGroup(ctx, "Group 2");
        return [
          { path: groupPath(ctx, group(ctx, 0)) }, // a second delete: 200, still soft_deleted
          { path: groupPath(ctx, twin) },
          { path: groupPath(ctx, group(ctx, 2)), auth: workspaceToken(ctx) },
        ];
      },
    },
    errors: [unknownLast("group"), managedGroup(0), notAdmin],
  },
  {
    route: "mode.groupMemberships.list",
    method: "GET",
    target: async (ctx) => {
      await addGroupMembers(ctx, group(ctx, 0), userTokens(ctx, 1));
      return { path: groupMembersPath(ctx, group(ctx, 0)) };
    },
    success: {
      list: accessValidators.userGroupMemberships,
      pick: (e) => e.group_memberships,
      minPages: 3,
      variants: async (ctx) => [
        { path: groupMembersPath(ctx, await newGroup(ctx, "Empty")) },
        { path: `${groupMembersPath(ctx, group(ctx, 0))}?per_page=1000` },
      ],
    },
    errors: [unknownSegment(2, "group"), deletedGroup(0), pageZero],
  },
  {
    route: "mode.groupMemberships.create",
    method: "POST",
    target: async (ctx) => ({
      path: groupMembersPath(ctx, group(ctx, 0)),
      body: { membership: { member_token: ctx.seed.users[1].token } },
    }),
    success: {
      schema: accessValidators.userGroupMembership,
      variants: async (ctx) => [
        {
          path: groupMembersPath(ctx, group(ctx, 0)),
          body: { membership: { member_token: await adminToken(ctx) } },
        },
        {
          path: groupMembersPath(ctx, group(ctx, 1)),
          body: { membership: { member_token: ctx.seed.users[0].token } },
          auth: workspaceToken(ctx),
        },
      ],
    },
    errors: [
      {
        status: 400,
        how: "the same member twice",
        request: (c, t) => ({ ...t, body: { membership: { member_token: c.seed.users[0].token } } }),
      },
      {
        status: 404,
        how: "a token that is no member of the workspace",
        request: (_c, t) => ({ ...t, body: { membership: { member_token: "nobody" } } }),
      },
      { status: 400, how: "no member_token", request: (_c, t) => ({ ...t, body: { membership: {} } }) },
      noWrapper("membership"),
      malformedJson,
      managedGroup(0),
      unknownSegment(2, "group"),
      deletedGroup(0),
      notAdmin,
    ],
  },
  {
    route: "mode.groupMemberships.get",
    method: "GET",
    target: async (ctx) => {
      const [gm] = await addGroupMembers(ctx, group(ctx, 0), userTokens(ctx, 1).slice(0, 1));
      return { path: `${groupMembersPath(ctx, group(ctx, 0))}/${gm}` };
    },
    success: { schema: accessValidators.userGroupMembership },
    errors: [
      unknownLast("group membership"),
      unknownSegment(2, "group"),
      {
        status: 404,
        how: "a membership of another group",
        request: (c, t) => ({ ...t, path: `${groupMembersPath(c, group(c, 1))}/${lastSegment(t)}` }),
      },
      deletedGroup(0),
    ],
  },
  {
    route: "mode.groupMemberships.delete",
    method: "DELETE",
    target: async (ctx) => {
      const [gm] = await addGroupMembers(ctx, group(ctx, 0), userTokens(ctx, 1).slice(0, 1));
      return { path: `${groupMembersPath(ctx, group(ctx, 0))}/${gm}` };
    },
    success: { schema: accessValidators.userGroupMembership },
    errors: [unknownLast("group membership"), afterDelete(), managedGroup(0), deletedGroup(0), notAdmin],
  },
];

const collectionRows = (): Row[] => {
  /** The update's checks, for both verbs (PATCH, the cookbook's; POST, the published description's). */
  const update = (method: "PATCH" | "POST"): Row => ({
    route: "mode.spaces.update",
    method,
    target: async (ctx) => ({
      path: collection(ctx, 1),
      body: { space: { name: "Renamed", description: "Now restricted", default_access_level: "restricted" } },
    }),
    success: {
      schema: accessValidators.space,
      check: checkSpace,
      variants: async (ctx) => [
        { path: collection(ctx, 0), body: { space: { default_access_level: "edit" } } },
        { path: collection(ctx, 2), body: { space: { name: "By token" } }, auth: workspaceToken(ctx) },
      ],
    },
    errors: [
      {
        status: 400,
        how: "an unknown default_access_level",
        request: (_c, t) => ({ ...t, body: { space: { default_access_level: "admin" } } }),
      },
      { status: 400, how: "an empty name", request: (_c, t) => ({ ...t, body: { space: { name: " " } } }) },
      noWrapper("space"),
      malformedJson,
      {
        status: 400,
        how: "a personal collection",
        request: (c, t) => ({ ...t, path: collectionPath(c, c.seed.personalCollections[0].token) }),
      },
      unknownLast("collection"),
      afterDelete("a deleted collection (the quirk: 403, not 404)", 403),
      {
        status: 403,
        how: "a member who neither is an admin nor created it",
        request: async (c, t) => {
          const path = collectionPath(c, await newCollection(c, "Someone else's", workspaceToken(c)));
          await demoteAdmin(c);
          return { ...t, path };
        },
      },
    ],
  });
  return [
    {
      route: "mode.spaces.list",
      method: "GET",
      target: async (ctx) => ({ path: collectionPath(ctx) }),
      success: {
        list: accessValidators.spaces,
        pick: (e) => e.spaces,
        minPages: 3,
        check: checkSpace,
        variants: async (ctx) => {
          await ok200(ctx, "DELETE", { path: collection(ctx, 4) }); // lists leave it out
          await ensurePersonalCollection(ctx.emu, ctx.seed.workspace, { username: ctx.seed.adminUsername });
          return [
            { path: `${collectionPath(ctx)}?filter=all` }, // other users' personal collections too
            { path: collectionPath(ctx) }, // the admin's own personal collection, not the others'
            { path: `${collectionPath(ctx)}?per_page=1000&filter=all` },
          ];
        },
      },
      errors: [
        {
          status: 400,
          how: "an unknown filter",
          request: (_c, t) => ({ ...t, path: `${t.path}?filter=mine` }),
        },
        pageZero,
        perPageAbc,
      ],
    },
    {
      route: "mode.spaces.create",
      method: "POST",
      target: async (ctx) => ({
        path: collectionPath(ctx),
        body: { space: { name: "Finance", description: "Quarterly numbers" } },
      }),
      success: {
        schema: accessValidators.space,
        check: checkSpace,
        variants: async (ctx) => [
          {
            path: collectionPath(ctx),
            body: { space: { name: "Secret", description: "", default_access_level: "restricted" } },
          },
          { path: collectionPath(ctx), body: { space: { name: "Finance" } } }, // names are not unique; no description
          {
            path: collectionPath(ctx),
            body: { space: { name: "By token", description: "x" } },
            auth: workspaceToken(ctx),
          },
        ],
      },
      errors: [
        {
          status: 400,
          how: "no name",
          request: (_c, t) => ({ ...t, body: { space: { description: "x" } } }),
        },
        {
          status: 400,
          how: "a name over 255 characters",
          request: (_c, t) => ({ ...t, body: { space: { name: "x".repeat(256) } } }),
        },
        {
          status: 400,
          how: "an unknown default_access_level",
          request: (_c, t) => ({ ...t, body: { space: { name: "x", default_access_level: "public" } } }),
        },
        noWrapper("space"),
        malformedJson,
      ],
    },
    {
      route: "mode.spaces.get",
      method: "GET",
      target: async (ctx) => ({ path: collection(ctx, 0) }),
      success: {
        schema: accessValidators.space,
        check: checkSpace,
        variants: async (ctx) => [
          { path: collection(ctx, 1) },
          { path: collectionPath(ctx, ctx.seed.personalCollections[0].token) },
        ],
      },
      errors: [unknownLast("collection"), afterDelete("a deleted collection (the quirk: 403, not 404)", 403)],
    },
    update("PATCH"),
    update("POST"),
    {
      route: "mode.spaces.delete",
      method: "DELETE",
      target: async (ctx) => ({ path: collection(ctx, 0) }),
      success: {
        schema: accessValidators.space,
        check: checkSpace,
        variants: async (ctx) => [{ path: collection(ctx, 1), auth: workspaceToken(ctx) }],
      },
      errors: [
        unknownLast("collection"),
        afterDelete("a second delete (the quirk: 403, not 404)", 403),
        {
          status: 400,
          how: "a personal collection",
          request: (c, t) => ({ ...t, path: collectionPath(c, c.seed.personalCollections[0].token) }),
        },
        {
          status: 403,
          how: "a member who neither is an admin nor created it",
          request: async (c, t) => {
            const path = collectionPath(c, await newCollection(c, "Someone else's", workspaceToken(c)));
            await demoteAdmin(c);
            return { ...t, path };
          },
        },
      ],
    },
  ];
};

/**
 * The five permission routes of a collection or a data source: `kind` names them, `target` is the
 * path of seeded target `i` (0: two grants, group 0 and user 0; 2: none), `actions` the actions it
 * takes, `invalid` one it refuses; `more` errors of all five routes, `getErrors` of the GET's.
 */
function permissionRows(
  kind: "spacePermissions" | "dataSourcePermissions",
  noun: string,
  target: (ctx: Ctx, i: number) => string,
  actions: readonly string[],
  invalid: string,
  more: ErrorCase[],
  getErrors: ErrorCase[],
): Row[] {
  const check = checkPermission(actions);
  const [first, last] = [actions[0], actions[actions.length - 1]];
  const list = (ctx: Ctx) => `${target(ctx, 0)}/permissions`;
  /** A fresh grant to seeded user 1 on target 0; its path. */
  const granted = async (ctx: Ctx): Promise<Target> => ({
    path: `${list(ctx)}/${await grant(ctx, target(ctx, 0), "Account", ctx.seed.users[1].token, last)}`,
  });
  const body = (action: unknown, accessor_type: unknown, accessor_token: unknown) => ({
    permission: { action, accessor_type, accessor_token },
  });
  const unknownTarget = unknownSegment(2, noun);
  return [
    {
      route: `mode.${kind}.list`,
      method: "GET",
      target: async (ctx) => {
        await grantMembers(ctx, target(ctx, 0), userTokens(ctx, 1), first);
        return { path: list(ctx) };
      },
      success: {
        list: accessValidators.permissions,
        pick: theOnlyArray,
        minPages: 3,
        check,
        variants: async (ctx) => [
          { path: `${target(ctx, 2)}/permissions` }, // none
          { path: `${list(ctx)}?per_page=1000` },
        ],
      },
      errors: [unknownTarget, pageZero, perPageAbc, ...more],
    },
    {
      route: `mode.${kind}.create`,
      method: "POST",
      target: async (ctx) => ({
        path: list(ctx),
        body: body(first, "Account", ctx.seed.users[1].token),
      }),
      success: {
        schema: accessValidators.permission,
        check,
        variants: async (ctx) =>
          actions.map((action, i) => ({
            path: `${target(ctx, 2)}/permissions`,
            body:
              i === 0
                ? body(action, "UserGroup", group(ctx, 1))
                : body(action, "Account", ctx.seed.users[i].token),
          })),
      },
      errors: [
        {
          status: 400,
          how: "a second grant to the same accessor",
          request: (c, t) => ({ ...t, body: body(last, "Account", c.seed.users[0].token) }),
        },
        {
          status: 400,
          how: `action ${invalid}`,
          request: (c, t) => ({ ...t, body: body(invalid, "Account", c.seed.users[1].token) }),
        },
        {
          status: 400,
          how: "an unknown accessor_type",
          request: (c, t) => ({ ...t, body: body(first, "User", c.seed.users[1].token) }),
        },
        {
          status: 400,
          how: "no accessor_token",
          request: (_c, t) => ({ ...t, body: body(first, "Account", undefined) }),
        },
        {
          status: 404,
          how: "a token that is no member of the workspace",
          request: (_c, t) => ({ ...t, body: body(first, "Account", "nobody") }),
        },
        {
          status: 404,
          how: "an unknown group",
          request: (_c, t) => ({ ...t, body: body(first, "UserGroup", "nogroup") }),
        },
        {
          status: 404,
          how: "a deleted group",
          request: async (c, t) => {
            await ok200(c, "DELETE", { path: groupPath(c, group(c, 1)) });
            return { ...t, body: body(first, "UserGroup", group(c, 1)) };
          },
        },
        noWrapper("permission"),
        malformedJson,
        unknownTarget,
        notAdmin,
        ...more,
      ],
    },
    {
      route: `mode.${kind}.get`,
      method: "GET",
      target: granted,
      success: { schema: accessValidators.permission, check },
      errors: [unknownLast("permission"), unknownTarget, ...more, ...getErrors],
    },
    {
      route: `mode.${kind}.update`,
      method: "PATCH",
      target: async (ctx) => ({ ...(await granted(ctx)), body: { permission: { action: first } } }),
      success: {
        schema: accessValidators.permission,
        check,
        variants: async (ctx) => {
          const out: Target[] = [];
          for (const [i, action] of actions.entries()) {
            const token = await grant(ctx, target(ctx, 2), "Account", ctx.seed.users[i].token, first);
            out.push({ path: `${target(ctx, 2)}/permissions/${token}`, body: { permission: { action } } });
          }
          return out;
        },
      },
      errors: [
        {
          status: 400,
          how: `action ${invalid}`,
          request: (_c, t) => ({ ...t, body: { permission: { action: invalid } } }),
        },
        noWrapper("permission"),
        malformedJson,
        unknownLast("permission"),
        afterDelete("a deleted permission"),
        unknownTarget,
        notAdmin,
        ...more,
      ],
    },
    {
      route: `mode.${kind}.delete`,
      method: "DELETE",
      target: granted,
      success: { schema: accessValidators.permission, check },
      errors: [unknownLast("permission"), afterDelete(), unknownTarget, notAdmin, ...more],
    },
  ];
}

const dataSourceRows: Row[] = [
  {
    route: "mode.dataSources.list",
    method: "GET",
    target: async (ctx) => ({ path: dataSourcePath(ctx) }),
    success: {
      list: accessValidators.dataSources,
      pick: (e) => e.data_sources,
      minPages: 3,
      variants: async (ctx) => {
        await addDataSource(ctx.emu, ctx.seed.workspace, "Lake", "jdbc:athena");
        return [{ path: dataSourcePath(ctx) }, { path: `${dataSourcePath(ctx)}?per_page=1000` }];
      },
    },
    errors: [pageZero, perPageAbc],
  },
  {
    route: "mode.dataSources.get",
    method: "GET",
    target: async (ctx) => ({ path: dataSource(ctx, 0) }),
    success: {
      schema: accessValidators.dataSource,
      variants: async (ctx) => [
        { path: dataSource(ctx, 1) },
        {
          path: dataSourcePath(ctx, await addDataSource(ctx.emu, ctx.seed.workspace, "Lake", "jdbc:athena")),
        },
      ],
    },
    errors: [unknownLast("data source")],
  },
];

/** Every route of Mode's access model. */
const ACCESS_ROWS: Row[] = [
  ...groupRows,
  ...collectionRows(),
  ...permissionRows(
    "spacePermissions",
    "collection",
    collection,
    SPACE_ACTIONS,
    "query",
    [
      {
        status: 404,
        how: "a deleted collection (its sub-paths answer 404)",
        request: async (c, t) => {
          await ok200(c, "DELETE", { path: collection(c, 0) });
          return t;
        },
      },
    ],
    [],
  ),
  ...dataSourceRows,
  ...permissionRows(
    "dataSourcePermissions",
    "data source",
    dataSource,
    DATA_SOURCE_ACTIONS,
    "edit",
    [],
    [
      {
        status: 500,
        how: "the upstream quirk on this permission (the list works)",
        request: async (c, t) => {
          await setDataSourcePermissionGet500(c.emu, true, lastSegment(t));
          await ok200(c, "GET", { path: t.path.replace(/\/[^/]+$/, "") });
          return t;
        },
      },
      {
        status: 500,
        how: "the upstream quirk on every permission",
        request: async (c, t) => {
          await setDataSourcePermissionGet500(c.emu, true);
          return t;
        },
      },
    ],
  ),
];

/** Every Mode route of the emulator. A route added to the emulator needs a row here. */
const ROWS: Row[] = [...MEMBERSHIP_ROWS, ...ACCESS_ROWS];

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
    // 5 of everything at 2 a page: every list spans 3 pages or more.
    ctx.emu = await startEmulator({ port: 0, modePageSize: 2, seed: SEED });
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
    const names = new Set(ROWS.map(rowKey));
    const uncovered = served
      .filter((r) => !names.has(`${r.method} ${r.name}`))
      .map((r) => `${r.method} ${r.name}`);
    assert.deepEqual(uncovered, [], "Mode routes without a row in ROWS of tests/unit/conformance.test.ts");
    const stale = ROWS.filter((r) => !served.some((s) => s.name === r.route && s.method === r.method));
    assert.deepEqual(
      stale.map((r) => `${r.method} ${r.route}`),
      [],
      "rows naming a route (or method) the emulator does not serve",
    );
    assert.equal(names.size, ROWS.length, "one row per route (method and name)");
  });

  for (const row of ROWS) {
    // A route name served with two methods (the collection update: PATCH and POST) names both rows.
    const shared = ROWS.filter((r) => r.route === row.route).length > 1;
    describe(shared ? `${row.route} (${row.method})` : row.route, () => {
      const route = (): ServedRoute => {
        const r = served.find((s) => s.name === row.route && s.method === row.method);
        assert.ok(r, `the emulator serves no route ${row.method} ${row.route}`);
        return r;
      };

      it(`${row.status ?? 200}: validates as published`, async () => {
        const t = await row.target(ctx);
        const s = row.success;
        if ("schema" in s) {
          const check = async (x: Target): Promise<void> => {
            const method = x.method ?? row.method;
            const res = await send(ctx, method, x);
            const what = `${method} ${x.path}`;
            assert.equal(res.status, row.status ?? 200, `${what}: ${JSON.stringify(res.json)}`);
            assert.equal(res.headers["content-type"], "application/hal+json", what);
            assertValid(s.schema, res.json, what);
            s.check?.(res.json, what);
          };
          await check(t);
          for (const v of (await s.variants?.(ctx)) ?? []) await check(v);
          return;
        }
        const pages = await readList(ctx, s, t.path);
        assert.ok(pages >= s.minPages, `${t.path} has ${pages} pages; the suite wants ${s.minPages}`);
        for (const v of (await s.variants?.(ctx)) ?? []) await readList(ctx, s, v.path);
      });

      for (const e of row.errors) {
        it(`${e.status}: ${e.how}`, async () => {
          const t = await e.request(ctx, await row.target(ctx));
          const res = await send(ctx, t.method ?? row.method, t);
          assertError(res, e.status, `${row.route}, ${e.how}`);
          if (e.message) assert.match((res.json as { message: string }).message, e.message);
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
    list.forEach((item, i) => s.check?.(item, `${what}, item ${i}`));
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
