/**
 * DataSourcePermission without engine or host, on the emulator (each step a fresh provider run):
 * check (the data-source actions; exactly one accessor), create (adoption with the action set),
 * diff (removed → replace, action changed → in-place back, each on its exact line), read through
 * Mode's quirk — a GET of one data-source permission answering 500 while the list works falls back
 * to the list — and delete.
 */
import { strict as assert } from "node:assert";
import { resourceProvider, UNKNOWN } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { setProviderContext } from "../../provider/context";
import type { PropertyBag } from "../../provider/inputs";
import { setDataSourcePermissionGet500 } from "../../testing/emulator-control";
import { EmulatorRuns } from "../support/emulator-run";

const provider = resourceProvider("DataSourcePermission");

describe("DataSourcePermission", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let runs: EmulatorRuns;
  let ws: string;
  /** Warehouse (Group 1 query, ada view) and Events Lake (no grants). */
  let warehouse: string;
  let lake: string;
  let group2: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    runs = new EmulatorRuns(emu);
    ws = emu.seed.mode.workspace;
    const sources = emu.seed.mode.dataSources;
    warehouse = sources.find((d) => d.name === "Warehouse")?.token ?? assert.fail("Warehouse");
    lake = sources.find((d) => d.name === "Events Lake")?.token ?? assert.fail("Events Lake");
    group2 = emu.seed.mode.userGroups[1];
  });
  after(async () => {
    setProviderContext(undefined);
    await emu?.close();
  });
  beforeEach(async () => {
    runs.fresh();
    await runs.takeRequests();
  });

  async function created(inputs: PropertyBag): Promise<{ id: string; outs: PropertyBag }> {
    const checked = await provider.check({}, inputs);
    assert.deepEqual(checked.failures ?? [], []);
    const result = await provider.create(checked.inputs);
    return { id: result.id, outs: result.outs as PropertyBag };
  }

  it("check takes view, query or manage, and exactly one accessor; an unknown group passes with no request", async () => {
    const base = { workspace: ws, dataSource: lake };
    assert.deepEqual((await provider.check({}, { ...base, username: "ada", action: "manage" })).failures, []);
    assert.deepEqual((await provider.check({}, { ...base, username: "ada", action: "edit" })).failures, [
      { property: "action", reason: 'action must be "view" or "query" or "manage", got "edit"' },
    ]);
    assert.equal((await provider.check({}, { ...base, action: "view" })).failures?.[0]?.property, "username");
    assert.deepEqual((await provider.check({}, { ...base, group: UNKNOWN, action: "view" })).failures, []);
    assert.deepEqual(await runs.takeRequests(), {});
  });

  it("create adopts the grant the member holds and sets the declared action; refuses a data source that does not exist", async () => {
    const { outs } = await created({
      workspace: ws,
      dataSource: warehouse,
      username: "ada",
      action: "query",
    });
    assert.equal(outs.adopted, true);
    const writes = await runs.takeWrites();
    assert.equal(writes["PATCH mode.dataSourcePermissions.update"], 1, JSON.stringify(writes));
    const ada = (await runs.permissions("data_sources", warehouse)).find(
      (p) => p.accessor_token === runs.token("ada"),
    );
    assert.equal(ada?.action, "query");
    await runs.api("PATCH", `/data_sources/${warehouse}/permissions/${String(outs.permissionToken)}`, {
      permission: { action: "view" },
    });
    await assert.rejects(
      provider.create({ workspace: ws, dataSource: "nosuchsource", username: "ada", action: "view" }),
      {
        message:
          `Cannot grant view on data source nosuchsource of ${ws}: Mode has no such data source (deleted, or a wrong ` +
          "token). Pass the token of an existing one (the read functions list them).",
      },
    );
  });

  describe("a grant to a group", () => {
    let id: string;
    let outs: PropertyBag;
    const news = () => ({ workspace: ws, dataSource: lake, group: group2, action: "query" });

    before(async () => {
      runs.fresh();
      ({ id, outs } = await created(news()));
      assert.equal(outs.adopted, false);
    });

    it("its action changed outside Pulumi: an in-place update back, the group and the data source named", async () => {
      await runs.api("PATCH", `/data_sources/${lake}/permissions/${String(outs.permissionToken)}`, {
        permission: { action: "manage" },
      });
      const diff = await provider.diff(id, outs, news());
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      assert.deepEqual(runs.warnings, [
        `mode:DataSourcePermission data source "Events Lake" of ${ws}: the grant to group "Group 2" was changed from ` +
          "query to manage outside Pulumi — up sets it to query",
      ]);
      await runs.takeRequests();
      outs = (await provider.update(id, outs, news())).outs as PropertyBag;
      assert.deepEqual(await runs.takeWrites(), { "PATCH mode.dataSourcePermissions.update": 1 });
    });

    it("read (refresh) falls back to the list when Mode answers the GET of the permission with a 500", async () => {
      await setDataSourcePermissionGet500(emu, true, String(outs.permissionToken));
      try {
        const read = await provider.read(id, outs);
        assert.equal(read.id, id);
        assert.equal((read.props as PropertyBag).action, "query");
        const requests = await runs.takeRequests();
        // The 500 is Mode's known fault here: answered at once, not retried.
        assert.equal(requests["GET mode.dataSourcePermissions.get"], 1, JSON.stringify(requests));
        assert.equal(requests["GET mode.dataSourcePermissions.list"], 1, JSON.stringify(requests));
      } finally {
        await setDataSourcePermissionGet500(emu, false);
      }
    });

    it("removed outside Pulumi: a replace naming it; delete then succeeds (gone)", async () => {
      await runs.api("DELETE", `/data_sources/${lake}/permissions/${String(outs.permissionToken)}`);
      const diff = await provider.diff(id, outs, news());
      assert.deepEqual(diff.replaces, ["permissionToken"]);
      assert.deepEqual(runs.warnings, [
        `mode:DataSourcePermission data source "Events Lake" of ${ws}: the query grant to group "Group 2" was removed ` +
          "outside Pulumi — up grants it again",
      ]);
      await provider.delete(id, outs);
      assert.deepEqual(await runs.permissions("data_sources", lake), []);
    });

    it("delete revokes it", async () => {
      ({ id, outs } = await created(news()));
      runs.fresh();
      await runs.takeRequests();
      await provider.delete(id, outs);
      assert.deepEqual(await runs.takeWrites(), { "DELETE mode.dataSourcePermissions.delete": 1 });
      assert.deepEqual(await runs.permissions("data_sources", lake), []);
    });
  });
});
