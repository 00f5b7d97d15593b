/**
 * The SDK's read functions against the emulator, with credentials from the environment (the same
 * variables the provider reads when Pulumi config does not set them).
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  getOrgInvites,
  getSpaceMemberships,
  getWorkspaceMembership,
  getWorkspaceMemberships,
} from "../../sdk";
import { basic, bearer, req } from "../../testing/emulator-control";

describe("read functions", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const saved = { ...process.env };

  before(async () => {
    emulator = await startEmulator({ port: 0, modePageSize: 2 });
    Object.assign(process.env, {
      MODE_API_URL: emulator.modeApiUrl,
      MODE_API_TOKEN: emulator.seed.mode.token,
      MODE_API_SECRET: emulator.seed.mode.secret,
      MODE_ORG_API_URL: emulator.orgApiUrl,
      MODE_ORG_API_TOKEN: emulator.seed.org.token,
    });
  });

  after(async () => {
    process.env = saved;
    await emulator?.close();
  });

  it("getWorkspaceMemberships follows every page; getWorkspaceMembership reads one", async () => {
    const { workspace, memberships } = await getWorkspaceMemberships({
      workspace: emulator.seed.mode.workspace,
    });
    assert.equal(workspace, emulator.seed.mode.workspace);
    // The admin plus the seeded users, over pages of two.
    assert.equal(memberships.length, emulator.seed.mode.users.length + 1);
    const ada = memberships.find((m) => m.memberUsername === emulator.seed.mode.users[0].username);
    assert.ok(ada);
    assert.equal(ada.state, "active");
    const one = await getWorkspaceMembership({ workspace, membership: ada.memberToken });
    assert.deepEqual(one, { workspace, ...ada });
  });

  it("getSpaceMemberships lists a space's members", async () => {
    const seed = emulator.seed.mode;
    for (const user of seed.users.slice(0, 3)) {
      const res = await req(
        "POST",
        `${emulator.modeApiUrl}/${seed.workspace}/spaces/${seed.spaces[0]}/memberships`,
        {
          auth: basic(seed.token, seed.secret),
          body: { membership: { member_type: "User", member_token: user.token } },
        },
      );
      assert.equal(res.status, 200);
    }
    const result = await getSpaceMemberships({ account: seed.workspace, space: seed.spaces[0] });
    assert.deepEqual(
      result.memberships.map((m) => m.memberToken).sort(),
      seed.users
        .slice(0, 3)
        .map((u) => u.token)
        .sort(),
    );
    assert.deepEqual(
      result.memberships.map((m) => m.email).sort(),
      seed.users
        .slice(0, 3)
        .map((u) => u.email)
        .sort(),
    );
  });

  it("getOrgInvites filters admins and never returns invite codes", async () => {
    const org = emulator.seed.org.organizationId;
    for (const [email, role] of [
      ["a@example.com", "admin"],
      ["b@example.com", undefined],
    ] as const) {
      const res = await req("POST", `${emulator.orgApiUrl}/api/v2/organizations/${org}/invites`, {
        auth: bearer(emulator.seed.org.token),
        contentType: "application/vnd.api+json",
        body: {
          data: {
            type: "organization_invites",
            attributes: { recipient_email: email, invite_user_as: role },
          },
        },
      });
      assert.equal(res.status, 201);
    }
    const all = await getOrgInvites({ organizationId: org });
    assert.deepEqual(all.invites.map((i) => i.recipientEmail).sort(), ["a@example.com", "b@example.com"]);
    assert.ok(all.invites.every((i) => i.status === "pending" && i.acceptedAt === null));
    const admins = await getOrgInvites({ organizationId: org, inviteUserAs: "admin" });
    assert.deepEqual(
      admins.invites.map((i) => i.recipientEmail),
      ["a@example.com"],
    );
    assert.ok(!JSON.stringify(all).includes('"code"'));
  });

  it("a missing credential is a clear error before any request", async () => {
    const token = process.env.MODE_ORG_API_TOKEN;
    delete process.env.MODE_ORG_API_TOKEN;
    try {
      await assert.rejects(
        getOrgInvites({ organizationId: emulator.seed.org.organizationId }),
        /pulumi config set --secret mode:orgApiToken <value>` or set the MODE_ORG_API_TOKEN/,
      );
    } finally {
      process.env.MODE_ORG_API_TOKEN = token;
    }
  });
});
