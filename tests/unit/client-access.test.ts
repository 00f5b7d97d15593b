/**
 * The Mode client's access-model methods (groups, group memberships, collections, their permissions,
 * data sources and theirs): every method against the emulator over HTTP, every list read across
 * several pages, and, on a scripted server, the exact requests (bodies, verbs, encoded paths), the
 * argument checks that refuse before anything is sent, and the response shapes Mode publishes.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  ApiError,
  ModeClient,
  countOf,
  isManagedGroup,
  isNotFound,
  type ModeClientOptions,
  type Permission,
  type UserGroupMembership,
} from "../../provider/client";
import {
  addGroupMemberOutside,
  control,
  setDataSourcePermissionGet500,
  setGroupManaged,
} from "../../testing/emulator-control";
import { collect, rejection, startScript, type ScriptServer } from "../support/client-helpers";

const fast = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

function isKind(err: unknown, kind: string, status?: number): boolean {
  return err instanceof ApiError && err.kind === kind && (status === undefined || err.status === status);
}

describe("Mode client: groups, collections and permissions against the emulator", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ws: string;
  const client = (extra: Partial<ModeClientOptions> = {}) =>
    new ModeClient({
      apiUrl: emu.modeApiUrl,
      token: emu.seed.mode.token,
      secret: emu.seed.mode.secret,
      ...fast,
      ...extra,
    });

  /** How many requests the emulator saw per route since the last reset. */
  async function routeCounts(): Promise<Record<string, number>> {
    return (
      (await control<{ byRoute: Record<string, number> }>(emu, "GET", "/requests")).json ?? { byRoute: {} }
    ).byRoute;
  }

  before(async () => {
    emu = await startEmulator({
      port: 0,
      modePageSize: 2,
      seed: { users: 8, spaces: 5, userGroups: 5, dataSources: 5, personalCollections: 2 },
    });
    ws = emu.seed.mode.workspace;
  });
  after(async () => {
    await emu?.close();
  });
  beforeEach(async () => {
    await control(emu, "DELETE", "/requests");
  });

  describe("groups", () => {
    it("lists every active group across pages", async () => {
      const groups = await collect(client().listGroups(ws));
      assert.deepEqual(
        groups.map((g) => g.token),
        emu.seed.mode.groups.map((g) => g.token),
      );
      assert.equal((await routeCounts())["GET mode.groups.list"], 3);
      const first = groups[0];
      assert.equal(first.state, "active");
      assert.equal(countOf(first.member_count), emu.seed.mode.groups[0].members.length);
      assert.equal(isManagedGroup(first), false);
    });

    it("creates, reads, renames and deletes a group; a taken name (any case) is a 400", async () => {
      const c = client();
      const g = await c.createGroup(ws, { name: "Analysts" });
      assert.equal(g.name, "Analysts");
      assert.equal(g.state, "active");
      assert.ok(isKind(await rejection(c.createGroup(ws, { name: "ANALYSTS" })), "validation", 400));
      assert.equal((await c.getGroup(ws, g.token)).name, "Analysts");
      const renamed = await c.updateGroup(ws, g.token, { name: "Data analysts" });
      assert.equal(renamed.name, "Data analysts");
      const deleted = await c.deleteGroup(ws, g.token);
      assert.equal(deleted.token, g.token);
      assert.equal((await c.getGroup(ws, g.token)).state, "soft_deleted");
      assert.ok(!(await collect(c.listGroups(ws))).some((x) => x.token === g.token));
      assert.ok(isNotFound(await rejection(c.getGroup(ws, "nosuchgroup"))));
      const counts = await routeCounts();
      assert.equal(counts["PATCH mode.groups.update"], 1);
      assert.equal(counts["DELETE mode.groups.delete"], 1);
    });

    it("group memberships: add, list across pages, read, refuse a second add, remove (then 404)", async () => {
      const c = client();
      const g = await c.createGroup(ws, { name: "Big group" });
      const users = emu.seed.mode.users.slice(0, 5);
      const added: UserGroupMembership[] = [];
      for (const u of users) added.push(await c.createGroupMembership(ws, g.token, { memberToken: u.token }));
      assert.deepEqual(
        added.map((m) => m.member_token),
        users.map((u) => u.token),
      );
      await control(emu, "DELETE", "/requests");
      const listed = await collect(c.listGroupMemberships(ws, g.token));
      assert.deepEqual(
        listed.map((m) => m.token),
        added.map((m) => m.token),
      );
      assert.equal((await routeCounts())["GET mode.groupMemberships.list"], 3);
      const one = await c.getGroupMembership(ws, g.token, added[0].token);
      assert.equal(one.member_token, users[0].token);
      const again = await rejection(c.createGroupMembership(ws, g.token, { memberToken: users[0].token }));
      assert.ok(isKind(again, "validation", 400));
      assert.ok(
        isNotFound(await rejection(c.createGroupMembership(ws, g.token, { memberToken: "notamember" }))),
      );
      await c.deleteGroupMembership(ws, g.token, added[0].token);
      assert.ok(isNotFound(await rejection(c.getGroupMembership(ws, g.token, added[0].token))));
      assert.ok(isNotFound(await rejection(c.deleteGroupMembership(ws, g.token, added[0].token))));
    });

    it("a managed group refuses member changes with a 400 saying so", async () => {
      const c = client();
      const g = await c.createGroup(ws, { name: "Okta people" });
      const ada = emu.seed.mode.users[0];
      const { token } = await addGroupMemberOutside(emu, ws, g.token, { memberToken: ada.token });
      await setGroupManaged(emu, ws, g.token, true);
      assert.equal(isManagedGroup(await c.getGroup(ws, g.token)), true);
      const add = await rejection(
        c.createGroupMembership(ws, g.token, { memberToken: emu.seed.mode.users[1].token }),
      );
      assert.ok(isKind(add, "validation", 400));
      assert.match((add as ApiError).message, /identity provider/);
      assert.ok(isKind(await rejection(c.deleteGroupMembership(ws, g.token, token)), "validation", 400));
    });
  });

  describe("collections", () => {
    it("lists custom collections across pages; filter all adds personal ones, across pages too", async () => {
      const c = client();
      const custom = await collect(c.listSpaces(ws));
      assert.deepEqual(
        custom.map((s) => s.token),
        emu.seed.mode.spaces,
      );
      assert.equal((await routeCounts())["GET mode.spaces.list"], 3);
      await control(emu, "DELETE", "/requests");
      const all = await collect(c.listSpaces(ws, { filter: "all" }));
      const personal = emu.seed.mode.personalCollections.map((p) => p.token);
      assert.deepEqual(all.map((s) => s.token).sort(), [...emu.seed.mode.spaces, ...personal].sort());
      assert.equal((await routeCounts())["GET mode.spaces.list"], Math.ceil(all.length / 2));
      assert.equal(all.filter((s) => s.space_type === "personal").length, personal.length);
    });

    it("creates, reads, updates (PATCH) and deletes a collection; afterwards its path answers 403", async () => {
      const c = client();
      const s = await c.createSpace(ws, {
        name: "Finance",
        description: "Money",
        defaultAccessLevel: "restricted",
      });
      assert.equal(s.name, "Finance");
      assert.equal(s.description, "Money");
      assert.equal(s.restricted, true);
      assert.equal(s.default_access_level, "restricted");
      const plain = await c.createSpace(ws, { name: "Plain" });
      assert.equal(plain.description, "");
      assert.equal(plain.default_access_level, "view");
      assert.equal((await c.getSpace(ws, s.token)).token, s.token);
      const opened = await c.updateSpace(ws, s.token, { defaultAccessLevel: "view" });
      assert.equal(opened.restricted, false);
      assert.equal(opened.name, "Finance");
      const renamed = await c.updateSpace(ws, s.token, { name: "Finance team", description: "" });
      assert.equal(renamed.name, "Finance team");
      assert.equal(renamed.description, "");
      await c.deleteSpace(ws, s.token);
      assert.ok(isKind(await rejection(c.getSpace(ws, s.token)), "forbidden", 403));
      assert.ok(isKind(await rejection(c.deleteSpace(ws, s.token)), "forbidden", 403));
      assert.ok(!(await collect(c.listSpaces(ws, { filter: "all" }))).some((x) => x.token === s.token));
      assert.equal((await routeCounts())["PATCH mode.spaces.update"], 2);
    });

    it("collection permissions: grant, list across pages, read, change, revoke (then 404)", async () => {
      const c = client();
      const s = await c.createSpace(ws, { name: "Granted", defaultAccessLevel: "restricted" });
      const users = emu.seed.mode.users.slice(0, 4);
      const grants: Permission[] = [];
      for (const u of users) {
        grants.push(
          await c.createSpacePermission(ws, s.token, {
            action: "view",
            accessorType: "Account",
            accessorToken: u.token,
          }),
        );
      }
      const group = emu.seed.mode.groups[0].token;
      grants.push(
        await c.createSpacePermission(ws, s.token, {
          action: "edit",
          accessorType: "UserGroup",
          accessorToken: group,
        }),
      );
      const second = await rejection(
        c.createSpacePermission(ws, s.token, {
          action: "edit",
          accessorType: "Account",
          accessorToken: users[0].token,
        }),
      );
      assert.ok(isKind(second, "validation", 400));
      await control(emu, "DELETE", "/requests");
      const listed = await collect(c.listSpacePermissions(ws, s.token));
      assert.deepEqual(
        listed.map((p) => p.token),
        grants.map((p) => p.token),
      );
      assert.equal((await routeCounts())["GET mode.spacePermissions.list"], 3);
      const last = listed[4];
      assert.deepEqual([last.action, last.accessor_type, last.accessor_token], ["edit", "UserGroup", group]);
      assert.equal((await c.getSpacePermission(ws, s.token, grants[0].token)).action, "view");
      assert.equal(
        (await c.updateSpacePermission(ws, s.token, grants[0].token, { action: "edit" })).action,
        "edit",
      );
      await c.deleteSpacePermission(ws, s.token, grants[0].token);
      assert.ok(isNotFound(await rejection(c.getSpacePermission(ws, s.token, grants[0].token))));
      assert.ok(isNotFound(await rejection(c.deleteSpacePermission(ws, s.token, grants[0].token))));
    });
  });

  describe("data sources", () => {
    it("lists data sources across pages and reads one", async () => {
      const c = client();
      const all = await collect(c.listDataSources(ws));
      assert.deepEqual(
        all.map((d) => d.token),
        emu.seed.mode.dataSources.map((d) => d.token),
      );
      assert.equal((await routeCounts())["GET mode.dataSources.list"], 3);
      const one = await c.getDataSource(ws, all[0].token);
      assert.equal(one.name, "Warehouse");
      assert.equal(one.adapter, "jdbc:snowflake");
    });

    it("data-source permissions: the five methods; with the 500 quirk a GET fails while the list works", async () => {
      const c = client();
      const ds = emu.seed.mode.dataSources[2].token; // Events Lake: no seeded grants
      const users = emu.seed.mode.users.slice(0, 5);
      const grants: Permission[] = [];
      for (const u of users) {
        grants.push(
          await c.createDataSourcePermission(ws, ds, {
            action: "query",
            accessorType: "Account",
            accessorToken: u.token,
          }),
        );
      }
      await control(emu, "DELETE", "/requests");
      assert.deepEqual(
        (await collect(c.listDataSourcePermissions(ws, ds))).map((p) => p.token),
        grants.map((p) => p.token),
      );
      assert.equal((await routeCounts())["GET mode.dataSourcePermissions.list"], 3);
      assert.equal(
        (await c.updateDataSourcePermission(ws, ds, grants[0].token, { action: "manage" })).action,
        "manage",
      );
      await setDataSourcePermissionGet500(emu, true, grants[0].token);
      try {
        await control(emu, "DELETE", "/requests");
        const err = await rejection(c.getDataSourcePermission(ws, ds, grants[0].token));
        assert.ok(isKind(err, "server", 500));
        // Mode's known fault: answered at once (the list is the way round it), not retried.
        assert.equal((await routeCounts())["GET mode.dataSourcePermissions.get"], 1);
        assert.equal((await c.getDataSourcePermission(ws, ds, grants[1].token)).action, "query");
        const listed = await collect(c.listDataSourcePermissions(ws, ds));
        assert.equal(listed.find((p) => p.token === grants[0].token)?.action, "manage");
      } finally {
        await setDataSourcePermissionGet500(emu, false);
      }
      await c.deleteDataSourcePermission(ws, ds, grants[0].token);
      assert.ok(isNotFound(await rejection(c.getDataSourcePermission(ws, ds, grants[0].token))));
    });
  });
});

