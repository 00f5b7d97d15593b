import { strict as assert } from "assert";
import * as path from "path";
import { engineOrSkip, PulumiWorkspace, repoRoot } from "../../testing/engine";

const FIXTURE = path.join(repoRoot(), "tests", "fixtures", "engine-smoke");
const DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

describe("real Pulumi engine (smoke)", function () {
  let ws: PulumiWorkspace | undefined;

  before(async function () {
    await engineOrSkip(this, "the real-engine smoke tests");
    ws = await PulumiWorkspace.create({ programDir: FIXTURE, stack: "smoke" });
  });

  after(async function () {
    this.timeout(5 * 60 * 1000);
    if (ws) await ws.dispose();
  });

  function workspace(): PulumiWorkspace {
    assert.ok(ws, "workspace was not created");
    return ws;
  }

  it("reports the engine version", async function () {
    this.timeout(60 * 1000);
    const res = await workspace().run(["version"]);
    assert.match(res.stdout.trim(), /^v3\.\d+\.\d+/);
  });

  it("pulumi up creates the dynamic resource and the outputs", async function () {
    this.timeout(5 * 60 * 1000);
    await workspace().setConfig("name", "mode");
    await workspace().up();
    const outputs = await workspace().outputs();
    assert.deepEqual(outputs, { answer: 42, thingId: "smoke-mode", greeting: "hello mode" });
  });

  it("pulumi preview --json reports no changes after up", async function () {
    this.timeout(5 * 60 * 1000);
    const preview = await workspace().previewJson();
    const summary = preview.changeSummary ?? {};
    const changed = Object.entries(summary).filter(([op, n]) => op !== "same" && n > 0);
    assert.deepEqual(changed, [], `unexpected changes: ${JSON.stringify(summary)}`);
    assert.ok(
      (summary.same ?? 0) >= 2,
      `expected the stack and the resource unchanged: ${JSON.stringify(summary)}`,
    );
    for (const step of preview.steps ?? []) assert.equal(step.op, "same", step.urn);
  });

  it("pulumi stack export contains the dynamic resource", async function () {
    this.timeout(60 * 1000);
    const state = await workspace().stackExport();
    const dynamic = (state.deployment.resources ?? []).filter((r) => r.type === DYNAMIC_TYPE);
    assert.equal(dynamic.length, 1, JSON.stringify(state.deployment.resources, null, 2));
    const [thing] = dynamic;
    assert.equal(thing.id, "smoke-mode");
    assert.match(thing.urn, /::thing$/);
    assert.equal(thing.outputs?.greeting, "hello mode");
    assert.equal(typeof thing.inputs?.__provider, "string", "the serialized provider is kept in the inputs");
  });

  it("pulumi refresh keeps the resource", async function () {
    this.timeout(5 * 60 * 1000);
    await workspace().refresh();
    const state = await workspace().stackExport();
    assert.equal((state.deployment.resources ?? []).filter((r) => r.type === DYNAMIC_TYPE).length, 1);
  });

  it("pulumi destroy removes everything", async function () {
    this.timeout(5 * 60 * 1000);
    await workspace().destroy();
    const state = await workspace().stackExport();
    const left = (state.deployment.resources ?? []).filter((r) => r.type !== "pulumi:pulumi:Stack");
    assert.deepEqual(left, []);
  });
});
