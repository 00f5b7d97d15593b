/**
 * Emulator integration tests, Mode groups (API-CONTRACT.md "groups, collections and their
 * permissions"): groups and group memberships through raw HTTP — every endpoint and status, unique
 * names, soft delete, the rename-before-delete quirk, SCIM-managed groups, counts, cascades, the
 * control actions, the request log, per-route faults and the state file.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { buildSeed } from "../../emulator/seed";
import {
  GroupBody,
  GroupMembershipBody,
  ModeError,
  PermissionBody,
  addGroupMemberOutside,
  basic,
  control,
  deleteGroupOutside,
  ensureMember,
  listAll,
  removeFromWorkspace,
  removeGroupMemberOutside,
  renameGroupOutside,
  req,
  setGroupManaged,
  setMemberAdmin,
} from "../../testing/emulator-control";

describe("emulator: Mode groups", () => {
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

  const create = (name: unknown, auth = admin) =>
    req<GroupBody & ModeError>("POST", `${base}/groups`, { auth, body: { user_group: { name } } });
  const get = (token: string) =>
    req<GroupBody & ModeError>("GET", `${base}/groups/${token}`, { auth: admin });
  const rename = (token: string, name: unknown, auth = admin) =>
    req<GroupBody & ModeError>("PATCH", `${base}/groups/${token}`, { auth, body: { user_group: { name } } });
  const del = (token: string, auth = admin) =>
    req<GroupBody & ModeError>("DELETE", `${base}/groups/${token}`, { auth });
  const groups = async (): Promise<GroupBody[]> =>
    (await listAll<GroupBody>(`${base}/groups`, admin, "groups")).all;
  const membersUrl = (group: string): string => `${base}/groups/${group}/memberships`;
  const addMember = (group: string, memberToken: unknown, auth = admin) =>
    req<GroupMembershipBody & ModeError>("POST", membersUrl(group), {
      auth,
      body: { membership: { member_token: memberToken } },
    });
  const members = async (group: string): Promise<GroupMembershipBody[]> =>
    (await listAll<GroupMembershipBody>(membersUrl(group), admin, "group_memberships")).all;

  describe("seed", () => {
    it("seeds real groups with members whose tokens are the seed's userGroups, with true counts", async () => {
      const s = emu.seed.mode;
      assert.deepEqual(
        s.groups.map((g) => g.token),
        s.userGroups,
      );
      assert.deepEqual(
        s.groups.map((g) => [g.name, g.members]),
        [
          ["Group 1", ["ada", "alan", "barbara"]],
          ["Group 2", ["grace", "edsger"]],
        ],
      );
      const list = await groups();
      assert.deepEqual(
        list.map((g) => g.token),
        s.userGroups,
      );
      const tokenOf = new Map(s.users.map((u) => [u.username, u.token]));
      for (const g of s.groups) {
        const listed = await members(g.token);
        assert.deepEqual(
          listed.map((m) => m.member_token),
          g.members.map((u) => tokenOf.get(u)),
        );
      }
      const [g1, g2] = list;
      assert.deepEqual(
        [g1.member_count, g1.spaces_count, g1.data_sources_count, g1.managed, g1.state, g1.group_type],
        [3, 1, 1, false, "active", "custom"],
      );
      assert.deepEqual([g2.member_count, g2.spaces_count, g2.data_sources_count], [2, 1, 1]);
    });
  });

  describe("groups", () => {
    it("creates, gets, lists, renames and soft-deletes a group", async () => {
      const c = await create("Analysts");
      assert.equal(c.status, 200);
      assert.match(c.json.token, /^[0-9a-f]{12}$/);
      assert.deepEqual(
        {
          name: c.json.name,
          description: c.json.description,
          group_type: c.json.group_type,
          state: c.json.state,
          member_count: c.json.member_count,
          spaces_count: c.json.spaces_count,
          data_sources_count: c.json.data_sources_count,
          managed: c.json.managed,
        },
        {
          name: "Analysts",
          description: "",
          group_type: "custom",
          state: "active",
          member_count: 0,
          spaces_count: 0,
          data_sources_count: 0,
          managed: false,
        },
      );
      assert.equal(c.json._links.self.href, `${base}/groups/${c.json.token}`);
      assert.equal(c.json._links.group_memberships.href, `${base}/groups/${c.json.token}/memberships`);
      assert.equal(c.headers.get("content-type"), "application/hal+json");
      const g = await get(c.json.token);
      assert.equal(g.status, 200);
      assert.deepEqual(g.json, c.json);
      assert.deepEqual(
        (await groups()).map((x) => x.name),
        ["Group 1", "Group 2", "Analysts"],
      );

      const r = await rename(c.json.token, "Data Analysts");
      assert.equal(r.status, 200);
      assert.equal(r.json.name, "Data Analysts");
      assert.equal((await get(c.json.token)).json.name, "Data Analysts");
      assert.equal((await rename(c.json.token, "data analysts")).status, 200, "own name in another case");

      const d = await del(c.json.token);
      assert.equal(d.status, 200);
      assert.equal(d.json.token, c.json.token);
      assert.equal(d.json.state, "soft_deleted");
      const after = await get(c.json.token);
      assert.equal(after.status, 200, "a deleted group stays readable");
      assert.equal(after.json.state, "soft_deleted");
      assert.deepEqual(
        (await groups()).map((x) => x.name),
        ["Group 1", "Group 2"],
      );
      const again = await del(c.json.token);
      assert.equal(again.status, 200);
      assert.equal(again.json.state, "soft_deleted");
      assert.equal((await rename(c.json.token, "Back")).status, 404, "a deleted group cannot be changed");
      assert.equal((await req("GET", membersUrl(c.json.token), { auth: admin })).status, 404);
    });

    it("keeps names unique among active groups, case-insensitively", async () => {
      const dup = await create("group 1");
      assert.equal(dup.status, 400);
      assert.equal(dup.json.id, "bad_request");
      assert.match(dup.json.message, /already exists/);
      const c = await create("Marketing");
      assert.equal((await rename(c.json.token, "GROUP 2")).status, 400);
      assert.equal((await del(c.json.token)).status, 200);
      const reused = await create("marketing");
      assert.equal(reused.status, 200, "the name of a deleted group is free again");
      assert.notEqual(reused.json.token, c.json.token);
    });

    it("keeps Mode's quirk: deleting a group named like an earlier deleted one answers 200 but leaves it active", async () => {
      const first = await create("Finance");
      assert.equal((await del(first.json.token)).json.state, "soft_deleted");
      const second = await create("FINANCE");
      const d = await del(second.json.token);
      assert.equal(d.status, 200);
      assert.equal(d.json.state, "active");
      assert.equal((await get(second.json.token)).json.state, "active");
      assert.ok((await groups()).some((g) => g.token === second.json.token));
      // Renamed first, the delete works.
      assert.equal((await rename(second.json.token, "Finance (old)")).status, 200);
      assert.equal((await del(second.json.token)).json.state, "soft_deleted");
      assert.equal((await get(second.json.token)).json.state, "soft_deleted");
    });

    it("validates bodies and answers 400, 401, 403, 404 and 415 in Mode's error shape", async () => {
      for (const body of [
        undefined,
        {},
        { user_group: "x" },
        { user_group: {} },
        { user_group: { name: "  " } },
      ]) {
        const r = await req<ModeError>("POST", `${base}/groups`, { auth: admin, body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.json.id, "bad_request");
      }
      assert.equal((await create("x".repeat(256))).status, 400);
      assert.equal((await create(7)).status, 400);
      const bad = await req<ModeError>("POST", `${base}/groups`, { auth: admin, body: "{nope" });
      assert.equal(bad.status, 400);
      assert.match(bad.json.message, /not valid JSON/);
      const type = await req("POST", `${base}/groups`, {
        auth: admin,
        body: "name=x",
        contentType: "text/plain",
      });
      assert.equal(type.status, 415);
      const g = emu.seed.mode.userGroups[0];
      assert.equal((await rename(g, "")).status, 400);
      assert.equal((await req("PATCH", `${base}/groups/${g}`, { auth: admin, body: {} })).status, 400);
      assert.equal((await req("GET", `${base}/groups`)).status, 401);
      const outsider = basic(emu.seed.mode.noAccess.token, emu.seed.mode.noAccess.secret);
      assert.equal((await req("GET", `${base}/groups`, { auth: outsider })).status, 403);
      assert.equal((await req("GET", `${emu.modeApiUrl}/nobody/groups`, { auth: admin })).status, 404);
      for (const [method, url] of [
        ["GET", `${base}/groups/ffffffffffff`],
        ["PATCH", `${base}/groups/ffffffffffff`],
        ["DELETE", `${base}/groups/ffffffffffff`],
        ["GET", membersUrl("ffffffffffff")],
        ["POST", membersUrl("ffffffffffff")],
        ["GET", `${membersUrl(g)}/ffffffffffff`],
        ["DELETE", `${membersUrl(g)}/ffffffffffff`],
      ]) {
        const body = method === "GET" ? undefined : { user_group: { name: "n" } };
        const r = await req<ModeError>(method, url, { auth: admin, body });
        assert.equal(r.status, 404, `${method} ${url}`);
        assert.equal(r.json.id, "not_found");
      }
      assert.equal((await req("PUT", `${base}/groups/${g}`, { auth: admin })).status, 405);
    });

    it("lets only admins and Workspace API tokens change groups; members may read them", async () => {
      await setMemberAdmin(emu, ws, { username: emu.seed.mode.adminUsername }, false);
      const g = emu.seed.mode.userGroups[0];
      const refused = await create("Nope");
      assert.equal(refused.status, 403);
      assert.equal(refused.json.id, "forbidden");
      assert.equal((await rename(g, "Nope")).status, 403);
      assert.equal((await del(g)).status, 403);
      assert.equal((await addMember(g, emu.seed.mode.users[1].token)).status, 403);
      assert.equal((await get(g)).status, 200);
      assert.equal((await req("GET", membersUrl(g), { auth: admin })).status, 200);
      const wsToken = basic(emu.seed.mode.workspaceApiToken.token, emu.seed.mode.workspaceApiToken.secret);
      const c = await create("By token", wsToken);
      assert.equal(c.status, 200);
      assert.equal(c.json._links.self.href, `${base}/groups/${c.json.token}`);
    });

    it("pages the group list with next_page links (or next) and counts every group", async () => {
      for (let i = 0; i < 5; i++) assert.equal((await create(`Team ${i}`)).status, 200);
      const { all, pages } = await listAll<GroupBody>(`${base}/groups`, admin, "groups");
      assert.equal(all.length, 7);
      assert.equal(pages, 4, "page size 2");
      assert.equal(new Set(all.map((g) => g.token)).size, 7);
    });
  });

  describe("group memberships", () => {
    it("adds, gets, lists and removes members, with a true member_count", async () => {
      const g = (await create("Ops")).json.token;
      const [ada, grace] = emu.seed.mode.users;
      const a = await addMember(g, ada.token);
      assert.equal(a.status, 200);
      assert.match(a.json.token, /^[0-9a-f]{12}$/);
      assert.equal(a.json.member_token, ada.token);
      assert.equal(a.json._links.self.href, `${membersUrl(g)}/${a.json.token}`);
      assert.equal(a.json._links.member.href, `${emu.modeApiUrl}/ada`);
      assert.equal(a.json._links.user_group.href, `${base}/groups/${g}`);
      const b = await addMember(g, grace.token);
      assert.equal(b.status, 200);
      const one = await req<GroupMembershipBody>("GET", a.json._links.self.href, { auth: admin });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json, a.json);
      assert.deepEqual(
        (await members(g)).map((m) => m.member_token),
        [ada.token, grace.token],
      );
      assert.equal((await get(g)).json.member_count, 2);
      const d = await req<GroupMembershipBody>("DELETE", a.json._links.self.href, { auth: admin });
      assert.equal(d.status, 200);
      assert.equal(d.json.token, a.json.token);
      assert.equal((await req("GET", a.json._links.self.href, { auth: admin })).status, 404);
      assert.equal((await req("DELETE", a.json._links.self.href, { auth: admin })).status, 404);
      assert.equal((await get(g)).json.member_count, 1);
    });

    it("answers 404 for a token that is not a workspace member and 400 for the same member twice", async () => {
      const g = emu.seed.mode.userGroups[1];
      const ada = emu.seed.mode.users[0];
      for (const token of [emu.seed.mode.noAccess.token, "ffffffffffff", emu.seed.mode.userGroups[0]]) {
        const r = await addMember(g, token);
        assert.equal(r.status, 404, token);
        assert.equal(r.json.id, "not_found");
      }
      assert.equal((await addMember(g, ada.token)).status, 200);
      const dup = await addMember(g, ada.token);
      assert.equal(dup.status, 400);
      assert.match(dup.json.message, /already a member/);
      for (const body of [undefined, {}, { membership: {} }, { membership: { member_token: 5 } }]) {
        const r = await req("POST", membersUrl(g), { auth: admin, body });
        assert.equal(r.status, 400, JSON.stringify(body));
      }
      // An invited (not yet active) member of the workspace can be added too.
      const inv = await req<ModeError>("POST", `${base}/invites`, {
        auth: admin,
        body: { invite: { invitee: { email: "newbie@acme.example" }, message: "hi" } },
      });
      assert.equal(inv.status, 200);
      const state = await control<{ users: { email: string; token: string }[] }>(emu, "GET", "/state");
      const newbie = state.json.users.find((u) => u.email === "newbie@acme.example");
      assert.ok(newbie);
      assert.equal((await addMember(g, newbie.token)).status, 200);
    });
  });

  describe("managed (SCIM) groups", () => {
    it("refuse membership changes, renames and deletes through the API; the identity provider changes them", async () => {
      const g = emu.seed.mode.groups[0];
      const grace = emu.seed.mode.users[1];
      const ada = emu.seed.mode.users[0];
      const marked = await setGroupManaged(emu, ws, g.token, true);
      assert.equal(marked.managed, true);
      assert.equal((await get(g.token)).json.managed, true);
      const add = await addMember(g.token, grace.token);
      assert.equal(add.status, 400);
      assert.equal(add.json.id, "bad_request");
      assert.match(add.json.message, /managed by your identity provider \(SCIM\)/);
      const existing = (await members(g.token)).find((m) => m.member_token === ada.token);
      assert.ok(existing);
      const remove = await req<ModeError>("DELETE", existing._links.self.href, { auth: admin });
      assert.equal(remove.status, 400);
      assert.match(remove.json.message, /identity provider/);
      const ren = await rename(g.token, "Renamed");
      assert.equal(ren.status, 400);
      assert.match(ren.json.message, /identity provider/);
      const d = await del(g.token);
      assert.equal(d.status, 400);
      assert.equal((await get(g.token)).json.state, "active");

      // What the identity provider does (control interface) works on a managed group.
      const added = await addGroupMemberOutside(emu, ws, g.token, { username: "grace" });
      assert.equal(added.existed, false);
      assert.equal(
        (await addGroupMemberOutside(emu, ws, g.token, { memberToken: grace.token })).existed,
        true,
      );
      assert.equal(await removeGroupMemberOutside(emu, ws, g.token, { username: "ada" }), true);
      assert.equal(await removeGroupMemberOutside(emu, ws, g.token, { username: "ada" }), false);
      assert.deepEqual(
        (await members(g.token)).map((m) => m.member_token).sort(),
        [grace.token, ...g.members.filter((u) => u !== "ada").map((u) => tokenOf(u))].sort(),
      );
      assert.equal((await renameGroupOutside(emu, ws, g.token, "Okta Analysts")).name, "Okta Analysts");
      assert.equal((await get(g.token)).json.name, "Okta Analysts");

      // Unmarked, the API changes it again.
      assert.equal((await setGroupManaged(emu, ws, g.token, false)).managed, false);
      assert.equal((await rename(g.token, "Group 1")).status, 200);
      assert.equal((await addMember(g.token, emu.seed.mode.users[3].token)).status, 200);
    });

    it("answers control errors for bad bodies, unknown groups and non-members", async () => {
      const g = emu.seed.mode.userGroups[0];
      assert.equal(
        (await control(emu, "POST", "/mode/groups/managed", { workspace: ws, group: g })).status,
        400,
      );
      assert.equal(
        (await control(emu, "POST", "/mode/groups/managed", { workspace: ws, group: "nope", managed: true }))
          .status,
        404,
      );
      assert.equal(
        (
          await control(emu, "POST", "/mode/groups/add-member", {
            workspace: ws,
            group: g,
            memberToken: emu.seed.mode.noAccess.token,
          })
        ).status,
        404,
      );
      assert.equal(
        (await control(emu, "POST", "/mode/groups/update", { workspace: ws, group: g, name: "Group 2" }))
          .status,
        400,
      );
    });
  });

  const tokenOf = (username: string): string => {
    const u = emu.seed.mode.users.find((x) => x.username === username);
    assert.ok(u, username);
    return u.token;
  };

  describe("cascades", () => {
    const spacePerms = (i = 0) => `${base}/spaces/${emu.seed.mode.spaces[i]}/permissions`;
    const dsPerms = (i = 0) => `${base}/data_sources/${emu.seed.mode.dataSources[i].token}/permissions`;
    const grants = async (url: string, key: string): Promise<PermissionBody[]> =>
      (await listAll<PermissionBody>(url, admin, key)).all;

    it("removing someone from the workspace removes their group memberships and every grant to them", async () => {
      const ada = emu.seed.mode.users[0];
      const g1 = emu.seed.mode.userGroups[0];
      const g2 = emu.seed.mode.userGroups[1];
      assert.equal((await addMember(g2, ada.token)).status, 200);
      const before = await grants(spacePerms(), "space_entitlements");
      assert.ok(before.some((p) => p.accessor_token === ada.token));
      assert.ok(
        (await grants(dsPerms(), "data_source_entitlements")).some((p) => p.accessor_token === ada.token),
      );
      const d = await req("DELETE", `${base}/memberships/${ada.token}`, { auth: admin });
      assert.equal(d.status, 200);
      assert.ok(!(await members(g1)).some((m) => m.member_token === ada.token));
      assert.ok(!(await members(g2)).some((m) => m.member_token === ada.token));
      assert.equal((await get(g1)).json.member_count, 2);
      assert.equal((await get(g2)).json.member_count, 2);
      const after = await grants(spacePerms(), "space_entitlements");
      assert.deepEqual(
        after.map((p) => p.token),
        before.filter((p) => p.accessor_token !== ada.token).map((p) => p.token),
      );
      assert.ok(
        !(await grants(dsPerms(), "data_source_entitlements")).some((p) => p.accessor_token === ada.token),
      );
      // Back in the workspace (same user token), nothing comes back by itself.
      await ensureMember(emu, ws, { username: "ada" });
      assert.ok(!(await members(g1)).some((m) => m.member_token === ada.token));
    });

    it("the control interface's removal from the workspace cascades the same way", async () => {
      const grace = emu.seed.mode.users[1];
      const g2 = emu.seed.mode.userGroups[1];
      assert.ok((await members(g2)).some((m) => m.member_token === grace.token));
      await removeFromWorkspace(emu, ws, { username: "grace" });
      assert.ok(!(await members(g2)).some((m) => m.member_token === grace.token));
      assert.equal((await req("GET", `${base}/memberships/${grace.token}`, { auth: admin })).status, 404);
    });

    it("deleting a group removes its permissions and space memberships; counts follow", async () => {
      const g1 = emu.seed.mode.userGroups[0];
      const sm = await req("POST", `${base}/spaces/${emu.seed.mode.spaces[2]}/memberships`, {
        auth: admin,
        body: { membership: { member_type: "UserGroup", member_token: g1 } },
      });
      assert.equal(sm.status, 200);
      assert.ok((await grants(spacePerms(), "space_entitlements")).some((p) => p.accessor_token === g1));
      assert.equal((await del(g1)).json.state, "soft_deleted");
      assert.ok(!(await grants(spacePerms(), "space_entitlements")).some((p) => p.accessor_token === g1));
      assert.ok(!(await grants(dsPerms(), "data_source_entitlements")).some((p) => p.accessor_token === g1));
      const spaceMembers = await listAll<{ member_token: string }>(
        `${base}/spaces/${emu.seed.mode.spaces[2]}/memberships`,
        admin,
        "memberships",
      );
      assert.ok(!spaceMembers.all.some((m) => m.member_token === g1));
      const read = await get(g1);
      assert.deepEqual([read.json.spaces_count, read.json.data_sources_count], [0, 0]);
      // A deleted group is no accessor any more.
      const grant = await req<ModeError>("POST", spacePerms(1), {
        auth: admin,
        body: { permission: { action: "view", accessor_type: "UserGroup", accessor_token: g1 } },
      });
      assert.equal(grant.status, 404);
      const spaceMember = await req("POST", `${base}/spaces/${emu.seed.mode.spaces[0]}/memberships`, {
        auth: admin,
        body: { membership: { member_type: "UserGroup", member_token: g1 } },
      });
      assert.equal(spaceMember.status, 404);
    });

    it("the identity provider's delete (control) soft-deletes without the quirk", async () => {
      const first = await create("Sales");
      await del(first.json.token);
      const second = await create("Sales");
      const d = await deleteGroupOutside(emu, ws, second.json.token);
      assert.equal(d.state, "soft_deleted");
      assert.equal((await get(second.json.token)).json.state, "soft_deleted");
    });
  });

  describe("request log, faults and state", () => {
    it("counts the group routes by name and injects faults per route", async () => {
      await control(emu, "DELETE", "/requests");
      const g = (await create("Logged")).json.token;
      await get(g);
      await groups();
      await addMember(g, emu.seed.mode.users[0].token);
      await members(g);
      await rename(g, "Logged 2");
      await del(g);
      const counts = (await control<{ byRoute: Record<string, number> }>(emu, "GET", "/requests")).json
        .byRoute;
      for (const key of [
        "POST mode.groups.create",
        "GET mode.groups.get",
        "GET mode.groups.list",
        "POST mode.groupMemberships.create",
        "GET mode.groupMemberships.list",
        "PATCH mode.groups.update",
        "DELETE mode.groups.delete",
      ]) {
        assert.ok((counts[key] ?? 0) >= 1, `${key} in ${JSON.stringify(counts)}`);
      }
      await control(emu, "PUT", "/faults", { routes: { "mode.groups.create": { status: [503], times: 1 } } });
      assert.equal((await create("Faulty")).status, 503);
      assert.equal((await create("Faulty")).status, 200);
      assert.equal((await groups()).filter((x) => x.name === "Faulty").length, 1);
    });

    it("keeps groups, memberships and grants across restarts with a state file", async () => {
      const dir = mkdtempSync(join(tmpdir(), "emu-groups-"));
      try {
        const file = join(dir, "state.json");
        const first = await startEmulator({ port: 0, statePath: file });
        const auth = basic(first.seed.mode.token, first.seed.mode.secret);
        const b = `${first.modeApiUrl}/${first.seed.mode.workspace}`;
        const g = await req<GroupBody>("POST", `${b}/groups`, {
          auth,
          body: { user_group: { name: "Kept" } },
        });
        await req("POST", `${b}/groups/${g.json.token}/memberships`, {
          auth,
          body: { membership: { member_token: first.seed.mode.users[0].token } },
        });
        await req("POST", `${b}/spaces/${first.seed.mode.spaces[2]}/permissions`, {
          auth,
          body: { permission: { action: "edit", accessor_type: "UserGroup", accessor_token: g.json.token } },
        });
        await setGroupManaged(first, first.seed.mode.workspace, g.json.token, true);
        await first.close();
        const second = await startEmulator({ port: 0, statePath: file });
        try {
          assert.deepEqual(second.seed.mode, first.seed.mode);
          const b2 = `${second.modeApiUrl}/${second.seed.mode.workspace}`;
          const read = await req<GroupBody>("GET", `${b2}/groups/${g.json.token}`, { auth });
          assert.equal(read.status, 200);
          assert.deepEqual(
            [read.json.name, read.json.member_count, read.json.spaces_count, read.json.managed],
            ["Kept", 1, 1, true],
          );
        } finally {
          await second.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("loads a state file written before groups, collections and permissions existed", async () => {
      const dir = mkdtempSync(join(tmpdir(), "emu-old-state-"));
      try {
        const file = join(dir, "state.json");
        const old = buildSeed({}) as unknown as Record<string, unknown> & {
          userGroups: Record<string, unknown>[];
          spaces: Record<string, unknown>[];
          seed: { mode: Record<string, unknown> };
        };
        for (const k of ["groupMemberships", "dataSources", "permissions", "quirks"]) delete old[k];
        old.userGroups = old.userGroups.map(({ id, token, workspaceId, name }) => ({
          id,
          token,
          workspaceId,
          name,
        }));
        old.spaces = old.spaces.map(({ id, token, workspaceId, name }) => ({ id, token, workspaceId, name }));
        for (const k of ["groups", "collections", "personalCollections", "dataSources"])
          delete old.seed.mode[k];
        writeFileSync(file, JSON.stringify(old));
        const e = await startEmulator({ port: 0, statePath: file });
        try {
          const auth = basic(e.seed.mode.token, e.seed.mode.secret);
          const b = `${e.modeApiUrl}/${e.seed.mode.workspace}`;
          const gs = await listAll<GroupBody>(`${b}/groups`, auth, "groups");
          assert.deepEqual(
            gs.all.map((g) => [g.name, g.state, g.member_count, g.managed]),
            [
              ["Group 1", "active", 0, false],
              ["Group 2", "active", 0, false],
            ],
          );
          const ss = await listAll<{ default_access_level: string }>(`${b}/spaces`, auth, "spaces");
          assert.deepEqual(
            ss.all.map((x) => x.default_access_level),
            ["view", "view", "view"],
          );
          assert.deepEqual(e.seed.mode.dataSources, []);
          assert.equal(e.seed.mode.groups.length, 2);
          const ds = await listAll<unknown>(`${b}/data_sources`, auth, "data_sources");
          assert.equal(ds.all.length, 0);
          const g = await req<GroupBody>("POST", `${b}/groups`, {
            auth,
            body: { user_group: { name: "New" } },
          });
          assert.equal(g.status, 200);
        } finally {
          await e.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