// ---- the requests as sent, on a scripted server ------------------------------------------------------

const link = (href: string) => ({ href });

function groupBody(token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token,
    group_type: "custom",
    name: `Group ${token}`,
    description: "",
    state: "active",
    member_count: 0,
    spaces_count: 0,
    data_sources_count: 0,
    managed: false,
    _links: {
      self: link(`/api/w/groups/${token}`),
      web: link("/w"),
      group_memberships: link("/m"),
      membership_by_id: { href: "/m/{id}", templated: true },
      memberships_preview: link("/m?per_page=5"),
    },
    ...extra,
  };
}

function membershipBody(token: string): Record<string, unknown> {
  return {
    token,
    member_token: `u${token}`,
    _links: { self: link("/x"), member: link("/u"), user_group: link("/g") },
  };
}

function spaceBody(token: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token,
    id: 7,
    space_type: "custom",
    name: "Finance",
    description: "",
    state: "active",
    restricted: false,
    free_default: false,
    "viewable?": true,
    default_access_level: "view",
    _links: {
      self: link("/s"),
      detail: link("/s"),
      reports: link("/r"),
      search_space_permissions: link("/p"),
    },
    ...extra,
  };
}

function permissionBody(token: string, action = "view"): Record<string, unknown> {
  return { token, action, accessor_type: "Account", accessor_token: "u1", _links: { self: link("/p") } };
}

