/**
 * Removals that cannot run away, through the real Pulumi engine against the emulator (program:
 * tests/fixtures/members, declared per command through MEMBERS_PROGRAM):
 *
 * - `unmanaged: "report"` on a workspace with undeclared members: `up` sends no DELETE (the
 *   emulator's request log), the line names them, the output `unmanaged` lists them, and
 *   `preview --expect-no-changes` passes; someone joining outside Pulumi is an update that writes
 *   nothing and refreshes the output.
 * - `maxRemovals: 1` with 3 to remove: plain `pulumi preview`, `pulumi up` and
 *   `pulumi up --skip-preview` all fail naming 3 and who, and the emulator receives no write;
 *   `maxRemovals: 3` (exactly the limit) removes the 3.
 * - SpaceMembers in report mode adds the missing declared members and removes no one.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, req } from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot } from "../../testing/engine";
import { resourceErrors, takeRequests, warnings, writes } from "../support/engine-output";

const PROGRAM_DIR = path.join(repoRoot(), "tests", "fixtures", "members");

/** What the fixture program declares (see its header). */
interface Program {
  account?: string;
  space?: string;
  users?: string[];
  workspace?: string;
  usernames?: string[];
  unmanaged?: "remove" | "report";
  maxRemovals?: number;
}

describe("removals that cannot run away, through the engine", function () {
  this.timeout(10 * 60_000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace;
  const env = (program: Program) => ({ env: { MEMBERS_PROGRAM: JSON.stringify(program) } });
  const token = (username: string): string =>
    emulator.seed.mode.users.find((u) => u.username === username)?.token ?? assert.fail(username);
  const auth = () => basic(emulator.seed.mode.token, emulator.seed.mode.secret);
  const clean = (program: Program) =>
    ws.run(["preview", "--expect-no-changes", "--stack", ws.stack], env(program));

  before(async function () {
    await engineOrSkip(this, "the removals engine tests");
    emulator = await startEmulator({ port: 0 });
    ws = await PulumiWorkspace.create({
      programDir: PROGRAM_DIR,
      env: {
        MODE_API_URL: emulator.modeApiUrl,
        MODE_API_TOKEN: emulator.seed.mode.token,
        MODE_API_SECRET: emulator.seed.mode.secret,
      },
    });
  });
  after(async () => {
    await ws?.dispose().catch(() => undefined);
    await emulator?.close().catch(() => undefined);
  });

  describe("WorkspaceMembers", () => {
    let workspace: string;
    before(() => {
      workspace = emulator.seed.mode.workspace;
    });

    it("unmanaged: report keeps the undeclared: no DELETE, the line names them, the output lists them, the next preview is clean", async () => {
      const program: Program = { workspace, usernames: ["ada", "grace"], unmanaged: "report" };
      await takeRequests(emulator);
      const up = await ws.up(env(program));
      assert.deepEqual(writes(await takeRequests(emulator)), {});
      const line =
        `mode:WorkspaceMembers workspace ${workspace}: 3 members are not in the program — kept, ` +
        "unmanaged is report: alan, edsger, barbara; keeps admin (admin), never removed by pulumi-mode";
      assert.deepEqual(warnings(up), [line], up.stdout);
      const outputs = await ws.outputs();
      assert.deepEqual(outputs.workspaceUnmanaged, ["alan", "barbara", "edsger"]);
      assert.deepEqual(outputs.workspaceRemoved, []);

      const preview = await ws.preview(env(program));
      assert.deepEqual(warnings(preview), [line], preview.stdout);
      await clean(program);
    });

    it("someone invited outside Pulumi is an update that writes nothing and refreshes unmanaged", async () => {
      const program: Program = { workspace, usernames: ["ada", "grace"], unmanaged: "report" };
      const invited = await req("POST", `${emulator.modeApiUrl}/${workspace}/invites`, {
        auth: auth(),
        body: { invite: { invitee: { email: "eve@example.com" }, message: "hi" } },
      });
      assert.equal(invited.status, 200, invited.text);
      const preview = await ws.preview(env(program));
      assert.match(preview.stdout, /^ ~ +pulumi-nodejs:dynamic\/mode:WorkspaceMembers team update *$/m);
      assert.deepEqual(warnings(preview), [
        `mode:WorkspaceMembers workspace ${workspace}: 4 members are not in the program — kept, unmanaged ` +
          "is report: alan, edsger, barbara, eve (pending invite); keeps admin (admin), never removed by pulumi-mode",
      ]);
      await takeRequests(emulator);
      await ws.up(env(program));
      assert.deepEqual(writes(await takeRequests(emulator)), {});
      assert.deepEqual((await ws.outputs()).workspaceUnmanaged, ["alan", "barbara", "edsger", "eve"]);
      await clean(program);
    });

    it("maxRemovals: 1 with 3 to remove: preview, up and up --skip-preview fail naming 3 and who; nothing is sent", async () => {
      // Switching to remove (the default) with eve now declared: alan, edsger and barbara would go.
      const program: Program = { workspace, usernames: ["ada", "grace", "eve"], maxRemovals: 1 };
      const refusal =
        `workspace ${workspace}: up would remove 3 members, more than maxRemovals (1): alan, edsger, ` +
        `barbara. Nothing was changed in workspace ${workspace}. To proceed: raise maxRemovals to 3 for ` +
        'this change, or set unmanaged: "report" to keep what the program does not declare without ' +
        "removing it, or declare the members to keep.";
      await takeRequests(emulator);
      const runs = {
        preview: await ws.preview({ ...env(program), allowFailure: true }),
        up: await ws.run(["up", "--yes", "--stack", ws.stack], { ...env(program), allowFailure: true }),
        "up --skip-preview": await ws.up({ ...env(program), allowFailure: true }),
      };
      for (const [command, run] of Object.entries(runs)) {
        const text = run.stdout + run.stderr;
        assert.notEqual(run.code, 0, `${command} must fail:\n${text}`);
        const errors = resourceErrors(run, "pulumi-nodejs:dynamic/mode:WorkspaceMembers (team)");
        assert.deepEqual(errors, [refusal], `${command}:\n${text}`);
        // The host's own copy under the stack is one line, without a stack trace.
        assert.ok(text.includes(`Stopped by maxRemovals: ${refusal}`), text);
        assert.doesNotMatch(text, /at checkRemovalLimit|removals\.ts/, text);
      }
      assert.deepEqual(writes(await takeRequests(emulator)), {});
      assert.deepEqual(
        (await ws.outputs()).workspaceUnmanaged,
        ["alan", "barbara", "edsger", "eve"],
        "the failed runs changed no output",
      );
    });

    it("maxRemovals at exactly the count removes them: 3 DELETEs, then a clean preview", async () => {
      const program: Program = { workspace, usernames: ["ada", "grace", "eve"], maxRemovals: 3 };
      const preview = await ws.preview(env(program));
      assert.deepEqual(warnings(preview), [
        `mode:WorkspaceMembers workspace ${workspace}: 3 members are not in the program — up removes alan, ` +
          "edsger, barbara; keeps admin (admin), never removed by pulumi-mode",
      ]);
      await takeRequests(emulator);
      await ws.up(env(program));
      assert.deepEqual(writes(await takeRequests(emulator)), { "DELETE mode.memberships.delete": 3 });
      const outputs = await ws.outputs();
      assert.deepEqual(outputs.workspaceUnmanaged, []);
      assert.deepEqual(
        (outputs.workspaceRemoved as { username: string }[]).map((r) => r.username),
        ["alan", "barbara", "edsger"],
      );
      await clean(program);
    });
  });

  describe("SpaceMembers (a new stack)", () => {
    let space: PulumiWorkspace;
    let program: Program;
    const spaceWhere = () => `space ${emulator.seed.mode.spaces[1]} of ${emulator.seed.mode.workspace}`;
    const grace = () => ({ memberType: "User", memberToken: token("grace"), email: "grace@acme.example" });

    before(async () => {
      space = await PulumiWorkspace.create({
        programDir: PROGRAM_DIR,
        env: {
          MODE_API_URL: emulator.modeApiUrl,
          MODE_API_TOKEN: emulator.seed.mode.token,
          MODE_API_SECRET: emulator.seed.mode.secret,
        },
      });
      const seed = emulator.seed.mode;
      program = { account: seed.workspace, space: seed.spaces[1], users: [token("ada")] };
      // grace is in the space, and the program does not declare her.
      const added = await req(
        "POST",
        `${emulator.modeApiUrl}/${seed.workspace}/spaces/${seed.spaces[1]}/memberships`,
        {
          auth: auth(),
          body: { membership: { member_type: "User", member_token: token("grace") } },
        },
      );
      assert.equal(added.status, 200, added.text);
    });
    after(async () => {
      await space?.dispose().catch(() => undefined);
    });

    it("a create that would remove more than maxRemovals fails in plain preview and in up, before anything is sent", async () => {
      // A preview runs no diff for a new resource: check looks at what the create would change.
      const refusal =
        "pulumi-nodejs:dynamic/mode:SpaceMembers resource 'team-space': property maxRemovals value {0} has a problem: " +
        `${spaceWhere()}: up would remove 1 member, more than maxRemovals (0): user ${token("grace")} ` +
        `(grace@acme.example). Nothing was changed in ${spaceWhere()}. To proceed: raise maxRemovals to 1 ` +
        'for this change, or set unmanaged: "report" to keep what the program does not declare without ' +
        "removing it, or declare the members to keep.";
      await takeRequests(emulator);
      const preview = await space.preview({ ...env({ ...program, maxRemovals: 0 }), allowFailure: true });
      assert.notEqual(preview.code, 0);
      assert.deepEqual(resourceErrors(preview, "pulumi-nodejs:dynamic/mode:SpaceMembers (team-space)"), [
        refusal,
      ]);
      const up = await space.up({ ...env({ ...program, maxRemovals: 0 }), allowFailure: true });
      assert.notEqual(up.code, 0);
      assert.deepEqual(resourceErrors(up, "pulumi-nodejs:dynamic/mode:SpaceMembers (team-space)"), [refusal]);
      // Printed once, under the resource (the host prints only diff errors itself).
      assert.doesNotMatch(up.stdout + up.stderr, /Stopped by maxRemovals/);
      assert.deepEqual(writes(await takeRequests(emulator)), {});
    });

    it("a preview of a new list names whom its first up adds and removes", async () => {
      const preview = await space.preview(env(program));
      assert.deepEqual(warnings(preview), [
        `mode:SpaceMembers ${spaceWhere()}: 2 members differ from the program — up adds user ${token("ada")}; ` +
          `removes user ${token("grace")} (grace@acme.example)`,
      ]);
      assert.deepEqual(writes(await takeRequests(emulator)), {});
    });

    it("unmanaged: report adds the missing declared member and removes no one", async () => {
      const report: Program = { ...program, unmanaged: "report" };
      const up = await space.up(env(report));
      assert.deepEqual(writes(await takeRequests(emulator)), { "POST mode.spaceMemberships.create": 1 });
      assert.deepEqual(warnings(up), [
        `mode:SpaceMembers ${spaceWhere()}: 1 member differs from the program — up adds user ${token("ada")}; ` +
          `1 member is not in the program — kept, unmanaged is report: user ${token("grace")} (grace@acme.example)`,
      ]);
      const outputs = await space.outputs();
      assert.deepEqual(outputs.spaceUnmanaged, [grace()]);
      assert.deepEqual(outputs.spaceAdded, [
        { memberType: "User", memberToken: token("ada"), email: "ada@acme.example" },
      ]);
      await space.run(["preview", "--expect-no-changes", "--stack", space.stack], env(report));
    });

    it("switching report to remove removes them", async () => {
      const preview = await space.preview(env(program));
      assert.deepEqual(warnings(preview), [
        `mode:SpaceMembers ${spaceWhere()}: 1 member differs from the program — up removes user ` +
          `${token("grace")} (grace@acme.example)`,
      ]);
      await takeRequests(emulator);
      await space.up(env(program));
      assert.deepEqual(writes(await takeRequests(emulator)), { "DELETE mode.spaceMemberships.delete": 1 });
      const outputs = await space.outputs();
      assert.deepEqual(outputs.spaceRemoved, [grace()]);
      assert.deepEqual(outputs.spaceUnmanaged, []);
      await space.run(["preview", "--expect-no-changes", "--stack", space.stack], env(program));
    });
  });
});
