/**
 * Stacks written by earlier versions of pulumi-mode carry another `__provider` text: the closure
 * `pulumi.dynamic.Resource` serialized from the shim of the time (2,122 and 2,368 characters, in the
 * inputs and the outputs of every resource; tests/fixtures/legacy-provider-texts). The current
 * build, whose text is one line, must preview, refresh, repair and destroy such a stack: the engine
 * hands the stored text to the dynamic-provider host for reads and deletes, the program's text for
 * checks, diffs, creates and updates, so both kinds of text meet in one run.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, bearer, control, listAll, req } from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot, type StackExport } from "../../testing/engine";
import { providerText } from "../../sdk/shim";

interface LegacyTexts {
  versions: { shim: string; texts: Record<"SpaceMembership" | "OrgInvite", string> }[];
}

const LEGACY = JSON.parse(
  fs.readFileSync(path.join(repoRoot(), "tests", "fixtures", "legacy-provider-texts", "texts.json"), "utf8"),
) as LegacyTexts;

const TYPE_PREFIX = "pulumi-nodejs:dynamic/mode:";

/** Kind of a resource of this package, from its type token. */
const kindOf = (type: string): "SpaceMembership" | "OrgInvite" =>
  type.slice(TYPE_PREFIX.length) as "SpaceMembership" | "OrgInvite";

describe("end to end: stacks written by earlier provider texts", function () {
  this.timeout(10 * 60 * 1000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace | undefined;

  before(async function () {
    await engineOrSkip(this, "the legacy provider text tests");
    emulator = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await ws?.dispose();
    ws = undefined;
    await control(emulator, "POST", "/reset");
  });
  after(async () => {
    await emulator?.close();
  });

  const seed = () => emulator.seed;

  async function spaceMembers(space: string): Promise<string[]> {
    const { all } = await listAll<{ member_token: string }>(
      `${emulator.modeApiUrl}/${seed().mode.workspace}/spaces/${space}/memberships`,
      basic(seed().mode.token, seed().mode.secret),
      "memberships",
    );
    return all.map((m) => m.member_token).sort();
  }

  async function orgInvites(): Promise<string[]> {
    const res = await req<{ data: { attributes: { recipient_email: string } }[] }>(
      "GET",
      `${emulator.orgApiUrl}/api/v2/organizations/${seed().org.organizationId}/invites`,
      { auth: bearer(seed().org.token) },
    );
    assert.equal(res.status, 200, res.text);
    return res.json.data.map((d) => d.attributes.recipient_email);
  }

  /** The stack's resources of this package. */
  async function ours(target: PulumiWorkspace): Promise<NonNullable<StackExport["deployment"]["resources"]>> {
    const state = await target.stackExport();
    return (state.deployment.resources ?? []).filter((r) => r.type.startsWith(TYPE_PREFIX));
  }

  for (const version of LEGACY.versions) {
    it(`${version.shim}: preview, refresh, repair and destroy run with the stored text`, async () => {
      const [u0, u1] = seed().mode.users;
      const space = seed().mode.spaces[0];
      ws = await PulumiWorkspace.create({ programDir: path.join(repoRoot(), "tests", "fixtures", "access") });
      await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
      await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
      await ws.setConfig("mode:apiToken", seed().mode.token, { secret: true });
      await ws.setConfig("mode:apiSecret", seed().mode.secret, { secret: true });
      await ws.setConfig("mode:orgApiToken", seed().org.token, { secret: true });
      const membership = (name: string, memberToken: string) => ({
        kind: "SpaceMembership",
        name,
        args: { account: seed().mode.workspace, space, memberType: "User", memberToken },
      });
      const invite = {
        kind: "OrgInvite",
        name: "invite",
        args: { organizationId: seed().org.organizationId, recipientEmail: "legacy@example.com" },
      };
      await ws.setConfig(
        "access:resources",
        JSON.stringify([membership("m0", u0.token), membership("m1", u1.token), invite]),
      );
      await ws.up();

      // The state as the earlier version wrote it: its text in every resource's inputs and outputs.
      const state = await ws.stackExport();
      let replaced = 0;
      for (const r of state.deployment.resources ?? []) {
        if (!r.type.startsWith(TYPE_PREFIX)) continue;
        const text = version.texts[kindOf(r.type)];
        r.inputs = { ...r.inputs, __provider: text };
        r.outputs = { ...r.outputs, __provider: text };
        replaced++;
      }
      assert.equal(replaced, 3);
      const file = path.join(ws.root, "legacy-state.json");
      fs.writeFileSync(file, JSON.stringify(state));
      await ws.run(["stack", "import", "--file", file, "--stack", ws.stack]);

      // Nothing changed in Mode: the preview shows every resource unchanged.
      const preview = await ws.previewJson();
      for (const step of preview.steps ?? []) assert.equal(step.op, "same", `${step.urn}: ${step.op}`);

      // refresh reads through the stored text and keeps it in the outputs.
      await ws.refresh();
      for (const r of await ours(ws)) {
        assert.equal(r.outputs?.__provider, version.texts[kindOf(r.type)], `${r.urn} after refresh`);
      }

      // Drift: m1 removed behind the stack's back; up replaces it (create with the program's text,
      // delete with the stored one). Afterwards every input holds the current text.
      const live = (await ours(ws)).find((r) => r.urn.endsWith("::m1"));
      const token = String(live?.outputs?.token);
      const removed = await req(
        "DELETE",
        `${emulator.modeApiUrl}/${seed().mode.workspace}/spaces/${space}/memberships/${token}`,
        { auth: basic(seed().mode.token, seed().mode.secret) },
      );
      assert.ok(removed.status < 300, removed.text);
      const up = await ws.up();
      assert.match(up.stdout, /1 replaced/, up.stdout);
      assert.deepEqual(await spaceMembers(space), [u0.token, u1.token].sort());
      for (const r of await ours(ws)) {
        const kind = kindOf(r.type);
        assert.equal(r.inputs?.__provider, providerText(kind), `${r.urn} inputs after up`);
        const stored = r.urn.endsWith("::m1") ? providerText(kind) : version.texts[kind];
        assert.equal(r.outputs?.__provider, stored, `${r.urn} outputs after up`);
      }

      // destroy deletes through the stored texts (old for m0 and the invite, current for m1).
      await ws.destroy();
      assert.deepEqual(await spaceMembers(space), []);
      assert.deepEqual(await orgInvites(), []);
    });
  }
});