function dataSourceBody(token: string): Record<string, unknown> {
  const strings = [
    "name",
    "description",
    "created_at",
    "updated_at",
    "display_name",
    "database",
    "host",
    "port",
    "username",
    "provider",
    "vendor",
    "warehouse",
    "adapter_version",
  ];
  const flags = [
    "has_expensive_schema_updates",
    "public",
    "asleep",
    "queryable",
    "soft_deleted",
    "ssl",
    "ldap",
    "bridged",
  ];
  return {
    ...Object.fromEntries(strings.map((k) => [k, k])),
    ...Object.fromEntries(flags.map((k) => [k, false])),
    id: 3,
    token,
    adapter: "jdbc:newconnector",
    custom_attributes: {},
    _links: {
      self: link("/d"),
      creator: link("/c"),
      account: link("/a"),
      web: link("/w"),
      web_home: link("/h"),
    },
  };
}

/** A Mode list page as published: items under `_embedded[key]`, `next_page` while more remain. */
function page(
  key: string,
  items: unknown[],
  options: { next?: string; total?: number | string } = {},
): Record<string, unknown> {
  return {
    _links: { self: link("/self"), ...(options.next === undefined ? {} : { next_page: link(options.next) }) },
    ...(options.total === undefined
      ? {}
      : { pagination: { first_page: "/p1", last_page: "/pN", total_pages: 1, total_count: options.total } }),
    _embedded: { [key]: items },
  };
}

