/**
 * The collection layers of Mode's access model (provider/collections/: groups, group memberships,
 * collections, collection and data-source permissions, data sources, accessor names) against the
 * emulator through the real client, each test in a fresh provider context (a fresh run): adoption by
 * name and of lost responses, Mode's delete quirks, managed-group refusals, the data-source 500
 * fallback, gone is success. A few rules that the emulator cannot provoke run on fakes.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ApiError, ModeClient, type Permission, type Space } from "../../provider/client";
import { ProviderContext, setProviderContext } from "../../provider/context";
import {
  describeAccessor,
  groupNamesByToken,
  memberAccessor,
  usernamesByToken,
} from "../../provider/collections/accessors";
import {
  createGroup,
  deleteGroup,
  findGroup,
  findGroupByName,
  groups,
  markGroupPlaced,
  readGroup,
  renameGroup,
} from "../../provider/collections/groups";
import {
  addGroupMember,
  findGroupMember,
  groupMemberships,
  removeGroupMember,
} from "../../provider/collections/group-memberships";
import {
  createCollection,
  deleteCollection,
  findCollection,
  findCollectionsByName,
  readCollection,
  updateCollection,
} from "../../provider/collections/collections";
import {
  collectionPermissions,
  findCollectionPermission,
  grantCollectionPermission,
  revokeCollectionPermission,
  setCollectionPermissionAction,
} from "../../provider/collections/collection-permissions";
import {
  dataSourcePermissions,
  grantDataSourcePermission,
  readDataSourcePermission,
  revokeDataSourcePermission,
} from "../../provider/collections/data-source-permissions";
import { dataSources, findDataSource } from "../../provider/collections/data-sources";
import {
  basic,
  control,
  deleteGroupOutside,
  listAll,
  req,
  setDataSourcePermissionGet500,
  setGroupManaged,
  type SpaceBody,
} from "../../testing/emulator-control";
import { fakeContext } from "../support/apis";
import { rejection } from "../support/client-helpers";

describe("access-model collection layers against the emulator", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let ws: string;
  let warnings: string[];

  /** A fresh run: a new provider context (new listings) on a client with fast, few retries. */
  function freshRun(): void {
    const client = new ModeClient({
      apiUrl: emu.modeApiUrl,
      token: emu.seed.mode.token,
      secret: emu.seed.mode.secret,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 },
    });
    warnings = [];
    setProviderContext(new ProviderContext({ warn: (m) => warnings.push(m), modeApi: () => client }));
  }

  async function routeCounts(): Promise<Record<string, number>> {
    return (await control<{ byRoute: Record<string, number> }>(emu, "GET", "/requests")).json.byRoute;
  }

  async function faults(routes: Record<string, unknown>): Promise<void> {
    const res = await control(emu, "PUT", "/faults", { routes });
    assert.equal(res.status, 200, res.text);
  }

  /** Every active collection of the workspace named `name`, read outside the provider. */
  async function spacesNamed(name: string): Promise<SpaceBody[]> {
    const auth = basic(emu.seed.mode.token, emu.seed.mode.secret);
    const { all } = await listAll<SpaceBody>(`${emu.modeApiUrl}/${ws}/spaces?per_page=1000`, auth, "spaces");
    return all.filter((s) => s.name === name);
  }

  before(async () => {
    emu = await startEmulator({
      port: 0,
      modePageSize: 2,
      seed: { users: 6, spaces: 3, userGroups: 2, dataSources: 3 },
    });
    ws = emu.seed.mode.workspace;
  });
  after(async () => {
    setProviderContext(undefined);
    await emu?.close();
  });
  beforeEach(async () => {
    await faults({});
    await control(emu, "DELETE", "/requests");
    freshRun();
  });

  describe("groups", () => {
    it("creates a group, finds it by token and by name in any case, and adopts it on a second create", async () => {
      const made = await createGroup(ws, "Analysts");
      assert.equal(made.adopted, false);
      assert.equal(made.object.name, "Analysts");
      freshRun();
      assert.equal((await findGroup(ws, made.object.token))?.name, "Analysts");
      assert.equal((await findGroupByName(ws, "aNaLySTs"))?.token, made.object.token);
      const again = await createGroup(ws, "ANALYSTS");
      assert.deepEqual([again.adopted, again.object.token], [true, made.object.token]);
      assert.equal(groups(ws).wasPlaced(made.object.token), true);
    });

    it("a lost create response never yields two groups: the retry's 400 adopts the group", async () => {
      await faults({ "mode.groups.create": { dropAfterCommit: 1, times: 1 } });
      const made = await createGroup(ws, "Lost and found");
      assert.equal(made.adopted, true);
      freshRun();
      const named = (await groups(ws).all()).filter((g) => g.name === "Lost and found");
      assert.deepEqual(
        named.map((g) => g.token),
        [made.object.token],
      );
    });

    it("renames a group; a name another group has fails naming it; a managed group is refused before sending", async () => {
      const a = (await createGroup(ws, "Rename me")).object;
      const b = (await createGroup(ws, "Taken name")).object;
      assert.equal((await renameGroup(ws, a.token, "Renamed")).name, "Renamed");
      const taken = await rejection(renameGroup(ws, a.token, "taken NAME"));
      assert.match(String(taken), new RegExp(`another active group \\(${b.token}\\) already has that name`));
      await setGroupManaged(emu, ws, b.token, true);
      freshRun();
      await control(emu, "DELETE", "/requests");
      const managed = await rejection(renameGroup(ws, b.token, "Other"));
      assert.match(
        String(managed),
        /Not going to rename group "Taken name" .* managed by your identity provider \(SCIM\)/,
      );
      const deleting = await rejection(deleteGroup(ws, b.token));
      assert.match(String(deleting), /Not going to delete group "Taken name".*retainOnDelete/);
      const counts = await routeCounts();
      assert.equal(counts["PATCH mode.groups.update"], undefined);
      assert.equal(counts["DELETE mode.groups.delete"], undefined);
    });

    it("deletes a group (read back: gone); already gone is success; soft-deleted groups are not listed", async () => {
      const g = (await createGroup(ws, "Short lived")).object;
      freshRun();
      await deleteGroup(ws, g.token);
      assert.equal(await readGroup(ws, g.token), undefined);
      assert.equal(await findGroup(ws, g.token), undefined);
      await deleteGroup(ws, g.token);
      await deleteGroup(ws, "nosuchgroup");
      const counts = await routeCounts();
      assert.equal(counts["DELETE mode.groups.delete"], 1);
    });

    it("Mode's quirk: a group named like an earlier deleted one stays active; the error says to rename it first", async () => {
      const first = (await createGroup(ws, "Phoenix")).object;
      freshRun();
      await deleteGroup(ws, first.token);
      const second = (await createGroup(ws, "Phoenix")).object;
      freshRun();
      const err = await rejection(deleteGroup(ws, second.token));
      assert.match(String(err), /group "Phoenix" .* still active/);
      assert.match(String(err), /Rename the group first/);
      assert.match(String(err), /retainOnDelete/);
      await renameGroup(ws, second.token, "Phoenix (retired)");
      await deleteGroup(ws, second.token);
      assert.equal(await readGroup(ws, second.token), undefined);
    });

    it("leaves a group a create of this run placed (the replacement's now)", async () => {
      const g = (await createGroup(ws, "Kept by replacement")).object;
      freshRun();
      markGroupPlaced(ws, g.token);
      await deleteGroup(ws, g.token);
      assert.equal((await readGroup(ws, g.token))?.state, "active");
    });
  });

  describe("group memberships", () => {
    it("adds (adopting a second add and a lost response), finds by member token, removes (gone is success)", async () => {
      const g = (await createGroup(ws, "Members")).object;
      const at = { workspace: ws, group: g.token };
      const [ada, alan] = emu.seed.mode.users;
      const added = await addGroupMember(at, ada.token);
      assert.equal(added.adopted, false);
      freshRun();
      const again = await addGroupMember(at, ada.token);
      assert.deepEqual([again.adopted, again.object.token], [true, added.object.token]);
      await faults({ "mode.groupMemberships.create": { dropAfterCommit: 1, times: 1 } });
      const lost = await addGroupMember(at, alan.token);
      assert.equal(lost.adopted, true);
      freshRun();
      assert.equal((await groupMemberships(at).all()).length, 2);
      assert.equal((await findGroupMember(at, alan.token))?.token, lost.object.token);
      await removeGroupMember(at, added.object.token);
      await removeGroupMember(at, added.object.token);
      freshRun();
      assert.equal(await findGroupMember(at, ada.token), undefined);
    });

    it("a group known to be managed is refused before sending; Mode's 400 after a stale listing says the same", async () => {
      const g = (await createGroup(ws, "Directory synced")).object;
      const at = { workspace: ws, group: g.token };
      const [ada, alan] = emu.seed.mode.users;
      const member = (await addGroupMember(at, ada.token)).object;
      await setGroupManaged(emu, ws, g.token, true);
      freshRun();
      await control(emu, "DELETE", "/requests");
      const add = await rejection(addGroupMember(at, alan.token));
      assert.match(String(add), /Not going to add members to group "Directory synced" .*identity provider/);
      const remove = await rejection(removeGroupMember(at, member.token));
      assert.match(String(remove), /Not going to remove members from group "Directory synced"/);
      const counts = await routeCounts();
      assert.equal(counts["POST mode.groupMemberships.create"], undefined);
      assert.equal(counts["DELETE mode.groupMemberships.delete"], undefined);
      // A listing read before the group became managed: Mode's refusal becomes the same error.
      await setGroupManaged(emu, ws, g.token, false);
      freshRun();
      await groups(ws).all();
      await setGroupManaged(emu, ws, g.token, true);
      const stale = await rejection(addGroupMember(at, alan.token));
      assert.match(String(stale), /Not going to add members to group "Directory synced"/);
      assert.ok(stale instanceof Error && stale.cause instanceof ApiError && stale.cause.status === 400);
    });

    it("names members and groups from this run's listings", async () => {
      const g = (await createGroup(ws, "Named")).object;
      freshRun();
      const ada = emu.seed.mode.users[0];
      assert.equal((await usernamesByToken(ws)).get(ada.token), ada.username);
      assert.equal((await groupNamesByToken(ws)).get(g.token), "Named");
      assert.deepEqual(await memberAccessor(ws, ada.username.toUpperCase()), {
        type: "Account",
        token: ada.token,
      });
      assert.equal(await memberAccessor(ws, "nobody-here"), undefined);
      assert.equal(await describeAccessor(ws, { type: "Account", token: ada.token }), ada.username);
      assert.equal(await describeAccessor(ws, { type: "UserGroup", token: g.token }), 'group "Named"');
      assert.equal(await describeAccessor(ws, { type: "UserGroup", token: "gone" }), "group gone");
      const counts = await routeCounts();
      assert.equal(counts["GET mode.memberships.list"], Math.ceil((emu.seed.mode.users.length + 1) / 2));
    });
  });

  describe("collections", () => {
    it("creates a collection (no marker left), adopts one of the same name on a second create and sets the declared fields", async () => {
      const made = await createCollection(ws, {
        name: "Finance",
        description: "Money",
        defaultAccessLevel: "restricted",
      });
      assert.equal(made.adopted, false);
      assert.equal(made.object.description, "Money");
      assert.equal(made.object.default_access_level, "restricted");
      freshRun();
      assert.equal((await findCollection(ws, made.object.token))?.description, "Money");
      const again = await createCollection(ws, {
        name: "Finance",
        description: "Budgets",
        defaultAccessLevel: "view",
      });
      assert.deepEqual([again.adopted, again.object.token], [true, made.object.token]);
      assert.equal(again.object.description, "Budgets");
      assert.equal(again.object.restricted, false);
      const plain = await createCollection(ws, { name: "Plain" });
      assert.equal(plain.object.description, "");
      assert.equal((await spacesNamed("Plain")).length, 1);
    });

    it("a lost create response never yields two collections: copies carrying the create's marker are deleted", async () => {
      await faults({ "mode.spaces.create": { dropAfterCommit: 1, times: 1 } });
      const made = await createCollection(ws, { name: "Retried once", description: "d" });
      assert.equal(made.adopted, false);
      const left = await spacesNamed("Retried once");
      assert.deepEqual(
        left.map((s) => [s.token, s.description]),
        [[made.object.token, "d"]],
      );
      const once = await routeCounts();
      assert.deepEqual([once["POST mode.spaces.create"], once["DELETE mode.spaces.delete"]], [2, 1]);
      // Every attempt lost (3 with this client): the create fails, yet the collection is found and kept once.
      await faults({ "mode.spaces.create": { dropAfterCommit: 1, times: 3 } });
      await control(emu, "DELETE", "/requests");
      freshRun();
      const found = await createCollection(ws, { name: "Never answered" });
      const only = await spacesNamed("Never answered");
      assert.deepEqual(
        only.map((s) => [s.token, s.description]),
        [[found.object.token, ""]],
      );
      const never = await routeCounts();
      assert.deepEqual([never["POST mode.spaces.create"], never["DELETE mode.spaces.delete"]], [3, 2]);
    });

    it("copies an interrupted create left are cleaned up by the next create of that name", async () => {
      const auth = basic(emu.seed.mode.token, emu.seed.mode.secret);
      const marker = "[pulumi-mode create 0123456789ab]";
      const tokens: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await req<SpaceBody>("POST", `${emu.modeApiUrl}/${ws}/spaces`, {
          auth,
          body: { space: { name: "Interrupted", description: `About\n\n${marker}` } },
        });
        tokens.push(res.json.token);
      }
      const adopted = await createCollection(ws, { name: "Interrupted" });
      assert.deepEqual(
        [adopted.adopted, adopted.object.token, adopted.object.description],
        [true, tokens[0], "About"],
      );
      assert.deepEqual(
        (await spacesNamed("Interrupted")).map((s) => s.token),
        [tokens[0]],
      );
    });

    it("refuses to adopt when several collections have the name", async () => {
      await createCollection(ws, { name: "Twice" });
      const auth = basic(emu.seed.mode.token, emu.seed.mode.secret);
      await req("POST", `${emu.modeApiUrl}/${ws}/spaces`, {
        auth,
        body: { space: { name: "Twice", description: "" } },
      });
      freshRun();
      assert.equal((await findCollectionsByName(ws, "Twice")).length, 2);
      const err = await rejection(createCollection(ws, { name: "Twice" }));
      assert.match(String(err), /2 collections of .* are named "Twice"/);
    });

    it("deletes a collection; Mode's 403 afterwards is gone (checked against the list), for read and delete alike", async () => {
      const s = (await createCollection(ws, { name: "Doomed" })).object;
      freshRun();
      await deleteCollection(ws, s.token);
      freshRun();
      await control(emu, "DELETE", "/requests");
      assert.equal(await readCollection(ws, s.token), undefined);
      await deleteCollection(ws, s.token);
      const counts = await routeCounts();
      assert.equal(counts["GET mode.spaces.get"], 1);
      assert.equal(counts["DELETE mode.spaces.delete"], 1);
      const err = await rejection(updateCollection(ws, s.token, { name: "Back" }));
      assert.match(String(err), /no longer exists \(it was deleted outside Pulumi\)/);
      assert.equal(await findCollection(ws, s.token), undefined);
    });

    it("updates name, description and default level", async () => {
      const s = (await createCollection(ws, { name: "Before" })).object;
      const updated = await updateCollection(ws, s.token, { name: "After", defaultAccessLevel: "edit" });
      assert.deepEqual([updated.name, updated.default_access_level], ["After", "edit"]);
      assert.equal((await findCollection(ws, s.token))?.name, "After");
    });
  });

  describe("permissions", () => {
    it("grants, adopts a second grant to the same accessor (setting the declared action), revokes (gone is success)", async () => {
      const s = (await createCollection(ws, { name: "Shared", defaultAccessLevel: "restricted" })).object;
      const at = { workspace: ws, collection: s.token };
      const ada = { type: "Account", token: emu.seed.mode.users[0].token } as const;
      const group = { type: "UserGroup", token: emu.seed.mode.groups[0].token } as const;
      const granted = await grantCollectionPermission(at, ada, "view");
      assert.deepEqual([granted.adopted, granted.object.action], [false, "view"]);
      freshRun();
      const again = await grantCollectionPermission(at, ada, "edit");
      assert.deepEqual(
        [again.adopted, again.object.token, again.object.action],
        [true, granted.object.token, "edit"],
      );
      await faults({ "mode.spacePermissions.create": { dropAfterCommit: 1, times: 1 } });
      const lost = await grantCollectionPermission(at, group, "view");
      assert.equal(lost.adopted, true);
      freshRun();
      assert.equal((await collectionPermissions(at).all()).length, 2);
      assert.equal((await findCollectionPermission(at, group))?.token, lost.object.token);
      assert.equal((await setCollectionPermissionAction(at, lost.object.token, "edit")).action, "edit");
      await revokeCollectionPermission(at, granted.object.token);
      await revokeCollectionPermission(at, granted.object.token);
      freshRun();
      assert.equal(await findCollectionPermission(at, ada), undefined);
      // The collection gone: its grants read as none, and a revoke is success.
      await deleteCollection(ws, s.token);
      freshRun();
      assert.deepEqual(await collectionPermissions(at).all(), []);
      await revokeCollectionPermission(at, lost.object.token);
    });

    it("a group's deletion takes its grants with it", async () => {
      const g = (await createGroup(ws, "Temporary readers")).object;
      const at = { workspace: ws, collection: emu.seed.mode.spaces[2] };
      await grantCollectionPermission(at, { type: "UserGroup", token: g.token }, "view");
      await deleteGroupOutside(emu, ws, g.token);
      freshRun();
      assert.equal(await findCollectionPermission(at, { type: "UserGroup", token: g.token }), undefined);
    });

    it("data sources: listed and found; a permission's GET answering 500 falls back to the list", async () => {
      const all = await dataSources(ws).all();
      assert.deepEqual(
        all.map((d) => d.token),
        emu.seed.mode.dataSources.map((d) => d.token),
      );
      assert.equal((await findDataSource(ws, all[0].token))?.name, "Warehouse");
      const at = { workspace: ws, dataSource: all[2].token };
      const alan = { type: "Account", token: emu.seed.mode.users[1].token } as const;
      const granted: Permission = (await grantDataSourcePermission(at, alan, "query")).object;
      await setDataSourcePermissionGet500(emu, true, granted.token);
      try {
        freshRun();
        await control(emu, "DELETE", "/requests");
        assert.equal((await readDataSourcePermission(at, granted.token))?.action, "query");
        const counts = await routeCounts();
        // The known 500 is not retried (the other 5xx are): one GET, then the list.
        assert.equal(counts["GET mode.dataSourcePermissions.get"], 1);
        assert.equal(counts["GET mode.dataSourcePermissions.list"], 1);
        await setDataSourcePermissionGet500(emu, true);
        await revokeDataSourcePermission(at, granted.token);
        freshRun();
        assert.equal(await readDataSourcePermission(at, granted.token), undefined);
        assert.deepEqual(await dataSourcePermissions(at).all(), []);
      } finally {
        await setDataSourcePermissionGet500(emu, false);
      }
    });
  });
});

