/**
 * The program is the truth of who has access, through the real Pulumi engine against the emulator:
 * - every drift kind of every resource prints its one reason line in plain `pulumi preview` output;
 * - destroy leaves none of the stack's workspace memberships (pending, accepted, expired invites and
 *   adopted members), checked through the API;
 * - WorkspaceMembership adopts an existing member, shows its removal as drift, and destroy removes it;
 * - SCIM-managed and self memberships are never removed, with messages that say what to do;
 * - two resources on one remote object fail preview and up with the named message, nothing sent.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { basic, bearer, control, listAll, req } from "../../testing/emulator-control";
import { engineOrSkip, PulumiWorkspace, repoRoot, type StackExport } from "../../testing/engine";

interface Declared {
  kind: string;
  name: string;
  args: Record<string, unknown>;
}

interface Membership {
  member_username: string;
  member_token: string;
  state: string;
}

const DAY = 24 * 3600;

describe("access through the real engine: revoke, adopt, protect, explain", function () {
  this.timeout(5 * 60 * 1000);
  let emulator: RunningEmulator;
  let ws: PulumiWorkspace | undefined;

  before(async function () {
    await engineOrSkip(this, "the access end-to-end tests");
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
  const workspace = () => seed().mode.workspace;
  const modeAuth = () => basic(seed().mode.token, seed().mode.secret);

  async function stack(resources: Declared[]): Promise<PulumiWorkspace> {
    const created = await PulumiWorkspace.create({
      programDir: path.join(repoRoot(), "tests", "fixtures", "access"),
    });
    ws = created;
    await created.setConfig("mode:apiUrl", emulator.modeApiUrl);
    await created.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
    await created.setConfig("mode:apiToken", seed().mode.token, { secret: true });
    await created.setConfig("mode:apiSecret", seed().mode.secret, { secret: true });
    await created.setConfig("mode:orgApiToken", seed().org.token, { secret: true });
    await declare(created, resources);
    return created;
  }

  async function declare(target: PulumiWorkspace, resources: Declared[]): Promise<void> {
    await target.setConfig("access:resources", JSON.stringify(resources));
  }

  async function memberships(): Promise<Membership[]> {
    const url = `${emulator.modeApiUrl}/${workspace()}/memberships?per_page=100`;
    return (await listAll<Membership>(url, modeAuth(), "memberships")).all;
  }

  async function outputsOf(target: PulumiWorkspace, name: string): Promise<Record<string, unknown>> {
    const state: StackExport = await target.stackExport();
    const found = (state.deployment.resources ?? []).find((r) => r.urn.endsWith(`::${name}`));
    assert.ok(found, `no resource ${name} in the stack`);
    return found.outputs ?? {};
  }

  async function ok(response: Promise<{ status: number; text: string }>): Promise<void> {
    const res = await response;
    assert.ok(res.status < 300, `out-of-band change failed with ${res.status}: ${res.text}`);
  }

  /** The lines of a plain `pulumi preview` that pulumi-mode printed (they start with `mode:`). */
  function reasonLines(output: string): string[] {
    return output
      .split("\n")
      .map((line) => line.trim().replace(/^(warning|info): /, ""))
      .filter((line) => line.startsWith("mode:"));
  }

  const invite = (name: string, email: string): Declared => ({
    kind: "WorkspaceInvite",
    name,
    args: { workspace: workspace(), email },
  });
  const member = (name: string, username: string): Declared => ({
    kind: "WorkspaceMembership",
    name,
    args: { workspace: workspace(), username },
  });

  it("every drift kind prints exactly its reason line in plain `pulumi preview`, once; none without drift", async () => {
    const [u0, u1, u2] = seed().mode.users;
    const space = seed().mode.spaces[0];
    const org = seed().org.organizationId;
    const orgUrl = `${emulator.orgApiUrl}/api/v2/organizations/${org}/invites`;
    const sent = await req<{ data: { id: string; attributes: { code: string } } }>("POST", orgUrl, {
      auth: bearer(seed().org.token),
      contentType: "application/vnd.api+json",
      body: { data: { type: "organization_invites", attributes: { recipient_email: "acc@example.com" } } },
    });
    assert.equal(sent.status, 201, sent.text);
    const outside = { id: sent.json.data.id, code: sent.json.data.attributes.code };
    const target = await stack([
      invite("inv-removed", "removed@example.com"),
      invite("inv-expired", "expired@example.com"),
      invite("inv-deactivated", "deact@example.com"),
      member("member-removed", u0.username),
      member("member-deactivated", u1.username),
      {
        kind: "SpaceMembership",
        name: "space-removed",
        args: { account: workspace(), space, memberType: "User", memberToken: u2.token },
      },
      {
        kind: "OrgInvite",
        name: "org-deleted",
        args: { organizationId: org, recipientEmail: "gone@example.com" },
      },
      {
        kind: "OrgInvite",
        name: "org-cancelled",
        args: { organizationId: org, recipientEmail: "cancel@example.com" },
      },
      // An invite sent outside this stack and accepted by it: its deletion is the acceptance's own drift.
      {
        kind: "OrgInviteAcceptance",
        name: "accept",
        args: { organizationId: org, inviteId: outside.id, code: outside.code },
      },
    ]);
    await target.up();
    const clean = await target.preview();
    assert.deepEqual(reasonLines(clean.stdout + clean.stderr), [], "nothing printed without drift");

    const live = await memberships();
    const usernameOf = async (name: string) => String((await outputsOf(target, name)).memberUsername);
    const tokenOf = (username: string) =>
      live.find((m) => m.member_username === username)?.member_token ?? "";
    const removed = tokenOf(await usernameOf("inv-removed"));
    await ok(
      req("DELETE", `${emulator.modeApiUrl}/${workspace()}/memberships/${removed}`, { auth: modeAuth() }),
    );
    const deactUser = await usernameOf("inv-deactivated");
    await ok(control(emulator, "POST", "/mode/deactivate", { workspace: workspace(), username: deactUser }));
    await ok(control(emulator, "POST", "/clock/advance", { seconds: 8 * DAY }));
    await ok(
      req("DELETE", `${emulator.modeApiUrl}/${workspace()}/memberships/${u0.token}`, { auth: modeAuth() }),
    );
    await ok(
      control(emulator, "POST", "/mode/deactivate", { workspace: workspace(), username: u1.username }),
    );
    const spaceToken = String((await outputsOf(target, "space-removed")).token);
    await ok(
      req("DELETE", `${emulator.modeApiUrl}/${workspace()}/spaces/${space}/memberships/${spaceToken}`, {
        auth: modeAuth(),
      }),
    );
    const deleted = String((await outputsOf(target, "org-deleted")).inviteId);
    await ok(req("DELETE", `${orgUrl}/${deleted}`, { auth: bearer(seed().org.token) }));
    const cancelled = String((await outputsOf(target, "org-cancelled")).inviteId);
    await ok(control(emulator, "POST", "/org/cancel-invite", { organizationId: org, inviteId: cancelled }));
    await ok(req("DELETE", `${orgUrl}/${outside.id}`, { auth: bearer(seed().org.token) }));

    const expiresOn = String((await outputsOf(target, "inv-expired")).expiresAt).slice(0, 10);
    const preview = await target.preview();
    const lines = reasonLines(preview.stdout + preview.stderr);
    const ws0 = workspace();
    const expected = [
      `mode:WorkspaceInvite removed@example.com in ${ws0}: the invite or membership was removed outside Pulumi — up sends a new invite`,
      `mode:WorkspaceInvite expired@example.com in ${ws0}: the invite expired unaccepted on ${expiresOn} — up sends a new invite`,
      `mode:WorkspaceInvite deact@example.com in ${ws0}: the member was deactivated outside Pulumi — up sends a new invite`,
      `mode:WorkspaceMembership ${u0.username} in ${ws0}: the member was removed outside Pulumi — up fails until you invite them again (mode.WorkspaceInvite) or remove this resource`,
      `mode:WorkspaceMembership ${u1.username} in ${ws0}: the member was deactivated outside Pulumi — up removes the membership and fails until you invite them again (mode.WorkspaceInvite) or remove this resource`,
      `mode:SpaceMembership user ${u2.email} (${u2.token}) in space ${space} of ${ws0}: the membership was removed outside Pulumi — up adds it again`,
      `mode:OrgInvite gone@example.com in organization ${org}: the invite was deleted outside Pulumi — up sends a new invite`,
      `mode:OrgInvite cancel@example.com in organization ${org}: the invite was cancelled in Mode — up deletes it and sends a new invite`,
      `mode:OrgInviteAcceptance invite ${outside.id} in organization ${org}: the invite was deleted outside Pulumi — up tries to accept it again`,
    ];
    assert.deepEqual([...lines].sort(), [...expected].sort(), preview.stdout + preview.stderr);
    for (const secret of [seed().mode.secret, seed().mode.token, seed().org.token]) {
      assert.ok(!(preview.stdout + preview.stderr).includes(secret), "a credential in the preview output");
    }
  });

  it("destroy leaves none of the stack's workspace memberships: pending, accepted, expired invites and adopted members", async () => {
    const adoptee = seed().mode.users[3];
    const target = await stack([invite("accepted", "acc@example.com"), invite("expired", "exp@example.com")]);
    await target.up();
    await ok(
      control(emulator, "POST", "/mode/accept-invite", { workspace: workspace(), email: "acc@example.com" }),
    );
    await ok(control(emulator, "POST", "/clock/advance", { seconds: 8 * DAY }));
    // A pending invite and an adopted member join without touching the expired invite (--target).
    await declare(target, [
      invite("accepted", "acc@example.com"),
      invite("expired", "exp@example.com"),
      invite("pending", "pend@example.com"),
      member("adopted", adoptee.username),
    ]);
    const urn = (name: string, kind: string) =>
      `urn:pulumi:${target.stack}::access::pulumi-nodejs:dynamic/mode:${kind}::${name}`;
    await target.run([
      "up",
      "--yes",
      "--skip-preview",
      "--stack",
      target.stack,
      "--target",
      urn("pending", "WorkspaceInvite"),
      "--target",
      urn("adopted", "WorkspaceMembership"),
    ]);
    assert.equal((await outputsOf(target, "adopted")).adopted, true);
    const usernames = await Promise.all(
      ["accepted", "expired", "pending"].map(async (name) =>
        String((await outputsOf(target, name)).memberUsername),
      ),
    );
    const before = new Map((await memberships()).map((m) => [m.member_username, m.state]));
    assert.deepEqual(
      [...usernames, adoptee.username].map((u) => before.get(u)),
      ["active", "expired", "invited", "active"],
      "the four states are all present before destroy",
    );
    await target.destroy();
    const left = (await memberships()).map((m) => m.member_username);
    for (const username of [...usernames, adoptee.username]) {
      assert.ok(!left.includes(username), `${username} still has a workspace membership after destroy`);
    }
    assert.ok(left.includes(seed().mode.adminUsername), "the workspace's own admin is untouched");
  });

  it("WorkspaceMembership: adopts an existing member, shows its removal as drift, and a re-added member converges", async () => {
    const person = seed().mode.users[4];
    const target = await stack([member("analyst", person.username.toUpperCase())]);
    await target.up();
    const outs = await outputsOf(target, "analyst");
    assert.equal(outs.adopted, true);
    assert.equal(outs.memberToken, person.token);
    assert.equal(outs.state, "active");
    assert.deepEqual((await target.previewJson()).changeSummary, { same: 2 });

    await ok(
      req("DELETE", `${emulator.modeApiUrl}/${workspace()}/memberships/${person.token}`, {
        auth: modeAuth(),
      }),
    );
    const drift = await target.previewJson();
    const step = (drift.steps ?? []).find((s) => s.urn.endsWith("::analyst"));
    assert.equal(step?.op, "replace");
    const up = await target.up({ allowFailure: true });
    assert.notEqual(up.code, 0, "up cannot adopt a member who is gone");
    assert.match(
      up.stdout + up.stderr,
      new RegExp(`Cannot bring ${person.username.toUpperCase()} under management`),
    );
    assert.match(up.stdout + up.stderr, /declare a mode\.WorkspaceInvite/);

    await ok(control(emulator, "POST", "/mode/users", { workspace: workspace(), username: person.username }));
    await target.up();
    assert.deepEqual((await target.previewJson()).changeSummary, { same: 2 });
    await target.destroy();
    assert.ok(
      !(await memberships()).some((m) => m.member_username === person.username),
      "destroy removed the member",
    );
  });

  it("SCIM-managed and self memberships are never removed; destroy says why and what to do", async () => {
    const scim = seed().mode.users[0];
    const self = seed().mode.adminUsername;
    const target = await stack([member("scim", scim.username), member("self", self)]);
    await target.up();
    await ok(
      control(emulator, "POST", "/mode/scim", {
        workspace: workspace(),
        username: scim.username,
        managedByScim: true,
      }),
    );
    const destroy = await target.destroy({ allowFailure: true });
    const text = destroy.stdout + destroy.stderr;
    assert.notEqual(destroy.code, 0);
    assert.match(
      text,
      new RegExp(`Not removing ${scim.username} from ${workspace()}: the membership is managed by SCIM`),
    );
    assert.match(text, /Remove .* in your identity provider/);
    assert.match(text, new RegExp(`Not removing ${self} from ${workspace()}: Mode refused`));
    assert.match(text, /user whose API token this stack uses/);
    assert.match(text, /pulumi state delete/);
    assert.match(text, /retainOnDelete/);
    const left = (await memberships()).map((m) => m.member_username);
    assert.ok(left.includes(scim.username) && left.includes(self), "both memberships survive");
  });

  it("two resources on one remote object fail preview and up with the object named (plain values and Outputs); nothing is sent", async () => {
    const [u0] = seed().mode.users;
    const space = seed().mode.spaces[0];
    const org = seed().org.organizationId;
    const membership = { account: workspace(), space, memberType: "User", memberToken: u0.token };
    const target = await stack([
      { kind: "SpaceMembership", name: "first", args: membership },
      { kind: "SpaceMembership", name: "second", args: membership },
    ]);
    await control(emulator, "DELETE", "/requests");
    const preview = await target.preview({ allowFailure: true });
    assert.notEqual(preview.code, 0);
    assert.match(
      preview.stdout + preview.stderr,
      new RegExp(
        `mode:SpaceMembership "second" would manage user ${u0.token} in space ${space} of ${workspace()}, ` +
          `but mode:SpaceMembership "first" already manages`,
      ),
    );
    await declare(target, [
      { kind: "OrgInvite", name: "lower", args: { organizationId: org, recipientEmail: "dup@example.com" } },
      { kind: "OrgInvite", name: "upper", args: { organizationId: org, recipientEmail: "DUP@Example.com" } },
    ]);
    const up = await target.run(["up", "--yes", "--stack", target.stack], { allowFailure: true });
    assert.notEqual(up.code, 0);
    assert.match(
      up.stdout + up.stderr,
      /mode:OrgInvite "upper" would manage the invite of DUP@Example\.com to organization/,
    );
    // Values computed by other resources (Outputs) are claimed when they resolve; the conflicting
    // resource then fails its check with the same message.
    await target.setConfig("access:outputs", "true");
    for (const run of [
      () => target.preview({ allowFailure: true }),
      () => target.run(["up", "--yes", "--stack", target.stack], { allowFailure: true }),
    ]) {
      const failed = await run();
      assert.notEqual(failed.code, 0);
      assert.match(
        failed.stdout + failed.stderr,
        /has a problem: mode:OrgInvite "upper" would manage the invite of DUP@Example\.com to organization/,
      );
    }
    const log = (await control<{ total: number }>(emulator, "GET", "/requests")).json;
    assert.equal(log.total, 0, "a request reached the API");
  });
});