describe("Mode client: access-model requests as sent", function () {
  this.timeout(30_000);
  let server: ScriptServer;
  const client = () =>
    new ModeClient({
      apiUrl: `${server.origin}/api`,
      token: "t0ken",
      secret: "s3cret",
      retry: { retries: 0 },
    });

  before(async () => {
    server = await startScript();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** Runs `call` against a server answering `reply`; returns what was sent. */
  async function sent(reply: unknown, call: (c: ModeClient) => Promise<unknown>) {
    server.handle(() => ({ status: 200, body: reply }));
    await call(client());
    assert.equal(server.requests.length, 1);
    const [r] = server.requests;
    return {
      method: r.method,
      url: r.url,
      body: r.body === "" ? undefined : (JSON.parse(r.body) as unknown),
    };
  }

  it("sends the contract's verbs, paths and bodies", async () => {
    const g = groupBody("g1");
    const m = membershipBody("m1");
    const s = spaceBody("s1");
    const p = permissionBody("p1");
    const cases: [unknown, (c: ModeClient) => Promise<unknown>, string, string, unknown][] = [
      [g, (c) => c.getGroup("acme", "g1"), "GET", "/api/acme/groups/g1", undefined],
      [
        g,
        (c) => c.createGroup("acme", { name: "Analysts" }),
        "POST",
        "/api/acme/groups",
        { user_group: { name: "Analysts" } },
      ],
      [
        g,
        (c) => c.updateGroup("acme", "g1", { name: "Data" }),
        "PATCH",
        "/api/acme/groups/g1",
        { user_group: { name: "Data" } },
      ],
      [g, (c) => c.deleteGroup("acme", "g1"), "DELETE", "/api/acme/groups/g1", undefined],
      [
        m,
        (c) => c.getGroupMembership("acme", "g1", "m1"),
        "GET",
        "/api/acme/groups/g1/memberships/m1",
        undefined,
      ],
      [
        m,
        (c) => c.createGroupMembership("acme", "g1", { memberToken: "u1" }),
        "POST",
        "/api/acme/groups/g1/memberships",
        { membership: { member_token: "u1" } },
      ],
      [
        m,
        (c) => c.deleteGroupMembership("acme", "g1", "m1"),
        "DELETE",
        "/api/acme/groups/g1/memberships/m1",
        undefined,
      ],
      [s, (c) => c.getSpace("acme", "s1"), "GET", "/api/acme/spaces/s1", undefined],
      [
        s,
        (c) =>
          c.createSpace("acme", { name: "Finance", description: "Money", defaultAccessLevel: "restricted" }),
        "POST",
        "/api/acme/spaces",
        { space: { name: "Finance", description: "Money", default_access_level: "restricted" } },
      ],
      [
        s,
        (c) => c.createSpace("acme", { name: "Plain" }),
        "POST",
        "/api/acme/spaces",
        { space: { name: "Plain", description: "" } },
      ],
      [
        s,
        (c) => c.updateSpace("acme", "s1", { defaultAccessLevel: "edit" }),
        "PATCH",
        "/api/acme/spaces/s1",
        { space: { default_access_level: "edit" } },
      ],
      [
        s,
        (c) => c.updateSpace("acme", "s1", { name: "N", description: "D" }),
        "PATCH",
        "/api/acme/spaces/s1",
        { space: { name: "N", description: "D" } },
      ],
      [s, (c) => c.deleteSpace("acme", "s1"), "DELETE", "/api/acme/spaces/s1", undefined],
      [
        p,
        (c) => c.getSpacePermission("acme", "s1", "p1"),
        "GET",
        "/api/acme/spaces/s1/permissions/p1",
        undefined,
      ],
      [
        p,
        (c) =>
          c.createSpacePermission("acme", "s1", {
            action: "edit",
            accessorType: "UserGroup",
            accessorToken: "g1",
          }),
        "POST",
        "/api/acme/spaces/s1/permissions",
        { permission: { action: "edit", accessor_type: "UserGroup", accessor_token: "g1" } },
      ],
      [
        p,
        (c) => c.updateSpacePermission("acme", "s1", "p1", { action: "view" }),
        "PATCH",
        "/api/acme/spaces/s1/permissions/p1",
        { permission: { action: "view" } },
      ],
      [
        p,
        (c) => c.deleteSpacePermission("acme", "s1", "p1"),
        "DELETE",
        "/api/acme/spaces/s1/permissions/p1",
        undefined,
      ],
      [
        dataSourceBody("d1"),
        (c) => c.getDataSource("acme", "d1"),
        "GET",
        "/api/acme/data_sources/d1",
        undefined,
      ],
      [
        p,
        (c) => c.getDataSourcePermission("acme", "d1", "p1"),
        "GET",
        "/api/acme/data_sources/d1/permissions/p1",
        undefined,
      ],
      [
        p,
        (c) =>
          c.createDataSourcePermission("acme", "d1", {
            action: "query",
            accessorType: "Account",
            accessorToken: "u1",
          }),
        "POST",
        "/api/acme/data_sources/d1/permissions",
        { permission: { action: "query", accessor_type: "Account", accessor_token: "u1" } },
      ],
      [
        p,
        (c) => c.updateDataSourcePermission("acme", "d1", "p1", { action: "manage" }),
        "PATCH",
        "/api/acme/data_sources/d1/permissions/p1",
        { permission: { action: "manage" } },
      ],
      [
        p,
        (c) => c.deleteDataSourcePermission("acme", "d1", "p1"),
        "DELETE",
        "/api/acme/data_sources/d1/permissions/p1",
        undefined,
      ],
    ];
    for (const [reply, call, method, url, body] of cases) {
      server.requests.length = 0;
      assert.deepEqual(await sent(reply, call), { method, url, body }, `${method} ${url}`);
    }
    const lists: [unknown, (c: ModeClient) => Promise<unknown>, string][] = [
      [page("groups", []), (c) => collect(c.listGroups("acme")), "/api/acme/groups"],
      [
        page("group_memberships", []),
        (c) => collect(c.listGroupMemberships("acme", "g1")),
        "/api/acme/groups/g1/memberships",
      ],
      [page("spaces", []), (c) => collect(c.listSpaces("acme")), "/api/acme/spaces"],
      [
        page("spaces", []),
        (c) => collect(c.listSpaces("acme", { filter: "all" })),
        "/api/acme/spaces?filter=all",
      ],
      [
        page("x", []),
        (c) => collect(c.listSpacePermissions("acme", "s1")),
        "/api/acme/spaces/s1/permissions",
      ],
      [page("data_sources", []), (c) => collect(c.listDataSources("acme")), "/api/acme/data_sources"],
      [
        page("x", []),
        (c) => collect(c.listDataSourcePermissions("acme", "d1")),
        "/api/acme/data_sources/d1/permissions",
      ],
    ];
    for (const [reply, call, url] of lists) {
      server.requests.length = 0;
      assert.deepEqual(await sent(reply, call), { method: "GET", url, body: undefined }, url);
    }
  });

  it("refuses a bad path segment or argument before sending anything", async () => {
    server.handle(() => ({ status: 500, body: {} }));
    const c = client();
    const badSegments = ["a/b", "..", "a?b", "a#b", "a b", "%2F", ""];
    const calls: ((bad: string) => Promise<unknown>)[] = [
      (bad) => collect(c.listGroups(bad)),
      (bad) => c.getGroup("acme", bad),
      (bad) => c.updateGroup("acme", bad, { name: "x" }),
      (bad) => c.deleteGroup(bad, "g1"),
      (bad) => collect(c.listGroupMemberships("acme", bad)),
      (bad) => c.getGroupMembership("acme", "g1", bad),
      (bad) => c.deleteGroupMembership("acme", bad, "m1"),
      (bad) => c.createGroupMembership("acme", "g1", { memberToken: bad }),
      (bad) => collect(c.listSpaces(bad)),
      (bad) => c.getSpace("acme", bad),
      (bad) => c.updateSpace("acme", bad, { name: "x" }),
      (bad) => c.deleteSpace("acme", bad),
      (bad) => collect(c.listSpacePermissions("acme", bad)),
      (bad) => c.getSpacePermission("acme", "s1", bad),
      (bad) => c.updateSpacePermission("acme", bad, "p1", { action: "view" }),
      (bad) => c.deleteSpacePermission("acme", "s1", bad),
      (bad) =>
        c.createSpacePermission("acme", "s1", {
          action: "view",
          accessorType: "Account",
          accessorToken: bad,
        }),
      (bad) => collect(c.listDataSources(bad)),
      (bad) => c.getDataSource("acme", bad),
      (bad) => collect(c.listDataSourcePermissions("acme", bad)),
      (bad) => c.getDataSourcePermission(bad, "d1", "p1"),
      (bad) => c.updateDataSourcePermission("acme", "d1", bad, { action: "view" }),
      (bad) => c.deleteDataSourcePermission("acme", bad, "p1"),
      (bad) =>
        c.createDataSourcePermission("acme", bad, {
          action: "view",
          accessorType: "Account",
          accessorToken: "u1",
        }),
    ];
    for (const call of calls) {
      for (const bad of badSegments) {
        const err = await rejection(call(bad));
        assert.ok(
          isKind(err, "invalid_argument"),
          `${call.toString()} with ${JSON.stringify(bad)}: ${String(err)}`,
        );
      }
    }
    const badBodies: [() => Promise<unknown>, RegExp][] = [
      [() => c.createGroup("acme", { name: "" }), /group\.name/],
      [() => c.createGroup("acme", { name: " padded " }), /group\.name/],
      [() => c.createGroup("acme", { name: "x".repeat(256) }), /group\.name/],
      [() => c.updateGroup("acme", "g1", { name: "tab\there" }), /update\.name/],
      [() => c.createSpace("acme", { name: "" }), /space\.name/],
      [() => c.createSpace("acme", { name: "A", description: "bell\u0007" }), /space\.description/],
      [() => c.createSpace("acme", { name: "A", defaultAccessLevel: "open" as never }), /defaultAccessLevel/],
      [() => c.updateSpace("acme", "s1", {}), /at least one/],
      [() => collect(c.listSpaces("acme", { filter: "mine" as never })), /options\.filter/],
      [
        () =>
          c.createSpacePermission("acme", "s1", {
            action: "manage" as never,
            accessorType: "Account",
            accessorToken: "u1",
          }),
        /permission\.action must be one of "view", "edit"/,
      ],
      [
        () =>
          c.createSpacePermission("acme", "s1", {
            action: "view",
            accessorType: "User" as never,
            accessorToken: "u1",
          }),
        /accessorType/,
      ],
      [
        () =>
          c.createDataSourcePermission("acme", "d1", {
            action: "edit" as never,
            accessorType: "Account",
            accessorToken: "u1",
          }),
        /permission\.action must be one of "view", "query", "manage"/,
      ],
      [() => c.updateDataSourcePermission("acme", "d1", "p1", { action: "edit" as never }), /update\.action/],
      [() => c.updateSpacePermission("acme", "s1", "p1", undefined as never), /update must be an object/],
    ];
    for (const [call, message] of badBodies) {
      const err = await rejection(call());
      assert.ok(isKind(err, "invalid_argument"), String(err));
      assert.match((err as Error).message, message);
    }
    assert.equal(server.requests.length, 0);
  });

  it("a data-source permission GET answers a 500 at once; its other transient failures are retried", async () => {
    const retrying = new ModeClient({
      apiUrl: `${server.origin}/api`,
      token: "t0ken",
      secret: "s3cret",
      retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    server.handle(() => ({ status: 500, body: { id: "internal_server_error", message: "boom" } }));
    assert.ok(isKind(await rejection(retrying.getDataSourcePermission("acme", "d1", "p1")), "server", 500));
    assert.equal(server.requests.length, 1);
    server.requests.length = 0;
    assert.ok(isKind(await rejection(retrying.getSpacePermission("acme", "s1", "p1")), "server", 500));
    assert.equal(server.requests.length, 4, "a collection permission's 500 is retried as usual");
    server.requests.length = 0;
    server.handle((_r, i) =>
      i === 0 ? { status: 503, body: {} } : { status: 200, body: permissionBody("p1") },
    );
    assert.equal((await retrying.getDataSourcePermission("acme", "d1", "p1")).token, "p1");
    assert.equal(server.requests.length, 2);
  });

  it("reads the one array under _embedded of a permission list, whatever its key", async () => {
    server.handle(() => ({
      status: 200,
      body: page("space_entitlements", [permissionBody("p1"), permissionBody("p2")]),
    }));
    assert.deepEqual(
      (await collect(client().listSpacePermissions("acme", "s1"))).map((p) => p.token),
      ["p1", "p2"],
    );
    server.handle(() => ({ status: 200, body: page("permissions", [permissionBody("p3")]) }));
    assert.deepEqual(
      (await collect(client().listDataSourcePermissions("acme", "d1"))).map((p) => p.token),
      ["p3"],
    );
    server.handle(() => ({
      status: 200,
      body: { _links: { self: link("/x") }, _embedded: { a: [permissionBody("p1")], b: [] } },
    }));
    const two = await rejection(collect(client().listSpacePermissions("acme", "s1")));
    assert.ok(isKind(two, "invalid_response"), String(two));
    assert.match((two as Error).message, /several lists/);
    server.handle(() => ({ status: 200, body: page("anything", [{ token: "p1" }]) }));
    assert.ok(
      isKind(await rejection(collect(client().listSpacePermissions("acme", "s1"))), "invalid_response"),
    );
  });

  it("follows next_page links to the end and fails a listing shorter than total_count", async () => {
    server.handle((r) =>
      r.url.includes("page=2")
        ? { status: 200, body: page("groups", [groupBody("g3")], { total: 3 }) }
        : {
            status: 200,
            body: page("groups", [groupBody("g1"), groupBody("g2")], {
              next: "/api/acme/groups?page=2",
              total: 3,
            }),
          },
    );
    assert.deepEqual(
      (await collect(client().listGroups("acme"))).map((g) => g.token),
      ["g1", "g2", "g3"],
    );
    server.handle(() => ({ status: 200, body: page("spaces", [spaceBody("s1")], { total: "2" }) }));
    const short = await rejection(collect(client().listSpaces("acme")));
    assert.ok(isKind(short, "invalid_response"), String(short));
  });

  it("accepts the published string types and the samples' numbers and booleans; refuses what lacks a required field", async () => {
    server.handle(() => ({
      status: 200,
      body: groupBody("g1", {
        member_count: "12",
        spaces_count: "3",
        data_sources_count: "0",
        managed: "true",
      }),
    }));
    const g = await client().getGroup("acme", "g1");
    assert.equal(countOf(g.member_count), 12);
    assert.equal(isManagedGroup(g), true);
    server.handle(() => ({
      status: 200,
      body: spaceBody("s1", { id: "7", free_default: "false", "viewable?": "true" }),
    }));
    assert.equal(String((await client().getSpace("acme", "s1")).id), "7");
    server.handle(() => ({ status: 200, body: dataSourceBody("d1") }));
    assert.equal((await client().getDataSource("acme", "d1")).adapter, "jdbc:newconnector");
    const { token: _t, ...noToken } = groupBody("g1");
    server.handle(() => ({ status: 200, body: noToken }));
    const err = await rejection(client().getGroup("acme", "g1"));
    assert.ok(isKind(err, "invalid_response"));
    assert.match((err as Error).message, /\/token is required/);
    server.handle(() => ({ status: 200, body: { ...permissionBody("p1"), accessor_token: 5 } }));
    assert.ok(isKind(await rejection(client().getSpacePermission("acme", "s1", "p1")), "invalid_response"));
  });
});
