/**
 * CollectionAccess without engine or host: the plan's set arithmetic and the default level's rules
 * on plain values, then on the emulator (each step a fresh provider run): check (one accessor per
 * grant, each at most once, unknown groups pass with no request), the preview of a new resource
 * (its line, the maxRemovals refusal), create sending only the needed writes, drift of every kind
 * named on one line and repaired in place with only the needed writes, the removal policy, usernames
 * that are not members, groups that do not exist, and delete revoking the declared grants and putting
 * the default level back (unless it was changed outside Pulumi since).
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { Permission, Space } from "../../provider/client";
import { setProviderContext } from "../../provider/context";
import type { PropertyBag } from "../../provider/inputs";
import { levelChange, planAccess, type Directory } from "../../provider/resources/collection-access";
import type { SpaceBody } from "../../testing/emulator-control";
import { EmulatorRuns } from "../support/emulator-run";

const provider = resourceProvider("CollectionAccess");

function permission(type: string, token: string, action: string): Permission {
  return {
    token: `p-${token}`,
    action,
    accessor_type: type,
    accessor_token: token,
    _links: { self: { href: `/p/${token}` } },
  };
}

function space(level: string): Space {
  return { default_access_level: level, restricted: level === "restricted" } as Space;
}

describe("CollectionAccess", function () {
  this.timeout(60_000);

  describe("the plan (plain values)", () => {
    const directory: Directory = {
      members: new Map([
        ["ada", "u-ada"],
        ["grace", "u-grace"],
      ]),
      groups: new Map([
        ["g1", "Analysts"],
        ["g2", "Finance"],
      ]),
    };

    it("grants the missing, changes actions, revokes the undeclared, keeps the rest", () => {
      const live = [
        permission("Account", "u-ada", "edit"),
        permission("UserGroup", "g1", "view"),
        permission("UserGroup", "g2", "edit"),
      ];
      const plan = planAccess(
        {
          grants: [
            { username: "ADA", action: "view" },
            { group: "g1", action: "view" },
            { username: "grace", action: "edit" },
          ],
        },
        live,
        directory,
      );
      assert.deepEqual(plan.grant, [{ accessor: { type: "Account", token: "u-grace" }, action: "edit" }]);
      assert.deepEqual(
        plan.change.map((c) => [c.permission.accessor_token, c.action]),
        [["u-ada", "view"]],
      );
      assert.deepEqual(
        plan.keep.map((p) => p.accessor_token),
        ["g1"],
      );
      assert.deepEqual(
        plan.remove.map((p) => p.accessor_token),
        ["g2"],
      );
      assert.deepEqual([plan.unmanaged, plan.missing, plan.unknownGroups], [[], [], []]);
    });

    it("with unmanaged: report keeps the undeclared as unmanaged; names usernames that are not members and groups that do not exist", () => {
      const plan = planAccess(
        {
          grants: [
            { username: "bob", action: "view" },
            { username: "Bob", action: "view" },
            { group: "g9", action: "edit" },
          ],
          unmanaged: "report",
        },
        [permission("Account", "u-ada", "edit")],
        directory,
      );
      assert.deepEqual(plan.remove, []);
      assert.deepEqual(
        plan.unmanaged.map((p) => p.accessor_token),
        ["u-ada"],
      );
      assert.deepEqual(plan.missing, ["bob"]);
      assert.deepEqual(plan.unknownGroups, ["g9"]);
      assert.deepEqual(plan.grant, []);
    });

    it("the default level: the declared one when it differs; dropped from the program, the level found, while it is still the stack's", () => {
      assert.deepEqual(levelChange(undefined, { defaultAccess: "restricted" }, space("view")), {
        from: "view",
        to: "restricted",
        handBack: false,
      });
      assert.equal(levelChange(undefined, { defaultAccess: "view" }, space("view")), undefined);
      assert.equal(levelChange(undefined, {}, space("edit")), undefined, "absent: left alone");
      const olds = { defaultAccess: "restricted" as const, previousDefaultAccess: "view" as const };
      assert.deepEqual(levelChange(olds, {}, space("restricted")), {
        from: "restricted",
        to: "view",
        handBack: true,
      });
      assert.equal(levelChange(olds, {}, space("edit")), undefined, "changed outside since: left alone");
    });
  });

  describe("on the emulator", () => {
    let emu: RunningEmulator;
    let runs: EmulatorRuns;
    let ws: string;
    /** Space 1: restricted, Group 1 view, ada edit. Space 2: view, Group 2 edit. Space 3: edit, none. */
    let space1: string;
    let space2: string;
    let space3: string;
    let group1: string;
    let group2: string;

    before(async () => {
      emu = await startEmulator({ port: 0 });
      runs = new EmulatorRuns(emu);
      ws = emu.seed.mode.workspace;
      [space1, space2, space3] = emu.seed.mode.spaces;
      [group1, group2] = emu.seed.mode.userGroups;
    });
    after(async () => {
      setProviderContext(undefined);
      await emu?.close();
    });
    beforeEach(async () => {
      runs.fresh();
      await runs.takeRequests();
    });

    /** The collection's grants as sorted `<name or token>:<action>`, and its level, read outside Pulumi. */
    async function access(collection: string): Promise<{ grants: string[]; level: string }> {
      const names = new Map<string, string>([
        ...emu.seed.mode.users.map((u) => [u.token, u.username] as [string, string]),
        ...emu.seed.mode.groups.map((g) => [g.token, g.name] as [string, string]),
      ]);
      const grants = (await runs.permissions("spaces", collection))
        .map((p) => `${names.get(p.accessor_token) ?? p.accessor_token}:${p.action}`)
        .sort();
      const level = (await runs.api<SpaceBody>("GET", `/spaces/${collection}`)).default_access_level;
      return { grants, level };
    }

    async function checked(inputs: PropertyBag, olds: PropertyBag = {}) {
      return provider.check(olds, inputs);
    }

    describe("check", () => {
      const base = () => ({ workspace: ws, collection: space3 });

      it("each grant names exactly one of username and group, and each member or group at most once", async () => {
        const failures = async (grants: unknown[]) => (await checked({ ...base(), grants })).failures;
        assert.deepEqual(await failures([{ username: "ada", group: group1, action: "view" }]), [
          {
            property: "grants",
            reason:
              "grants[0] gives both username and group: give one (a member, or a group's token) per grant",
          },
        ]);
        assert.deepEqual(await failures([{ username: "ada", action: "view" }, { action: "edit" }]), [
          {
            property: "grants",
            reason: "grants[1] gives neither username nor group: say who the grant is for",
          },
        ]);
        assert.deepEqual(
          await failures([
            { username: "ada", action: "view" },
            { group: group1, action: "view" },
            { username: "ADA", action: "edit" },
          ]),
          [
            {
              property: "grants",
              reason:
                "grants[0] and grants[2] both grant to ADA: a member or group holds one permission per collection, declare it once",
            },
          ],
        );
        assert.deepEqual(await failures([{ username: "ada", action: "own" }]), [
          {
            property: "grants",
            reason: 'grants[0].action must be "view" or "edit", got "own"',
          },
        ]);
        assert.deepEqual(await runs.takeRequests(), {}, "check sends nothing for these");
      });

      it("a group unknown during preview passes check, with no request; the known grants are still checked", async () => {
        const grants = [
          { group: UNKNOWN, action: "view" },
          { username: "ada", action: "edit" },
        ];
        assert.deepEqual((await checked({ ...base(), grants })).failures, []);
        assert.deepEqual(await runs.takeRequests(), {});
      });
    });

    describe("a collection restricted to a group and a person", () => {
      let id: string;
      let outs: PropertyBag;
      const news = (more: PropertyBag = {}) => ({
        workspace: ws,
        collection: space2,
        defaultAccess: "restricted",
        grants: [
          { group: group1, action: "view" },
          { username: "grace", action: "edit" },
        ],
        ...more,
      });

      it("the preview of the new resource names what up changes, and refuses more revokes than maxRemovals", async () => {
        const preview = await checked(news());
        assert.deepEqual(preview.failures, []);
        const line =
          `mode:CollectionAccess collection "Space 2" of ${ws}: 3 grants differ from the program — up grants ` +
          'group "Group 1" (view), grace (edit); revokes group "Group 2" (edit); the default level is view, the ' +
          "program says restricted — up sets restricted";
        assert.deepEqual(runs.warnings, [line]);
        const refused = await checked(news({ maxRemovals: 0 }));
        assert.deepEqual(refused.failures, [
          {
            property: "maxRemovals",
            reason:
              `collection "Space 2" of ${ws}: up would remove 1 grant, more than maxRemovals (0): group "Group 2" ` +
              `(edit). Nothing was changed in collection "Space 2" of ${ws}. To proceed: raise maxRemovals to 1 for ` +
              'this change, or set unmanaged: "report" to keep what the program does not declare without removing ' +
              "it, or declare the grants to keep.",
          },
        ]);
        assert.deepEqual(await runs.takeWrites(), {});
      });

      it("create sends only the needed writes and reports the grants, the level found", async () => {
        const result = await provider.create((await checked(news())).inputs);
        ({ id, outs } = { id: result.id, outs: result.outs as PropertyBag });
        assert.equal(id, `${ws}/${space2}`);
        assert.deepEqual(await runs.takeWrites(), {
          "POST mode.spacePermissions.create": 2,
          "DELETE mode.spacePermissions.delete": 1,
          "PATCH mode.spaces.update": 1,
        });
        assert.deepEqual(outs.resolvedGrants, [
          { accessorType: "Account", accessorToken: runs.token("grace"), name: "grace", action: "edit" },
          { accessorType: "UserGroup", accessorToken: group1, name: "Group 1", action: "view" },
        ]);
        assert.equal(outs.previousDefaultAccess, "view");
        assert.deepEqual(outs.missing, []);
        assert.deepEqual(outs.unmanaged, []);
        assert.deepEqual(await access(space2), {
          grants: ["Group 1:view", "grace:edit"],
          level: "restricted",
        });
        runs.fresh();
        assert.equal((await provider.diff(id, outs, news())).changes, false);
        assert.deepEqual(runs.warnings, []);
      });

      it("drift of every kind is one in-place update named on one line; update sends only the needed writes", async () => {
        const grants = await runs.permissions("spaces", space2);
        const grace = grants.find((p) => p.accessor_token === runs.token("grace"));
        const group = grants.find((p) => p.accessor_token === group1);
        await runs.api("DELETE", `/spaces/${space2}/permissions/${String(group?.token)}`); // removed
        await runs.api("PATCH", `/spaces/${space2}/permissions/${String(grace?.token)}`, {
          permission: { action: "view" }, // changed
        });
        await runs.api("POST", `/spaces/${space2}/permissions`, {
          permission: { action: "edit", accessor_type: "Account", accessor_token: runs.token("alan") }, // added
        });
        await runs.api("PATCH", `/spaces/${space2}`, { space: { default_access_level: "edit" } }); // opened
        await runs.takeRequests();
        const diff = await provider.diff(id, outs, news());
        assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
        assert.deepEqual(runs.warnings, [
          `mode:CollectionAccess collection "Space 2" of ${ws}: 3 grants differ from the program — up grants ` +
            'group "Group 1" (view); sets grace to edit (view now); revokes alan (edit); the default level is ' +
            "edit, the program says restricted — up sets restricted",
        ]);
        const reads = Object.keys(await runs.takeRequests()).sort();
        assert.deepEqual(reads, [
          "GET mode.groups.list",
          "GET mode.memberships.list",
          "GET mode.spacePermissions.list",
          "GET mode.spaces.list",
        ]);
        outs = (await provider.update(id, outs, news())).outs as PropertyBag;
        assert.deepEqual(await runs.takeWrites(), {
          "POST mode.spacePermissions.create": 1,
          "PATCH mode.spacePermissions.update": 1,
          "DELETE mode.spacePermissions.delete": 1,
          "PATCH mode.spaces.update": 1,
        });
        assert.equal(outs.previousDefaultAccess, "view", "the level the stack found stays what it found");
        assert.deepEqual(await access(space2), {
          grants: ["Group 1:view", "grace:edit"],
          level: "restricted",
        });
        runs.fresh();
        assert.equal((await provider.diff(id, outs, news())).changes, false);
      });

      it("unmanaged: report keeps an undeclared grant, names it, lists it; a new one is an update that writes nothing", async () => {
        await runs.api("POST", `/spaces/${space2}/permissions`, {
          permission: { action: "view", accessor_type: "Account", accessor_token: runs.token("edsger") },
        });
        const report = news({ unmanaged: "report" });
        const diff = await provider.diff(id, outs, report);
        assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
        const line =
          `mode:CollectionAccess collection "Space 2" of ${ws}: 1 grant is not in the program — kept, ` +
          "unmanaged is report: edsger (view)";
        assert.deepEqual(runs.warnings, [line]);
        await runs.takeRequests();
        outs = (await provider.update(id, outs, report)).outs as PropertyBag;
        assert.deepEqual(await runs.takeWrites(), {});
        assert.deepEqual(outs.unmanaged, [
          { accessorType: "Account", accessorToken: runs.token("edsger"), name: "edsger", action: "view" },
        ]);
        assert.equal(outs.unmanagedMode, "report");
        runs.fresh();
        assert.equal((await provider.diff(id, outs, report)).changes, false);
        assert.deepEqual(runs.warnings, [line], "shown again, without a change");
      });

      it("maxRemovals fails the preview and the update before anything is sent", async () => {
        const limited = news({ maxRemovals: 0 });
        await assert.rejects(provider.diff(id, outs, limited), {
          message: /up would remove 1 grant, more than maxRemovals \(0\): edsger \(view\)/,
        });
        await assert.rejects(provider.update(id, outs, limited), { message: /more than maxRemovals/ });
        assert.deepEqual(await runs.takeWrites(), {});
        outs = (await provider.update(id, outs, news())).outs as PropertyBag; // remove mode: edsger goes
        assert.deepEqual(await runs.takeWrites(), { "DELETE mode.spacePermissions.delete": 1 });
      });

      it("a username that is not a member is reported (missing), never an error; a group that does not exist fails before any write", async () => {
        const withBob = news({
          grants: [...news().grants, { username: "bob", action: "view" }],
        });
        const diff = await provider.diff(id, outs, withBob);
        assert.equal(diff.changes, true, "grants changed in the program");
        assert.deepEqual(runs.warnings, [
          `mode:CollectionAccess collection "Space 2" of ${ws}: bob is not a member of ${ws}, so not granted — ` +
            "invite them with mode.WorkspaceInvite",
        ]);
        const updated = (await provider.update(id, outs, withBob)).outs as PropertyBag;
        assert.deepEqual(updated.missing, ["bob"]);
        assert.deepEqual(await runs.takeWrites(), {});
        const withGhost = news({ grants: [...news().grants, { group: "g404", action: "view" }] });
        await assert.rejects(provider.update(id, outs, withGhost), {
          message:
            `collection "Space 2" of ${ws}: grants names group g404, not an active group of ${ws}. Nothing was ` +
            "changed. Pass the token of an existing group (a mode.Group's token, or getGroups).",
        });
        assert.deepEqual(await runs.takeWrites(), {});
      });

      it("a group unknown during preview makes an unknown diff with no request", async () => {
        const unknown = news({ grants: [{ group: UNKNOWN, action: "view" }] });
        const diff = await provider.diff(id, outs, unknown);
        assert.equal(diff.changes, true);
        assert.deepEqual(diff.replaces, []);
        assert.deepEqual(await runs.takeRequests(), {});
      });

      it("delete revokes the declared grants (others stay) and puts the default level back", async () => {
        await runs.api("POST", `/spaces/${space2}/permissions`, {
          permission: { action: "view", accessor_type: "Account", accessor_token: runs.token("barbara") },
        });
        runs.fresh();
        await runs.takeRequests();
        await provider.delete(id, outs);
        assert.deepEqual(await runs.takeWrites(), {
          "DELETE mode.spacePermissions.delete": 2,
          "PATCH mode.spaces.update": 1,
        });
        assert.deepEqual(await access(space2), { grants: ["barbara:view"], level: "view" });
      });
    });

    describe("the default level", () => {
      it("absent: left alone by create, update and delete; previousDefaultAccess is null", async () => {
        const news = { workspace: ws, collection: space3, grants: [{ username: "ada", action: "view" }] };
        const { id, outs } = await provider.create((await checked(news)).inputs);
        assert.equal((outs as PropertyBag).previousDefaultAccess, null);
        assert.deepEqual(await runs.takeWrites(), { "POST mode.spacePermissions.create": 1 });
        await runs.api("PATCH", `/spaces/${space3}`, { space: { default_access_level: "view" } });
        runs.fresh();
        assert.equal((await provider.diff(id, outs, news)).changes, false);
        await runs.takeRequests();
        await provider.delete(id, outs);
        assert.deepEqual(await runs.takeWrites(), { "DELETE mode.spacePermissions.delete": 1 });
        assert.deepEqual(await access(space3), { grants: [], level: "view" });
      });

      it("dropped from the program: the update puts back the level the stack found", async () => {
        const declared = { workspace: ws, collection: space3, defaultAccess: "restricted", grants: [] };
        const created = await provider.create((await checked(declared)).inputs);
        const outs = created.outs as PropertyBag;
        assert.equal(outs.previousDefaultAccess, "view");
        runs.fresh();
        const dropped = { workspace: ws, collection: space3, grants: [] };
        const diff = await provider.diff(created.id, outs, dropped);
        assert.equal(diff.changes, true);
        assert.deepEqual(runs.warnings, [
          `mode:CollectionAccess collection "Space 3" of ${ws}: the program no longer declares the default level ` +
            "(restricted) — up puts back view, the level the stack found",
        ]);
        await runs.takeRequests();
        const updated = (await provider.update(created.id, outs, dropped)).outs as PropertyBag;
        assert.deepEqual(await runs.takeWrites(), { "PATCH mode.spaces.update": 1 });
        assert.equal(updated.previousDefaultAccess, null);
        assert.equal(updated.defaultAccess, undefined);
        assert.equal((await access(space3)).level, "view");
      });

      it("changed outside Pulumi since the stack set it: delete leaves it, and says so", async () => {
        const declared = { workspace: ws, collection: space1, defaultAccess: "view", grants: [] };
        // Space 1 is restricted with two grants: the stack opens it and revokes them.
        const created = await provider.create((await checked(declared)).inputs);
        const outs = created.outs as PropertyBag;
        assert.equal(outs.previousDefaultAccess, "restricted");
        await runs.api("PATCH", `/spaces/${space1}`, { space: { default_access_level: "edit" } });
        runs.fresh();
        await runs.takeRequests();
        await provider.delete(created.id, outs);
        assert.deepEqual(await runs.takeWrites(), {});
        assert.deepEqual(runs.warnings, [
          `mode:CollectionAccess collection "Space 1" of ${ws}: the default level is edit, changed outside Pulumi ` +
            "since the stack set view — delete leaves it (the stack found restricted)",
        ]);
        assert.equal((await access(space1)).level, "edit");
      });

      it("a collection that does not exist fails the preview of a new resource, saying what to do", async () => {
        const result = await checked({ workspace: ws, collection: "nosuchspace", grants: [] });
        assert.deepEqual(result.failures, [
          {
            property: "collection",
            reason:
              `Collection nosuchspace of ${ws} does not exist (deleted, or a wrong token). Pass the token of an ` +
              "existing collection (a mode.Collection's token, or getCollections), or remove this resource.",
          },
        ]);
      });
    });

    it("group grants resolve by token; a second run of the same program is clean", async () => {
      const news = {
        workspace: ws,
        collection: space3,
        grants: [
          { group: group2, action: "edit" },
          { group: group1, action: "view" },
        ],
      };
      const created = await provider.create((await checked(news)).inputs);
      runs.fresh();
      assert.equal((await provider.diff(created.id, created.outs, news)).changes, false);
      runs.fresh();
      await provider.delete(created.id, created.outs);
      assert.deepEqual((await access(space3)).grants, []);
    });
  });
});
