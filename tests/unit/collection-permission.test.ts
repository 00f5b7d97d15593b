/**
 * CollectionPermission without engine or host, on the emulator (each step a fresh provider run):
 * check (exactly one of username and group; an unknown group passes), create (a new grant, adoption
 * of an existing one with its action set, refusals before any write), diff (the grant removed →
 * replace, the action changed → in-place back, each with its exact line; an unknown group → an
 * unknown diff with no request), update (one PATCH), read and delete (gone is success).
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { setProviderContext } from "../../provider/context";
import type { PropertyBag } from "../../provider/inputs";
import { removeFromWorkspace } from "../../testing/emulator-control";
import { EmulatorRuns } from "../support/emulator-run";

const provider = resourceProvider("CollectionPermission");

describe("CollectionPermission", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let runs: EmulatorRuns;
  let ws: string;
  /** Space 1 (restricted: Group 1 view, ada edit), Space 3 (edit, no grants). */
  let space1: string;
  let space3: string;
  let group1: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    runs = new EmulatorRuns(emu);
    ws = emu.seed.mode.workspace;
    [space1, , space3] = emu.seed.mode.spaces;
    group1 = emu.seed.mode.userGroups[0];
  });
  after(async () => {
    setProviderContext(undefined);
    await emu?.close();
  });
  beforeEach(async () => {
    runs.fresh();
    await runs.takeRequests();
  });

  /** check, then create, in one run; returns the stored outputs. */
  async function created(inputs: PropertyBag): Promise<{ id: string; outs: PropertyBag }> {
    const checked = await provider.check({}, inputs);
    assert.deepEqual(checked.failures ?? [], []);
    const result = await provider.create(checked.inputs);
    return { id: result.id, outs: result.outs as PropertyBag };
  }

  describe("check", () => {
    it("takes exactly one of username and group", async () => {
      const base = { workspace: ws, collection: space3, action: "view" };
      assert.deepEqual((await provider.check({}, { ...base, username: "ada" })).failures, []);
      assert.deepEqual((await provider.check({}, { ...base, group: group1 })).failures, []);
      assert.deepEqual((await provider.check({}, { ...base, username: "ada", group: group1 })).failures, [
        {
          property: "group",
          reason:
            "give either username (a member) or group (a group's token), not both: one permission has one accessor",
        },
      ]);
      assert.deepEqual((await provider.check({}, base)).failures, [
        {
          property: "username",
          reason: "give the member's username or the group's token in group: a permission needs an accessor",
        },
      ]);
      const bad = await provider.check({}, { ...base, username: "ada", action: "manage" });
      assert.deepEqual(bad.failures, [
        { property: "action", reason: 'action must be "view" or "edit", got "manage"' },
      ]);
      assert.deepEqual(await runs.takeRequests(), {}, "check sends nothing");
    });

    it("passes a group that is unknown during preview (a Group not created yet), with no request", async () => {
      const result = await provider.check(
        {},
        { workspace: ws, collection: space3, group: UNKNOWN, action: "view" },
      );
      assert.deepEqual(result.failures, []);
      assert.deepEqual(await runs.takeRequests(), {});
    });
  });

  describe("create", () => {
    it("grants a new permission to a member: one POST, adopted false", async () => {
      const { id, outs } = await created({
        workspace: ws,
        collection: space3,
        username: "Grace",
        action: "view",
      });
      assert.deepEqual(await runs.takeWrites(), { "POST mode.spacePermissions.create": 1 });
      assert.equal(id, outs.permissionToken);
      assert.deepEqual(
        { ...outs, permissionToken: undefined },
        {
          workspace: ws,
          collection: space3,
          username: "Grace",
          action: "view",
          permissionToken: undefined,
          accessorType: "Account",
          accessorToken: runs.token("grace"),
          adopted: false,
        },
      );
      const live = await runs.permissions("spaces", space3);
      assert.deepEqual(
        live.map((p) => [p.accessor_token, p.action]),
        [[runs.token("grace"), "view"]],
      );
      runs.fresh(); // a grant placed by a create of this run is the replacement's: delete leaves it
      await provider.delete(id, outs);
      assert.deepEqual(await runs.permissions("spaces", space3), []);
    });

    it("adopts the grant the member already holds and sets the declared action (one PATCH)", async () => {
      const { outs } = await created({ workspace: ws, collection: space1, username: "ada", action: "view" });
      assert.equal(outs.adopted, true);
      assert.equal(outs.action, "view");
      const writes = await runs.takeWrites();
      assert.equal(writes["PATCH mode.spacePermissions.update"], 1, JSON.stringify(writes));
      const ada = (await runs.permissions("spaces", space1)).find(
        (p) => p.accessor_token === runs.token("ada"),
      );
      assert.equal(ada?.action, "view");
      assert.equal(ada?.token, outs.permissionToken);
      // Put the seed back for the other cases.
      await runs.api("PATCH", `/spaces/${space1}/permissions/${String(outs.permissionToken)}`, {
        permission: { action: "edit" },
      });
    });

    it("grants to a group by token", async () => {
      const { id, outs } = await created({
        workspace: ws,
        collection: space3,
        group: group1,
        action: "edit",
      });
      assert.equal(outs.accessorType, "UserGroup");
      assert.equal(outs.accessorToken, group1);
      runs.fresh();
      await provider.delete(id, outs);
      assert.deepEqual(await runs.permissions("spaces", space3), []);
    });

    it("refuses, before any write, a username that is not a member, a group that does not exist, a collection that does not exist", async () => {
      const base = { workspace: ws, collection: space3, action: "view" };
      await assert.rejects(provider.create({ ...base, username: "nobody" }), {
        message:
          `Cannot grant view on collection "Space 3" of ${ws} to nobody: nobody is not a member of workspace ${ws}. ` +
          "Invite them first (mode.WorkspaceInvite), or remove this resource.",
      });
      await assert.rejects(provider.create({ ...base, group: "g404" }), {
        message:
          `Cannot grant view on collection "Space 3" of ${ws} to group g404: it is not an active group of workspace ${ws}. ` +
          "Pass the token of an existing group (e.g. a mode.Group's token, or getGroups).",
      });
      await assert.rejects(provider.create({ ...base, collection: "nosuchspace", username: "ada" }), {
        message:
          `Cannot grant view on collection nosuchspace of ${ws}: Mode has no such collection (deleted, or a wrong ` +
          "token). Pass the token of an existing one (the read functions list them).",
      });
      assert.deepEqual(await runs.takeWrites(), {});
    });
  });

  describe("diff, update, read, delete", () => {
    let id: string;
    let outs: PropertyBag;
    const news = () => ({ workspace: ws, collection: space3, username: "alan", action: "edit" });

    before(async () => {
      runs.fresh();
      ({ id, outs } = await created(news()));
    });

    it("no drift: no change, and only listings are read", async () => {
      const diff = await provider.diff(id, outs, news());
      assert.equal(diff.changes, false);
      const requests = await runs.takeRequests();
      assert.deepEqual(Object.keys(requests).sort(), ["GET mode.spacePermissions.list"]);
      assert.deepEqual(runs.warnings, []);
    });

    it("the action changed outside Pulumi: an in-place update back, named on one line; update sends one PATCH", async () => {
      await runs.api("PATCH", `/spaces/${space3}/permissions/${String(outs.permissionToken)}`, {
        permission: { action: "view" },
      });
      const diff = await provider.diff(id, outs, news());
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      assert.deepEqual(runs.warnings, [
        `mode:CollectionPermission collection "Space 3" of ${ws}: the grant to alan was changed from edit to view ` +
          "outside Pulumi — up sets it to edit",
      ]);
      await runs.takeRequests();
      outs = (await provider.update(id, outs, news())).outs as PropertyBag;
      assert.deepEqual(await runs.takeWrites(), { "PATCH mode.spacePermissions.update": 1 });
      assert.equal(outs.action, "edit");
    });

    it("a change of action in the program is an in-place update (no line)", async () => {
      runs.fresh();
      const diff = await provider.diff(id, outs, { ...news(), action: "view" });
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      assert.deepEqual(runs.warnings, []);
    });

    it("read (refresh) takes the live action; a grant that is gone is gone", async () => {
      await runs.api("PATCH", `/spaces/${space3}/permissions/${String(outs.permissionToken)}`, {
        permission: { action: "view" },
      });
      const read = await provider.read(id, outs);
      assert.equal(read.id, id);
      assert.equal((read.props as PropertyBag).action, "view");
      assert.deepEqual(read.inputs, { ...news(), action: "view" });
      await runs.api("PATCH", `/spaces/${space3}/permissions/${String(outs.permissionToken)}`, {
        permission: { action: "edit" },
      });
    });

    it("the grant removed outside Pulumi: a replace naming it; an unknown group: an unknown replace with no request", async () => {
      await runs.api("DELETE", `/spaces/${space3}/permissions/${String(outs.permissionToken)}`);
      await runs.takeRequests();
      const diff = await provider.diff(id, outs, news());
      assert.deepEqual(diff.replaces, ["permissionToken"]);
      assert.deepEqual(runs.warnings, [
        `mode:CollectionPermission collection "Space 3" of ${ws}: the edit grant to alan was removed outside Pulumi — up grants it again`,
      ]);
      assert.equal((await provider.read(id, outs)).id, "");

      runs.fresh();
      await runs.takeRequests();
      const unknown = await provider.diff(id, outs, {
        workspace: ws,
        collection: space3,
        group: UNKNOWN,
        action: "edit",
      });
      assert.equal(unknown.changes, true);
      assert.deepEqual(unknown.replaces?.sort(), ["group", "username"]);
      assert.deepEqual(await runs.takeRequests(), {});
    });

    it("the member left the workspace (their grants went with them): the line says up fails until they are back", async () => {
      runs.fresh();
      const again = await created({ workspace: ws, collection: space3, username: "barbara", action: "view" });
      await removeFromWorkspace(emu, ws, { username: "barbara" });
      runs.fresh();
      const diff = await provider.diff(again.id, again.outs, {
        workspace: ws,
        collection: space3,
        username: "barbara",
        action: "view",
      });
      assert.deepEqual(diff.replaces, ["permissionToken"]);
      assert.deepEqual(runs.warnings, [
        `mode:CollectionPermission collection "Space 3" of ${ws}: the view grant to barbara was removed outside Pulumi ` +
          `(barbara is no longer a member of ${ws}) — up fails until the member is back or this resource is removed`,
      ]);
    });

    it("delete revokes the grant (in a later run: one a create of this run placed is left to it); a second delete (gone) succeeds", async () => {
      runs.fresh();
      const { id: grantId, outs: grant } = await created({
        workspace: ws,
        collection: space3,
        group: group1,
        action: "view",
      });
      runs.fresh();
      await runs.takeRequests();
      await provider.delete(grantId, grant);
      assert.deepEqual(await runs.takeWrites(), { "DELETE mode.spacePermissions.delete": 1 });
      runs.fresh();
      await provider.delete(grantId, grant);
      assert.deepEqual(
        (await runs.permissions("spaces", space3)).filter((p) => p.accessor_token === group1),
        [],
      );
    });
  });
});