describe("access-model collection layers on fakes", () => {
  after(() => setProviderContext(undefined));

  const space = (token: string): Space => ({
    token,
    id: 1,
    space_type: "custom",
    name: "Locked",
    description: "",
    state: "active",
    restricted: true,
    free_default: false,
    "viewable?": true,
    _links: {
      self: { href: "/s" },
      detail: { href: "/s" },
      reports: { href: "/r" },
      search_space_permissions: { href: "/p" },
    },
  });
  const forbidden = () =>
    new ApiError({ api: "mode", kind: "forbidden", status: 403, method: "GET", path: "/acme/spaces/s1" });

  async function* listOf<T>(items: T[]): AsyncIterableIterator<T> {
    yield* items;
  }

  it("a 403 on a collection that is still listed is an error, not gone", async () => {
    let deletes = 0;
    setProviderContext(
      fakeContext(
        {
          mode: {
            getSpace: () => Promise.reject(forbidden()),
            deleteSpace: () => {
              deletes++;
              return Promise.reject(forbidden());
            },
            listSpaces: () => listOf([space("s1")]),
          },
        },
        () => undefined,
      ),
    );
    assert.ok((await rejection(readCollection("acme", "s1"))) instanceof ApiError);
    const err = await rejection(deleteCollection("acme", "s1"));
    assert.ok(err instanceof ApiError && err.kind === "forbidden");
    assert.equal(deletes, 1);
  });

  it("a data-source permission read fails as it came when it is not a server error", async () => {
    const notFound = new ApiError({ api: "mode", kind: "not_found", status: 404, method: "GET", path: "/x" });
    const unauthorized = new ApiError({
      api: "mode",
      kind: "unauthorized",
      status: 401,
      method: "GET",
      path: "/x",
    });
    let answer: ApiError = notFound;
    setProviderContext(
      fakeContext(
        {
          mode: {
            getDataSourcePermission: () => Promise.reject(answer),
            listDataSourcePermissions: () => {
              throw new Error("the list is read only after a server error");
            },
          },
        },
        () => undefined,
      ),
    );
    const at = { workspace: "acme", dataSource: "d1" };
    assert.equal(await readDataSourcePermission(at, "p1"), undefined);
    answer = unauthorized;
    assert.equal(await rejection(readDataSourcePermission(at, "p1")), unauthorized);
  });
});
