/**
 * Collection without engine or host, on the emulator (each step a fresh provider run): create (a new
 * collection, adoption of an active custom collection of that name with what is declared set on it),
 * diff (deleted → replace, renamed or its declared level changed outside Pulumi → in-place back,
 * each on its exact line), in-place rename/description/level sending only what differs, read, and
 * delete through Mode's 403 on a collection just deleted.
 */
import { strict as assert } from "node:assert";
import { resourceProvider } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { setProviderContext } from "../../provider/context";
import type { PropertyBag } from "../../provider/inputs";
import type { SpaceBody } from "../../testing/emulator-control";
import { EmulatorRuns } from "../support/emulator-run";

const provider = resourceProvider("Collection");

describe("Collection", function () {
  this.timeout(60_000);
  let emu: RunningEmulator;
  let runs: EmulatorRuns;
  let ws: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    runs = new EmulatorRuns(emu);
    ws = emu.seed.mode.workspace;
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

  async function live(token: string): Promise<SpaceBody> {
    return runs.api<SpaceBody>("GET", `/spaces/${token}`);
  }

  it("check refuses a padded or empty name and an unknown level before any request", async () => {
    const result = await provider.check({}, { workspace: ws, name: "", defaultAccess: "secret" });
    assert.deepEqual(
      result.failures?.map((f) => f.property),
      ["name", "defaultAccess"],
    );
    assert.deepEqual(await runs.takeRequests(), {});
  });

  describe("a collection made by the stack", () => {
    let id: string;
    let outs: PropertyBag;
    const news = (more: PropertyBag = {}) => ({
      workspace: ws,
      name: "Finance",
      description: "Quarterly numbers",
      defaultAccess: "restricted",
      ...more,
    });

    it("create makes it with the declared description and level; id is Mode's id", async () => {
      ({ id, outs } = await created(news()));
      const body = await live(String(outs.token));
      assert.equal(id, String(body.id));
      assert.deepEqual(
        { name: body.name, description: body.description, level: body.default_access_level },
        { name: "Finance", description: "Quarterly numbers", level: "restricted" },
      );
      assert.deepEqual(
        { ...outs, token: undefined },
        {
          ...news(),
          token: undefined,
          id,
          spaceType: "custom",
          state: "active",
          restricted: true,
          adopted: false,
        },
      );
      runs.fresh();
      assert.equal((await provider.diff(id, outs, news())).changes, false);
    });

    it("renamed and opened outside Pulumi: one in-place update back, named on one line; update sends one PATCH", async () => {
      await runs.api("PATCH", `/spaces/${String(outs.token)}`, {
        space: { name: "Finance (old)", default_access_level: "view" },
      });
      const diff = await provider.diff(id, outs, news());
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      assert.deepEqual(runs.warnings, [
        `mode:Collection collection "Finance" of ${ws}: renamed to "Finance (old)", its default level set to ` +
          "view outside Pulumi — up sets it back as declared",
      ]);
      await runs.takeRequests();
      outs = (await provider.update(id, outs, news())).outs as PropertyBag;
      assert.deepEqual(await runs.takeWrites(), { "PATCH mode.spaces.update": 1 });
      const body = await live(String(outs.token));
      assert.deepEqual([body.name, body.default_access_level], ["Finance", "restricted"]);
    });

    it("a rename in the program is an in-place update sending only the name", async () => {
      const renamed = news({ name: "Finance & Ops" });
      const diff = await provider.diff(id, outs, renamed);
      assert.deepEqual({ changes: diff.changes, replaces: diff.replaces }, { changes: true, replaces: [] });
      outs = (await provider.update(id, outs, renamed)).outs as PropertyBag;
      assert.equal((await live(String(outs.token))).name, "Finance & Ops");
      assert.deepEqual(await runs.takeWrites(), { "PATCH mode.spaces.update": 1 });
    });

    it("a level or description the program does not declare is left alone", async () => {
      const bare = { workspace: ws, name: "Finance & Ops" };
      await runs.api("PATCH", `/spaces/${String(outs.token)}`, { space: { default_access_level: "edit" } });
      const { outs: state } = { outs: { ...outs, description: undefined, defaultAccess: undefined } };
      assert.equal((await provider.diff(id, state, bare)).changes, false);
      const read = await provider.read(id, state);
      assert.deepEqual(read.inputs, bare);
      assert.equal((read.props as PropertyBag).restricted, false);
      await runs.api("PATCH", `/spaces/${String(outs.token)}`, {
        space: { default_access_level: "restricted" },
      });
    });

    it("deleted outside Pulumi: a replace naming it; read says gone; delete succeeds through Mode's 403", async () => {
      await runs.api("DELETE", `/spaces/${String(outs.token)}`);
      const diff = await provider.diff(id, outs, news({ name: "Finance & Ops" }));
      assert.deepEqual(diff.replaces, ["token"]);
      assert.deepEqual(runs.warnings, [
        `mode:Collection collection "Finance & Ops" of ${ws} (${String(outs.token)}) was deleted outside Pulumi — ` +
          "up creates it again",
      ]);
      assert.equal((await provider.read(id, outs)).id, "");
      await provider.delete(id, outs);
    });
  });

  it("create adopts the active custom collection of that name and sets what is declared on it", async () => {
    const seeded = emu.seed.mode.collections[2]; // Space 3, level edit
    const before = await live(seeded.token);
    const { id, outs } = await created({ workspace: ws, name: seeded.name, defaultAccess: "view" });
    assert.equal(outs.adopted, true);
    assert.equal(outs.token, seeded.token);
    assert.deepEqual(await runs.takeWrites(), { "PATCH mode.spaces.update": 1 });
    assert.equal((await live(seeded.token)).default_access_level, "view");
    assert.equal(
      (await live(seeded.token)).description,
      before.description,
      "an undeclared description is left",
    );
    runs.fresh();
    await provider.delete(id, outs);
    assert.deepEqual(await runs.takeWrites(), { "DELETE mode.spaces.delete": 1 });
    runs.fresh();
    await provider.delete(id, outs); // Mode answers 403 now: gone, once the listing agrees
  });

  it("create refuses a name two collections have", async () => {
    await runs.api("POST", "/spaces", { space: { name: "Twins", description: "" } });
    await runs.api("POST", "/spaces", { space: { name: "Twins", description: "" } });
    await assert.rejects(provider.create({ workspace: ws, name: "Twins" }), {
      message:
        /2 collections of acme-analytics are named "Twins" .* so pulumi-mode cannot tell which one to adopt/,
    });
  });
});
