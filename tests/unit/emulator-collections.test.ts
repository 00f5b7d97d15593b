/**
 * Emulator integration tests, Mode collections and permissions (API-CONTRACT.md "groups,
 * collections and their permissions"): collections (`spaces`) with `filter=all`, updates by PATCH
 * and POST, the 403-after-delete quirk, collection and data-source permissions with every status, the
 * data-source permission GET that answers 500 while the list works, cascades, seeding at size and
 * the new CLI flags.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { RunningEmulator, SeedInfo, startEmulator } from "../../emulator";
import { parseArgs } from "../../emulator/cli";
import {
  DataSourceBody,
  GroupBody,
  ModeError,
  PermissionBody,
  SpaceBody,
  addDataSource,
  basic,
  control,
  ensurePersonalCollection,
  listAll,
  removeFromWorkspace,
  req,
  setDataSourcePermissionGet500,
} from "../../testing/emulator-control";

describe("emulator: Mode collections and permissions", () => {
  let emu: RunningEmulator;
  let admin: string;
  let ws: string;
  let base: string;

  before(async () => {
    emu = await startEmulator({ port: 0, modePageSize: 2 });
    admin = basic(emu.seed.mode.token, emu.seed.mode.secret);
    ws = emu.seed.mode.workspace;
    base = `${emu.modeApiUrl}/${ws}`;
  });
  after(() => emu.close());
  beforeEach(async () => {
    assert.equal((await control(emu, "PUT", "/faults", {})).status, 200);
    assert.equal((await control(emu, "POST", "/reset")).status, 200);
  });

  const spaces = async (query = ""): Promise<SpaceBody[]> =>
    (await listAll<SpaceBody>(`${base}/spaces${query}`, admin, "spaces")).all;
  const createSpace = (space: unknown) =>
    req<SpaceBody & ModeError>("POST", `${base}/spaces`, { auth: admin, body: { space } });
  const spaceUrl = (token: string): string => `${base}/spaces/${token}`;
  const permsUrl = (token: string): string => `${spaceUrl(token)}/permissions`;
  const dsPermsUrl = (token: string): string => `${base}/data_sources/${token}/permissions`;
  const grant = (url: string, action: unknown, accessorType: unknown, accessorToken: unknown) =>
    req<PermissionBody & ModeError>("POST", url, {
      auth: admin,
      body: { permission: { action, accessor_type: accessorType, accessor_token: accessorToken } },
    });
  const grants = async (url: string, key: string): Promise<PermissionBody[]> =>
    (await listAll<PermissionBody>(url, admin, key)).all;

  describe("collections", () => {
    it("lists the seeded collections with restricted following the default level", async () => {
      const list = await spaces();
      assert.deepEqual(
        list.map((s) => [s.token, s.name, s.space_type, s.default_access_level, s.restricted, s.state]),
        emu.seed.mode.collections.map((c) => [
          c.token,
          c.name,
          "custom",
          c.defaultAccessLevel,
          c.defaultAccessLevel === "restricted",
          "active",
        ]),
      );
      assert.deepEqual(
        emu.seed.mode.collections.map((c) => c.defaultAccessLevel),
        ["restricted", "view", "edit"],
      );
      assert.deepEqual(
        emu.seed.mode.collections.map((c) => c.token),
        emu.seed.mode.spaces,
      );
      const one = await req<SpaceBody>("GET", spaceUrl(emu.seed.mode.spaces[0]), { auth: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json, list[0]);
      assert.equal(one.json._links.self.href, spaceUrl(emu.seed.mode.spaces[0]));
      assert.equal(typeof one.json.id, "number");
      assert.equal(one.json.free_default, false);
      assert.equal(one.json["viewable?"], true);
      for (const key of ["detail", "reports", "search_space_permissions"] as const) {
        assert.ok(one.json._links[key].href.startsWith(spaceUrl(emu.seed.mode.spaces[0])));
      }
    });

    it("creates a collection (default level view) and updates it by PATCH and by POST", async () => {
      const c = await createSpace({ name: "Finance", description: "Money" });
      assert.equal(c.status, 200);
      assert.deepEqual(
        [
          c.json.name,
          c.json.description,
          c.json.space_type,
          c.json.state,
          c.json.default_access_level,
          c.json.restricted,
        ],
        ["Finance", "Money", "custom", "active", "view", false],
      );
      const r = await createSpace({ name: "Secret", default_access_level: "restricted" });
      assert.equal(r.json.restricted, true);
      assert.equal(r.json.description, "");
      const patched = await req<SpaceBody>("PATCH", spaceUrl(c.json.token), {
        auth: admin,
        body: { space: { default_access_level: "restricted" } },
      });
      assert.equal(patched.status, 200);
      assert.deepEqual([patched.json.name, patched.json.restricted], ["Finance", true]);
      const posted = await req<SpaceBody>("POST", spaceUrl(c.json.token), {
        auth: admin,
        body: { space: { name: "Finance 2", description: "More money", default_access_level: "edit" } },
      });
      assert.equal(posted.status, 200);
      assert.deepEqual(
        [posted.json.name, posted.json.description, posted.json.default_access_level, posted.json.restricted],
        ["Finance 2", "More money", "edit", false],
      );
      const read = await req<SpaceBody>("GET", spaceUrl(c.json.token), { auth: admin });
      assert.deepEqual(read.json, posted.json);
      assert.ok((await spaces()).some((s) => s.token === c.json.token && s.name === "Finance 2"));
    });

    it("validates collection bodies with 400 and answers 401, 403, 404, 415", async () => {
      for (const space of [
        undefined,
        {},
        { name: "" },
        { name: 5 },
        { name: "x", default_access_level: "private" },
        { name: "x", description: 7 },
      ]) {
        const r = await createSpace(space);
        assert.equal(r.status, 400, JSON.stringify(space));
        assert.equal(r.json.id, "bad_request");
      }
      assert.equal((await req("POST", `${base}/spaces`, { auth: admin })).status, 400, "empty body");
      assert.equal((await req("POST", `${base}/spaces`, { auth: admin, body: "{" })).status, 400);
      assert.equal(
        (await req("POST", `${base}/spaces`, { auth: admin, body: "x", contentType: "text/plain" })).status,
        415,
      );
      const s = emu.seed.mode.spaces[1];
      assert.equal(
        (await req("PATCH", spaceUrl(s), { auth: admin, body: { space: { default_access_level: "none" } } }))
          .status,
        400,
      );
      assert.equal((await req("PATCH", spaceUrl(s), { auth: admin, body: { name: "x" } })).status, 400);
      assert.equal((await req("GET", `${base}/spaces`)).status, 401);
      const outsider = basic(emu.seed.mode.noAccess.token, emu.seed.mode.noAccess.secret);
      assert.equal((await req("GET", `${base}/spaces`, { auth: outsider })).status, 403);
      for (const method of ["GET", "PATCH", "POST", "DELETE"]) {
        const body = method === "GET" ? undefined : { space: { name: "n" } };
        const r = await req<ModeError>(method, spaceUrl("ffffffffffff"), { auth: admin, body });
        assert.equal(r.status, 404, method);
        assert.equal(r.json.id, "not_found");
      }
      assert.equal((await req("GET", `${base}/spaces?filter=mine`, { auth: admin })).status, 400);
    });

    it("keeps Mode's quirk: a deleted collection answers 403 on its own path and leaves the lists", async () => {
      const c = await createSpace({ name: "Temp", default_access_level: "restricted" });
      const ada = emu.seed.mode.users[0];
      assert.equal((await grant(permsUrl(c.json.token), "view", "Account", ada.token)).status, 200);
      const d = await req<SpaceBody>("DELETE", spaceUrl(c.json.token), { auth: admin });
      assert.equal(d.status, 200);
      assert.equal(d.json.token, c.json.token);
      for (const method of ["GET", "PATCH", "POST", "DELETE"]) {
        const body = method === "GET" ? undefined : { space: { name: "n" } };
        const r = await req<ModeError>(method, spaceUrl(c.json.token), { auth: admin, body });
        assert.equal(r.status, 403, method);
        assert.equal(r.json.id, "forbidden");
      }
      assert.ok(!(await spaces()).some((s) => s.token === c.json.token));
      assert.ok(!(await spaces("?filter=all&per_page=100")).some((s) => s.token === c.json.token));
      assert.equal((await req("GET", permsUrl(c.json.token), { auth: admin })).status, 404);
      assert.equal((await req("GET", `${spaceUrl(c.json.token)}/memberships`, { auth: admin })).status, 404);
    });

    it("leaves other users' personal collections out unless filter=all", async () => {
      const adaPersonal = await ensurePersonalCollection(emu, ws, { username: "ada" });
      assert.equal(await ensurePersonalCollection(emu, ws, { username: "ada" }), adaPersonal, "idempotent");
      const mine = await ensurePersonalCollection(emu, ws, { username: emu.seed.mode.adminUsername });
      const own = (await spaces()).map((s) => s.token);
      assert.ok(own.includes(mine), "the caller's own personal collection is listed");
      assert.ok(!own.includes(adaPersonal));
      const all = await spaces("?filter=all&per_page=100");
      // Page links keep the filter: read one collection a page, every page still includes personal ones.
      const paged = await listAll<SpaceBody>(`${base}/spaces?filter=all&per_page=1`, admin, "spaces");
      assert.equal(paged.pages, all.length);
      assert.deepEqual(
        paged.all.map((s) => s.token),
        all.map((s) => s.token),
      );
      const personal = all.find((s) => s.token === adaPersonal);
      assert.ok(personal);
      assert.deepEqual([personal.space_type, personal.restricted], ["personal", true]);
      assert.equal(all.length, own.length + 1);
      // A Workspace API token has no personal collection: every one is another user's.
      const wsToken = basic(emu.seed.mode.workspaceApiToken.token, emu.seed.mode.workspaceApiToken.secret);
      const byToken = await listAll<SpaceBody>(`${base}/spaces`, wsToken, "spaces");
      assert.ok(!byToken.all.some((s) => s.space_type === "personal"));
      const del = await req<ModeError>("DELETE", spaceUrl(adaPersonal), { auth: admin });
      assert.equal(del.status, 400);
      assert.match(del.json.message, /personal/);
    });

    it("lets any member create a collection; only its creator or an admin changes it", async () => {
      const wsToken = basic(emu.seed.mode.workspaceApiToken.token, emu.seed.mode.workspaceApiToken.secret);
      const theirs = await req<SpaceBody>("POST", `${base}/spaces`, {
        auth: wsToken,
        body: { space: { name: "Theirs" } },
      });
      assert.equal(theirs.status, 200);
      await control(emu, "POST", "/mode/admin", {
        workspace: ws,
        username: emu.seed.mode.adminUsername,
        admin: false,
      });
      const mine = await createSpace({ name: "Mine" });
      assert.equal(mine.status, 200);
      assert.equal(
        (
          await req("PATCH", spaceUrl(mine.json.token), {
            auth: admin,
            body: { space: { name: "Still mine" } },
          })
        ).status,
        200,
      );
      const s1 = theirs.json.token;
      const refused = await req<ModeError>("PATCH", spaceUrl(s1), {
        auth: admin,
        body: { space: { name: "x" } },
      });
      assert.equal(refused.status, 403);
      assert.match(refused.json.message, /Only workspace admins/);
      assert.equal((await req("DELETE", spaceUrl(s1), { auth: admin })).status, 403);
      assert.equal((await grant(permsUrl(s1), "view", "Account", emu.seed.mode.users[1].token)).status, 403);
      assert.equal((await req("GET", permsUrl(s1), { auth: admin })).status, 200, "reads stay open");
    });

    it("serves the space-membership endpoints on collections made through the new endpoints", async () => {
      const c = await createSpace({ name: "Shared" });
      const r = await req<{ token: string }>("POST", `${spaceUrl(c.json.token)}/memberships`, {
        auth: admin,
        body: { membership: { member_type: "UserGroup", member_token: emu.seed.mode.userGroups[0] } },
      });
      assert.equal(r.status, 200);
      assert.ok(r.headers.get("deprecation"), "the space-membership endpoints stay deprecated");
      const list = await req("GET", permsUrl(c.json.token), { auth: admin });
      assert.equal(list.headers.get("deprecation"), null, "the permission endpoints are not deprecated");
    });
  });

  describe("collection permissions", () => {
    it("grants, reads, lists (space_entitlements), changes and revokes a permission", async () => {
      const c = (await createSpace({ name: "Board", default_access_level: "restricted" })).json.token;
      const ada = emu.seed.mode.users[0];
      const g2 = emu.seed.mode.userGroups[1];
      const u = await grant(permsUrl(c), "view", "Account", ada.token);
      assert.equal(u.status, 200);
      assert.match(u.json.token, /^[0-9a-f]{12}$/);
      assert.deepEqual(
        [u.json.action, u.json.accessor_type, u.json.accessor_token],
        ["view", "Account", ada.token],
      );
      assert.equal(u.json._links.self.href, `${permsUrl(c)}/${u.json.token}`);
      const g = await grant(permsUrl(c), "edit", "UserGroup", g2);
      assert.equal(g.status, 200);
      const one = await req<PermissionBody>("GET", u.json._links.self.href, { auth: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json, u.json);
      const list = await req<{ _embedded: Record<string, unknown[]> }>("GET", permsUrl(c), { auth: admin });
      assert.deepEqual(Object.keys(list.json._embedded), ["space_entitlements"]);
      assert.deepEqual(
        (await grants(permsUrl(c), "space_entitlements")).map((p) => p.token),
        [u.json.token, g.json.token],
      );
      assert.equal(
        (await req<GroupBody>("GET", `${base}/groups/${g2}`, { auth: admin })).json.spaces_count,
        2,
      );
      const p = await req<PermissionBody>("PATCH", u.json._links.self.href, {
        auth: admin,
        body: { permission: { action: "edit" } },
      });
      assert.equal(p.status, 200);
      assert.equal(p.json.action, "edit");
      assert.equal(
        (await req<PermissionBody>("GET", u.json._links.self.href, { auth: admin })).json.action,
        "edit",
      );
      const d = await req<PermissionBody>("DELETE", u.json._links.self.href, { auth: admin });
      assert.equal(d.status, 200);
      assert.equal(d.json.token, u.json.token);
      for (const method of ["GET", "PATCH", "DELETE"]) {
        const body = method === "PATCH" ? { permission: { action: "view" } } : undefined;
        assert.equal((await req(method, u.json._links.self.href, { auth: admin, body })).status, 404, method);
      }
      assert.equal((await req("DELETE", g.json._links.self.href, { auth: admin })).status, 200);
      assert.equal(
        (await req<GroupBody>("GET", `${base}/groups/${g2}`, { auth: admin })).json.spaces_count,
        1,
      );
    });

    it("answers 400 for a bad action, accessor type or body and a second grant; 404 for unknown accessors", async () => {
      const s = emu.seed.mode.spaces[2];
      const ada = emu.seed.mode.users[0];
      for (const [action, type, token] of [
        ["query", "Account", ada.token],
        ["admin", "Account", ada.token],
        [undefined, "Account", ada.token],
        ["view", "User", ada.token],
        ["view", undefined, ada.token],
        ["view", "Account", ""],
        ["view", "Account", 42],
      ]) {
        const r = await grant(permsUrl(s), action, type, token);
        assert.equal(r.status, 400, JSON.stringify([action, type, token]));
        assert.equal(r.json.id, "bad_request");
      }
      for (const body of [undefined, {}, { permission: "view" }]) {
        assert.equal((await req("POST", permsUrl(s), { auth: admin, body })).status, 400);
      }
      assert.equal((await req("POST", permsUrl(s), { auth: admin, body: "{x" })).status, 400);
      for (const [type, token] of [
        ["Account", emu.seed.mode.noAccess.token],
        ["Account", "ffffffffffff"],
        ["Account", emu.seed.mode.userGroups[0]],
        ["UserGroup", ada.token],
        ["UserGroup", "ffffffffffff"],
      ]) {
        const r = await grant(permsUrl(s), "view", type, token);
        assert.equal(r.status, 404, `${type} ${token}`);
        assert.equal(r.json.id, "not_found");
      }
      assert.equal((await grant(permsUrl("ffffffffffff"), "view", "Account", ada.token)).status, 404);
      assert.equal((await req("GET", permsUrl("ffffffffffff"), { auth: admin })).status, 404);
      const first = await grant(permsUrl(s), "view", "Account", ada.token);
      assert.equal(first.status, 200);
      const second = await grant(permsUrl(s), "edit", "Account", ada.token);
      assert.equal(second.status, 400);
      assert.match(second.json.message, /already has a permission/);
      const bad = await req("PATCH", first.json._links.self.href, {
        auth: admin,
        body: { permission: { action: "manage" } },
      });
      assert.equal(bad.status, 400);
      assert.equal((await req("PATCH", first.json._links.self.href, { auth: admin, body: {} })).status, 400);
    });
  });

  describe("data sources", () => {
    it("lists (data_sources) and gets the seeded data sources; 404 for an unknown one", async () => {
      const list = (await listAll<DataSourceBody>(`${base}/data_sources`, admin, "data_sources")).all;
      assert.deepEqual(
        list.map((d) => [d.token, d.name]),
        emu.seed.mode.dataSources.map((d) => [d.token, d.name]),
      );
      assert.equal(list.length, 3);
      const one = await req<DataSourceBody>("GET", `${base}/data_sources/${list[0].token}`, { auth: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json, list[0]);
      assert.deepEqual([one.json.adapter, typeof one.json.id], ["jdbc:snowflake", "number"]);
      assert.equal(one.json._links.permissions.href, dsPermsUrl(list[0].token));
      const missing = await req<ModeError>("GET", `${base}/data_sources/ffffffffffff`, { auth: admin });
      assert.equal(missing.status, 404);
      assert.equal(missing.json.id, "not_found");
      assert.equal((await req("GET", dsPermsUrl("ffffffffffff"), { auth: admin })).status, 404);
      const added = await addDataSource(emu, ws, "Scratch", "jdbc:redshift");
      const read = await req<DataSourceBody>("GET", `${base}/data_sources/${added}`, { auth: admin });
      assert.deepEqual([read.status, read.json.name, read.json.adapter], [200, "Scratch", "jdbc:redshift"]);
    });

    it("grants view, query and manage (data_source_entitlements) with the collection permission rules", async () => {
      const ds = emu.seed.mode.dataSources[2].token;
      const ada = emu.seed.mode.users[0];
      const g = emu.seed.mode.userGroups[1];
      const list = await req<{ _embedded: Record<string, unknown[]> }>("GET", dsPermsUrl(ds), {
        auth: admin,
      });
      assert.deepEqual(list.json._embedded, { data_source_entitlements: [] });
      const q = await grant(dsPermsUrl(ds), "query", "Account", ada.token);
      assert.equal(q.status, 200);
      const m = await grant(dsPermsUrl(ds), "manage", "UserGroup", g);
      assert.equal(m.status, 200);
      assert.equal(
        (await grant(dsPermsUrl(ds), "edit", "Account", emu.seed.mode.users[1].token)).status,
        400,
      );
      assert.equal((await grant(dsPermsUrl(ds), "view", "Account", ada.token)).status, 400, "second grant");
      assert.equal((await grant(dsPermsUrl(ds), "view", "UserGroup", "ffffffffffff")).status, 404);
      assert.deepEqual(
        (await grants(dsPermsUrl(ds), "data_source_entitlements")).map((p) => [p.action, p.accessor_type]),
        [
          ["query", "Account"],
          ["manage", "UserGroup"],
        ],
      );
      const v = await req<PermissionBody>("PATCH", q.json._links.self.href, {
        auth: admin,
        body: { permission: { action: "view" } },
      });
      assert.equal(v.json.action, "view");
      assert.equal(
        (await req<GroupBody>("GET", `${base}/groups/${g}`, { auth: admin })).json.data_sources_count,
        2,
      );
      assert.equal((await req("DELETE", q.json._links.self.href, { auth: admin })).status, 200);
      assert.equal((await req("GET", q.json._links.self.href, { auth: admin })).status, 404);
    });

    it("can make one data-source permission GET answer 500 while the list works (control)", async () => {
      const ds = emu.seed.mode.dataSources[0].token;
      const [p1, p2] = await grants(dsPermsUrl(ds), "data_source_entitlements");
      assert.ok(p1 && p2);
      await setDataSourcePermissionGet500(emu, true, p1.token);
      const broken = await req<ModeError>("GET", p1._links.self.href, { auth: admin });
      assert.equal(broken.status, 500);
      assert.equal(broken.json.id, "internal_server_error");
      assert.equal((await req("GET", p2._links.self.href, { auth: admin })).status, 200);
      assert.equal((await grants(dsPermsUrl(ds), "data_source_entitlements")).length, 2, "the list works");
      assert.equal(
        (await req("PATCH", p1._links.self.href, { auth: admin, body: { permission: { action: "view" } } }))
          .status,
        200,
        "only the GET is broken",
      );
      // Collection permissions are never affected.
      const sp = (await grants(permsUrl(emu.seed.mode.spaces[0]), "space_entitlements"))[0];
      await setDataSourcePermissionGet500(emu, true);
      assert.equal((await req("GET", p2._links.self.href, { auth: admin })).status, 500, "all of them");
      assert.equal((await req("GET", sp._links.self.href, { auth: admin })).status, 200);
      await setDataSourcePermissionGet500(emu, false);
      assert.equal((await req("GET", p1._links.self.href, { auth: admin })).status, 200);
      assert.equal((await req("GET", p2._links.self.href, { auth: admin })).status, 200);
      assert.equal(
        (await control(emu, "POST", "/mode/quirks/data-source-permission-500", { permission: p1.token }))
          .status,
        400,
      );
    });
  });

  describe("cascades and logs", () => {
    it("removing a member (API or control) revokes their collection and data-source grants", async () => {
      const ada = emu.seed.mode.users[0];
      const grace = emu.seed.mode.users[1];
      const s = emu.seed.mode.spaces[2];
      const ds = emu.seed.mode.dataSources[2].token;
      for (const u of [ada, grace]) {
        assert.equal((await grant(permsUrl(s), "view", "Account", u.token)).status, 200);
        assert.equal((await grant(dsPermsUrl(ds), "query", "Account", u.token)).status, 200);
      }
      assert.equal((await req("DELETE", `${base}/memberships/${ada.token}`, { auth: admin })).status, 200);
      await removeFromWorkspace(emu, ws, { username: "grace" });
      assert.deepEqual(await grants(permsUrl(s), "space_entitlements"), []);
      assert.deepEqual(await grants(dsPermsUrl(ds), "data_source_entitlements"), []);
      assert.ok(
        !(await grants(permsUrl(emu.seed.mode.spaces[0]), "space_entitlements")).some(
          (p) => p.accessor_token === ada.token,
        ),
        "the seeded grant to ada went too",
      );
      assert.equal(
        (await grant(permsUrl(s), "view", "Account", ada.token)).status,
        404,
        "no longer a member",
      );
    });

    it("deleting a collection revokes its grants: the group's spaces_count follows", async () => {
      const g = emu.seed.mode.userGroups[1];
      const c = (await createSpace({ name: "Short-lived" })).json.token;
      assert.equal((await grant(permsUrl(c), "edit", "UserGroup", g)).status, 200);
      const count = async (): Promise<number> =>
        (await req<GroupBody>("GET", `${base}/groups/${g}`, { auth: admin })).json.spaces_count;
      assert.equal(await count(), 2);
      assert.equal((await req("DELETE", spaceUrl(c), { auth: admin })).status, 200);
      assert.equal(await count(), 1);
    });

    it("counts every new route by its stable name", async () => {
      await control(emu, "DELETE", "/requests");
      const c = (await createSpace({ name: "Counted" })).json.token;
      await req("GET", spaceUrl(c), { auth: admin });
      await req("PATCH", spaceUrl(c), { auth: admin, body: { space: { name: "C" } } });
      await req("POST", spaceUrl(c), { auth: admin, body: { space: { name: "C2" } } });
      await spaces();
      const p = await grant(permsUrl(c), "view", "Account", emu.seed.mode.users[0].token);
      await req("GET", p.json._links.self.href, { auth: admin });
      await req("PATCH", p.json._links.self.href, { auth: admin, body: { permission: { action: "edit" } } });
      await grants(permsUrl(c), "space_entitlements");
      await req("DELETE", p.json._links.self.href, { auth: admin });
      await req("DELETE", spaceUrl(c), { auth: admin });
      const ds = emu.seed.mode.dataSources[2].token;
      await listAll(`${base}/data_sources`, admin, "data_sources");
      await req("GET", `${base}/data_sources/${ds}`, { auth: admin });
      const dp = await grant(dsPermsUrl(ds), "view", "Account", emu.seed.mode.users[0].token);
      await req("GET", dp.json._links.self.href, { auth: admin });
      await req("PATCH", dp.json._links.self.href, {
        auth: admin,
        body: { permission: { action: "query" } },
      });
      await grants(dsPermsUrl(ds), "data_source_entitlements");
      await req("DELETE", dp.json._links.self.href, { auth: admin });
      const counts = (await control<{ byRoute: Record<string, number> }>(emu, "GET", "/requests")).json
        .byRoute;
      const expected = [
        "POST mode.spaces.create",
        "GET mode.spaces.get",
        "PATCH mode.spaces.update",
        "POST mode.spaces.update",
        "GET mode.spaces.list",
        "DELETE mode.spaces.delete",
        ...["spacePermissions", "dataSourcePermissions"].flatMap((r) => [
          `POST mode.${r}.create`,
          `GET mode.${r}.get`,
          `PATCH mode.${r}.update`,
          `GET mode.${r}.list`,
          `DELETE mode.${r}.delete`,
        ]),
        "GET mode.dataSources.list",
        "GET mode.dataSources.get",
      ];
      for (const key of expected) assert.ok((counts[key] ?? 0) >= 1, `${key} in ${JSON.stringify(counts)}`);
      assert.equal(counts.unknown, undefined);
      await control(emu, "PUT", "/faults", {
        routes: { "mode.spacePermissions.list": { status: [429], times: 1 } },
      });
      const limited = await req("GET", permsUrl(emu.seed.mode.spaces[0]), { auth: admin });
      assert.equal(limited.status, 429);
      assert.ok(limited.headers.get("retry-after"));
      assert.equal((await req("GET", permsUrl(emu.seed.mode.spaces[0]), { auth: admin })).status, 200);
    });
  });

  describe("seeding at size", () => {
    it("starts with 2,000 members, 50 groups, 200 collections and lists them all", async () => {
      const big = await startEmulator({
        port: 0,
        seed: { users: 2000, userGroups: 50, spaces: 200, dataSources: 5, personalCollections: 10 },
      });
      try {
        const s = big.seed.mode;
        assert.deepEqual(
          [
            s.users.length,
            s.groups.length,
            s.collections.length,
            s.dataSources.length,
            s.personalCollections.length,
          ],
          [2000, 50, 200, 5, 10],
        );
        assert.equal(
          s.groups.reduce((n, g) => n + g.members.length, 0),
          2000,
          "every seeded member is in one group",
        );
        const auth = basic(s.token, s.secret);
        const b = `${big.modeApiUrl}/${s.workspace}`;
        const groups = await listAll<GroupBody>(`${b}/groups?per_page=1000`, auth, "groups");
        assert.equal(groups.all.length, 50);
        assert.equal(
          groups.all.reduce((n, g) => n + g.member_count, 0),
          2000,
        );
        const members = await listAll<unknown>(
          `${b}/groups/${s.userGroups[0]}/memberships`,
          auth,
          "group_memberships",
        );
        assert.equal(members.all.length, 40);
        assert.equal((await listAll<unknown>(`${b}/spaces?per_page=1000`, auth, "spaces")).all.length, 200);
        assert.equal(
          (await listAll<unknown>(`${b}/spaces?filter=all&per_page=1000`, auth, "spaces")).all.length,
          210,
        );
        assert.equal(
          (await listAll<unknown>(`${b}/memberships?per_page=1000`, auth, "memberships")).all.length,
          2001,
        );
        const restricted = s.collections.filter((c) => c.defaultAccessLevel === "restricted");
        const perms = await listAll<PermissionBody>(
          `${b}/spaces/${restricted[0].token}/permissions`,
          auth,
          "space_entitlements",
        );
        assert.deepEqual(
          perms.all.map((p) => p.accessor_type),
          ["UserGroup", "Account"],
        );
      } finally {
        await big.close();
      }
    });

    it("prints the new seed info on the command line's first stdout line, sized by the new flags", async () => {
      const cli = resolve(__dirname, "..", "..", "emulator", "cli.js");
      const child = spawn(
        process.execPath,
        [
          cli,
          "--port",
          "0",
          "--groups",
          "3",
          "--collections",
          "4",
          "--data-sources",
          "1",
          "--personal-collections",
          "2",
        ],
        { stdio: ["ignore", "pipe", "ignore"] },
      );
      try {
        const first = await new Promise<string>((ok, fail) => {
          let out = "";
          child.stdout?.on("data", (c: Buffer) => {
            out += c.toString();
            if (out.includes("\n")) ok(out.slice(0, out.indexOf("\n")));
          });
          child.on("exit", (code) => fail(new Error(`the CLI exited with ${code} before its first line`)));
        });
        const seed = JSON.parse(first) as SeedInfo;
        assert.deepEqual(
          [
            seed.mode.groups.length,
            seed.mode.userGroups.length,
            seed.mode.collections.length,
            seed.mode.spaces.length,
            seed.mode.dataSources.length,
            seed.mode.personalCollections.map((p) => p.username),
          ],
          [3, 3, 4, 4, 1, ["ada", "grace"]],
        );
        const r = await req<{ _embedded: { data_sources: unknown[] } }>(
          "GET",
          `${seed.modeApiUrl}/${seed.mode.workspace}/data_sources`,
          { auth: basic(seed.mode.token, seed.mode.secret) },
        );
        assert.equal(r.json._embedded.data_sources.length, 1);
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((done) => child.once("exit", done));
          child.kill("SIGTERM");
          await exited;
        }
      }
    });

    it("parses the size flags of the command line", () => {
      assert.deepEqual(
        parseArgs([
          "--users",
          "2000",
          "--groups",
          "50",
          "--collections=200",
          "--data-sources",
          "4",
          "--personal-collections",
          "3",
        ]),
        { seed: { users: 2000, userGroups: 50, spaces: 200, dataSources: 4, personalCollections: 3 } },
      );
      assert.deepEqual(parseArgs(["--user-groups", "1", "--spaces", "2"]), {
        seed: { userGroups: 1, spaces: 2 },
      });
      assert.throws(() => parseArgs(["--data-sources", "-1"]), /--data-sources expects a whole number/);
    });
  });
});
