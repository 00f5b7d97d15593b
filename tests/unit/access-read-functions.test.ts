/**
 * The access-model read functions (getGroups, getGroupMembers, getCollections,
 * getCollectionPermissions, getDataSources, getDataSourcePermissions) against the emulator, with
 * credentials from the environment, every list over pages of two.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  getCollectionPermissions,
  getCollections,
  getDataSourcePermissions,
  getDataSources,
  getGroupMembers,
  getGroups,
} from "../../sdk";
import { ACCESS_READ_FUNCTIONS } from "../../sdk/access-functions";
import { ajv } from "../../provider/client";
import { removeFromWorkspace, setGroupManaged } from "../../testing/emulator-control";

describe("access-model read functions", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const saved = { ...process.env };

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      modePageSize: 2,
      seed: { users: 7, spaces: 3, userGroups: 2, dataSources: 4, personalCollections: 2 },
    });
    Object.assign(process.env, {
      MODE_API_URL: emulator.modeApiUrl,
      MODE_API_TOKEN: emulator.seed.mode.token,
      MODE_API_SECRET: emulator.seed.mode.secret,
    });
  });

  after(async () => {
    process.env = saved;
    await emulator?.close();
  });

  /** Checks a result against its declared schema. */
  function conforms(name: keyof typeof ACCESS_READ_FUNCTIONS, result: unknown): void {
    const validate = ajv.compile(ACCESS_READ_FUNCTIONS[name].result);
    assert.ok(validate(result), `${name}: ${JSON.stringify(validate.errors)}`);
  }

  it("getGroups lists the active groups; getGroupMembers names each member", async () => {
    const seed = emulator.seed.mode;
    await setGroupManaged(emulator, seed.workspace, seed.groups[1].token, true);
    const result = await getGroups({ workspace: seed.workspace });
    conforms("getGroups", result);
    assert.deepEqual(
      result.groups.map((g) => [g.token, g.name, g.memberCount, g.managed]),
      seed.groups.map((g, i) => [g.token, g.name, g.members.length, i === 1]),
    );
    const group = seed.groups[0];
    const members = await getGroupMembers({ workspace: seed.workspace, group: group.token });
    conforms("getGroupMembers", members);
    assert.deepEqual(members.members.map((m) => m.username).sort(), [...group.members].sort());
    const ada = seed.users.find((u) => u.username === group.members[0]);
    assert.equal(members.members.find((m) => m.username === ada?.username)?.memberToken, ada?.token);
  });

  it("getCollections lists custom collections, and personal ones on demand", async () => {
    const seed = emulator.seed.mode;
    const custom = await getCollections({ workspace: seed.workspace });
    conforms("getCollections", custom);
    assert.deepEqual(
      custom.collections.map((c) => [c.token, c.name, c.defaultAccess, c.restricted]),
      seed.collections.map((c) => [
        c.token,
        c.name,
        c.defaultAccessLevel,
        c.defaultAccessLevel === "restricted",
      ]),
    );
    const all = await getCollections({ workspace: seed.workspace, includePersonal: true });
    conforms("getCollections", all);
    assert.deepEqual(
      all.collections
        .filter((c) => c.spaceType === "personal")
        .map((c) => c.token)
        .sort(),
      seed.personalCollections.map((p) => p.token).sort(),
    );
  });

  it("getCollectionPermissions and getDataSourcePermissions name each member and group", async () => {
    const seed = emulator.seed.mode;
    const restricted = seed.collections[0]; // Space 1: Group 1 view + the first member edit
    const result = await getCollectionPermissions({
      workspace: seed.workspace,
      collection: restricted.token,
    });
    conforms("getCollectionPermissions", result);
    assert.deepEqual(
      result.permissions.map((p) => [p.accessorType, p.accessorName, p.action]).sort(),
      [
        ["Account", seed.users[0].username, "edit"],
        ["UserGroup", seed.groups[0].name, "view"],
      ].sort(),
    );
    const warehouse = seed.dataSources[0]; // Group 1 query + the first member view
    const ds = await getDataSourcePermissions({ workspace: seed.workspace, dataSource: warehouse.token });
    conforms("getDataSourcePermissions", ds);
    assert.deepEqual(
      ds.permissions.map((p) => [p.accessorType, p.accessorName, p.action]).sort(),
      [
        ["Account", seed.users[0].username, "view"],
        ["UserGroup", seed.groups[0].name, "query"],
      ].sort(),
    );
  });

  it("getDataSources lists every data source across pages", async () => {
    const seed = emulator.seed.mode;
    const result = await getDataSources({ workspace: seed.workspace });
    conforms("getDataSources", result);
    assert.deepEqual(
      result.dataSources.map((d) => [d.token, d.name]),
      seed.dataSources.map((d) => [d.token, d.name]),
    );
    assert.equal(result.dataSources[0].adapter, "jdbc:snowflake");
  });

  it("a member who left the workspace takes their grants and group memberships with them", async () => {
    const seed = emulator.seed.mode;
    const leaver = seed.users[0];
    await removeFromWorkspace(emulator, seed.workspace, { username: leaver.username });
    const perms = await getCollectionPermissions({
      workspace: seed.workspace,
      collection: seed.collections[0].token,
    });
    assert.deepEqual(
      perms.permissions.map((p) => p.accessorName),
      [seed.groups[0].name],
    );
    const members = await getGroupMembers({ workspace: seed.workspace, group: seed.groups[0].token });
    assert.ok(!members.members.some((m) => m.memberToken === leaver.token));
  });

  it("bad arguments fail before anything is sent", async () => {
    await assert.rejects(getGroups({ workspace: "a/b" }), /invalid argument/);
    await assert.rejects(
      getCollections({ workspace: "acme", includePersonal: "yes" as never }),
      /includePersonal/,
    );
    await assert.rejects(
      getDataSourcePermissions({ workspace: emulator.seed.mode.workspace, dataSource: "../x" }),
      /invalid argument/,
    );
  });
});
