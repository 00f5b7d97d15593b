/**
 * Lifecycle tests: each resource's provider is serialized exactly as the SDK serializes it,
 * evaluated in a separate process by the dynamic-provider host that ships in @pulumi/pulumi, and
 * driven over gRPC against the emulator: create, no-op diff, each drift case, refresh, replace,
 * delete, gone. Every "run" starts a fresh host process, as every `pulumi` command does.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { providerText } from "../../sdk/shim";
import type { ResourceKind } from "../../provider";
import { ProviderHost, UNKNOWN, urnFor } from "../../testing/provider-host";
import { basic, control, listAll, providerConfig, req } from "../../testing/emulator-control";

type Props = Record<string, unknown>;

describe("resource lifecycles through the dynamic-provider host", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let config: Record<string, string>;
  const serialized = new Map<ResourceKind, string>();
  const hosts: ProviderHost[] = [];

  before(async () => {
    emulator = await startEmulator({ port: 0, modePageSize: 2 });
    config = providerConfig(emulator);
    for (const kind of ["WorkspaceInvite", "SpaceMembership", "OrgInvite", "OrgInviteAcceptance"] as const) {
      serialized.set(kind, providerText(kind));
    }
  });

  after(async () => {
    for (const host of hosts) await host.stop().catch(() => undefined);
    await emulator?.close();
  });

  /** One Pulumi "run": a fresh host process, configured like the engine does it. */
  async function run(): Promise<ProviderHost> {
    const host = await ProviderHost.start();
    hosts.push(host);
    await host.configure(config);
    return host;
  }

  /** A resource driven the way the engine drives it; `state` holds the last outputs. */
  class Resource {
    state: Props = {};
    inputs: Props = {};
    id = "";
    constructor(
      readonly kind: ResourceKind,
      readonly name: string,
    ) {}
    get urn(): string {
      return urnFor(this.kind, this.name);
    }
    withProvider(props: Props): Props {
      return { ...props, __provider: serialized.get(this.kind) };
    }
    async create(host: ProviderHost, args: Props): Promise<Props> {
      const checked = await host.check(this.urn, {}, this.withProvider(args));
      assert.deepEqual(checked.failures, []);
      const created = await host.create(this.urn, checked.inputs);
      this.id = created.id;
      this.inputs = checked.inputs;
      this.state = created.properties;
      return created.properties;
    }
    async diff(host: ProviderHost, args?: Props) {
      const checked = await host.check(this.urn, this.state, this.withProvider(args ?? this.argsOf()));
      return host.diff(this.urn, this.id, this.state, checked.inputs);
    }
    argsOf(): Props {
      const { __provider: _p, ...rest } = this.inputs;
      return rest;
    }
    async refresh(host: ProviderHost) {
      const read = await host.read(this.urn, this.id, this.state, this.inputs);
      if (read.id) {
        this.state = read.properties;
        if (read.inputs) this.inputs = read.inputs;
      }
      return read;
    }
    async delete(host: ProviderHost): Promise<void> {
      await host.delete(this.urn, this.id, this.state);
    }
  }

  interface RequestLog {
    total: number;
    byRoute: Record<string, number>;
  }
  async function requestLog(): Promise<RequestLog> {
    return (await control<RequestLog>(emulator, "GET", "/requests")).json;
  }
  async function requestCount(): Promise<number> {
    return (await requestLog()).total;
  }
  /** Whether `username` has any membership (invited, active, expired or deactivated) in the workspace. */
  async function isMember(username: string): Promise<boolean> {
    const seed = emulator.seed.mode;
    const { all } = await listAll<{ member_username: string }>(
      `${emulator.modeApiUrl}/${seed.workspace}/memberships?per_page=1000`,
      basic(seed.token, seed.secret),
      "memberships",
    );
    return all.some((m) => m.member_username === username);
  }

  describe("WorkspaceInvite", () => {
    it("create → no-op diff → refresh → accepted is not drift → message update without re-send", async () => {
      const invite = new Resource("WorkspaceInvite", "ada");
      let host = await run();
      const outs = await invite.create(host, {
        workspace: emulator.seed.mode.workspace,
        email: "Ada.L@Example.com",
      });
      assert.equal(outs.status, "pending");
      assert.equal(outs.membershipState, "invited");
      assert.equal(outs.email, "Ada.L@Example.com");
      assert.match(String(outs.memberUsername), /^ada/);
      assert.ok(outs.expiresAt);

      host = await run();
      assert.equal((await invite.diff(host)).changes, "none");
      assert.equal(
        (await invite.diff(host, { ...invite.argsOf(), email: "ada.l@example.com" })).changes,
        "none",
      );
      const refreshed = await invite.refresh(host);
      assert.equal(refreshed.properties.status, "pending");
      assert.ok(refreshed.properties.memberToken, "refresh learns the membership token");
      assert.deepEqual(Object.keys(refreshed.inputs ?? {}).sort(), [
        "__provider",
        "email",
        "message",
        "workspace",
      ]);

      await control(emulator, "POST", "/mode/accept-invite", {
        workspace: emulator.seed.mode.workspace,
        email: "ada.l@example.com",
      });
      host = await run();
      assert.equal((await invite.diff(host)).changes, "none", "an accepted invite is not drift");
      assert.equal((await invite.refresh(host)).properties.status, "accepted");

      const sent = async () => (await requestLog()).byRoute["POST mode.invites.create"] ?? 0;
      const sentBefore = await sent();
      const changed = await invite.diff(host, { ...invite.argsOf(), message: "A new message" });
      assert.deepEqual(changed, { changes: "some", replaces: [], deleteBeforeReplace: false });
      const updated = await host.update(
        invite.urn,
        invite.id,
        invite.state,
        invite.withProvider({
          ...invite.argsOf(),
          message: "A new message",
        }),
      );
      assert.equal(updated.properties.message, "A new message");
      assert.equal(updated.properties.status, "accepted", "update returns every output");
      assert.equal(await sent(), sentBefore, "a changed message re-sends no invite");
      // Delete takes the access away: the member who accepted is removed from the workspace.
      const username = String(invite.state.memberUsername);
      assert.ok(await isMember(username), "a member before the delete");
      await invite.delete(host);
      assert.equal(await isMember(username), false, "delete removed the member who accepted");
    });

    for (const [label, act] of [
      [
        "expired unaccepted",
        async () => control(emulator, "POST", "/clock/advance", { seconds: 8 * 24 * 3600 }),
      ],
      [
        "deactivated",
        async (token: string) =>
          control(emulator, "POST", "/mode/deactivate", {
            workspace: emulator.seed.mode.workspace,
            memberToken: token,
          }),
      ],
      [
        "deleted",
        async (token: string) =>
          req("DELETE", `${emulator.modeApiUrl}/${emulator.seed.mode.workspace}/memberships/${token}`, {
            auth: basic(emulator.seed.mode.token, emulator.seed.mode.secret),
          }),
      ],
    ] as const) {
      it(`drift: an invite whose membership was ${label} is replaced (delete first), and refresh reports it`, async () => {
        const email = `drift-${label.split(" ")[0]}@example.com`;
        const invite = new Resource("WorkspaceInvite", email);
        let host = await run();
        await invite.create(host, { workspace: emulator.seed.mode.workspace, email });
        host = await run();
        const token = String((await invite.refresh(host)).properties.memberToken);
        const response = await act(token);
        assert.ok(response.status < 300, `out-of-band change failed: ${response.text}`);

        host = await run();
        assert.deepEqual(await invite.diff(host), {
          changes: "some",
          replaces: ["status"],
          deleteBeforeReplace: true,
        });
        const read = await invite.refresh(host);
        if (label === "deleted") assert.equal(read.id, "", "a vanished invite leaves the stack");
        else assert.equal(read.properties.membershipState, label.split(" ")[0]);

        // The diff printed the reason once, naming the invite by its email and workspace.
        const reasons = host.stderr
          .split("\n")
          .filter((line) => line.includes(`mode:WorkspaceInvite ${email} in`));
        assert.equal(reasons.length, 1, host.stderr);
        // The replacement: delete the old one (revokes what is left of it), create again (a fresh invite).
        const before = host.stderr.length;
        await invite.delete(host);
        assert.equal(
          await isMember(String(invite.state.memberUsername)),
          false,
          "nothing left after the delete",
        );
        assert.ok(!host.stderr.slice(before).includes(email), "no warning on delete");
        const recreated = await invite.create(host, invite.argsOf());
        assert.equal(recreated.status, "pending");
        host = await run();
        assert.equal((await invite.diff(host)).changes, "none", "the replacement converged");
        if (label === "expired unaccepted") await control(emulator, "POST", "/reset");
      });
    }

    it("a changed email is a replace; unknown inputs send no request", async () => {
      const invite = new Resource("WorkspaceInvite", "grace");
      const host = await run();
      await invite.create(host, { workspace: emulator.seed.mode.workspace, email: "grace@example.com" });
      assert.deepEqual(await invite.diff(host, { ...invite.argsOf(), email: "hopper@example.com" }), {
        changes: "some",
        replaces: ["email"],
        deleteBeforeReplace: true,
      });
      const before = await requestCount();
      for (const key of ["workspace", "email", "message"]) {
        const diff = await invite.diff(host, { ...invite.argsOf(), [key]: UNKNOWN });
        assert.equal(diff.changes, "some", key);
      }
      assert.equal(await requestCount(), before, "no request for unknown inputs");
      const username = String(invite.state.memberUsername);
      assert.ok(await isMember(username));
      await invite.delete(await run()); // a later run: the one that created it would leave it to a replacement
      assert.equal(await isMember(username), false, "the pending invite is revoked");
    });
  });

  describe("SpaceMembership", () => {
    it("create → adopt → no-op diff → removed out of band → replace → delete twice → gone", async () => {
      const seed = emulator.seed.mode;
      const args = {
        account: seed.workspace,
        space: seed.spaces[0],
        memberType: "User",
        memberToken: seed.users[0].token,
      };
      const membership = new Resource("SpaceMembership", "user0");
      let host = await run();
      const outs = await membership.create(host, args);
      assert.ok(outs.token);
      assert.equal(outs.email, seed.users[0].email);

      // The same member again (e.g. a lost response, or a second stack): adopted, not duplicated.
      const twin = new Resource("SpaceMembership", "user0-twin");
      assert.equal((await twin.create(host, args)).token, outs.token);

      host = await run();
      assert.equal((await membership.diff(host)).changes, "none");
      assert.equal((await membership.refresh(host)).properties.token, outs.token);

      await req(
        "DELETE",
        `${emulator.modeApiUrl}/${seed.workspace}/spaces/${seed.spaces[0]}/memberships/${outs.token}`,
        {
          auth: basic(seed.token, seed.secret),
        },
      );
      host = await run();
      assert.deepEqual(await membership.diff(host), {
        changes: "some",
        replaces: ["token"],
        deleteBeforeReplace: true,
      });
      assert.equal((await membership.refresh(host)).id, "", "refresh drops the vanished membership");

      await membership.delete(host); // already gone: success
      const recreated = await membership.create(host, args);
      assert.notEqual(recreated.token, outs.token);
      assert.deepEqual(
        await membership.diff(host, { ...args, memberType: "UserGroup", memberToken: seed.userGroups[0] }),
        {
          changes: "some",
          replaces: ["memberType", "memberToken"],
          deleteBeforeReplace: false,
        },
      );
      // A later run deletes it (a run that created an object leaves it to its new owner), twice.
      host = await run();
      await membership.delete(host);
      await membership.delete(host);
      host = await run();
      assert.equal((await membership.refresh(host)).id, "");
      const listed = await listAll<unknown>(
        `${emulator.modeApiUrl}/${seed.workspace}/spaces/${seed.spaces[0]}/memberships`,
        basic(seed.token, seed.secret),
        "memberships",
      );
      assert.equal(listed.all.length, 0, "nothing left behind");
    });

    it("an unknown space fails create with a clear error and leaves nothing", async () => {
      const seed = emulator.seed.mode;
      const host = await run();
      await assert.rejects(
        new Resource("SpaceMembership", "nowhere").create(host, {
          account: seed.workspace,
          space: "nosuchspace",
          memberType: "User",
          memberToken: seed.users[1].token,
        }),
        /404/,
      );
    });
  });

  describe("OrgInvite and OrgInviteAcceptance", () => {
    it("create → adopt → accept → adopt acceptance → no-op diffs → delete → gone", async () => {
      const org = emulator.seed.org.organizationId;
      const invite = new Resource("OrgInvite", "lead");
      let host = await run();
      const outs = await invite.create(host, {
        organizationId: org,
        recipientEmail: "Lead@Example.com",
        inviteUserAs: "admin",
      });
      assert.equal(outs.status, "pending");
      assert.equal(outs.acceptedAt, null);
      assert.match(String(outs.code), /^[0-9a-f]{64}$/);

      const twin = new Resource("OrgInvite", "lead-twin");
      assert.equal(
        (
          await twin.create(host, {
            organizationId: org,
            recipientEmail: "lead@example.com",
            inviteUserAs: "admin",
          })
        ).inviteId,
        outs.inviteId,
      );
      await assert.rejects(
        new Resource("OrgInvite", "lead-member").create(host, {
          organizationId: org,
          recipientEmail: "lead@example.com",
        }),
        /already exists with inviteUserAs "admin"/,
      );

      const acceptance = new Resource("OrgInviteAcceptance", "lead");
      await assert.rejects(
        acceptance.create(host, { organizationId: org, inviteId: outs.inviteId, code: "0".repeat(64) }),
        (err: Error) => !err.message.includes(String(outs.code)) && /422/.test(err.message),
      );
      const accepted = await acceptance.create(host, {
        organizationId: org,
        inviteId: outs.inviteId,
        code: outs.code,
      });
      assert.ok(accepted.acceptedAt);
      assert.ok(accepted.acceptedByUserId);
      const again = new Resource("OrgInviteAcceptance", "lead-again");
      assert.equal((await again.create(host, acceptance.argsOf())).acceptedAt, accepted.acceptedAt);

      host = await run();
      assert.equal((await invite.diff(host)).changes, "none", "an accepted invite is not drift");
      assert.equal((await invite.refresh(host)).properties.status, "accepted");
      assert.equal((await acceptance.diff(host)).changes, "none");

      await invite.delete(host);
      await invite.delete(host);
      host = await run();
      assert.equal((await invite.refresh(host)).id, "");
      assert.deepEqual((await acceptance.diff(host)).replaces, ["acceptedAt"]);
      assert.equal((await acceptance.refresh(host)).id, "");
      await acceptance.delete(host);
    });

    it("drift: an invite cancelled in the UI or deleted is replaced; refresh shows cancelled", async () => {
      const org = emulator.seed.org.organizationId;
      const invite = new Resource("OrgInvite", "cancelled");
      let host = await run();
      const outs = await invite.create(host, {
        organizationId: org,
        recipientEmail: "cancel.me@example.com",
      });
      await control(emulator, "POST", "/org/cancel-invite", { organizationId: org, inviteId: outs.inviteId });
      host = await run();
      assert.deepEqual(await invite.diff(host), {
        changes: "some",
        replaces: ["status"],
        deleteBeforeReplace: true,
      });
      assert.equal((await invite.refresh(host)).properties.status, "cancelled");
      await invite.delete(host);
      const recreated = await invite.create(host, invite.argsOf());
      assert.notEqual(recreated.inviteId, outs.inviteId);
      host = await run();
      assert.equal((await invite.diff(host)).changes, "none");
      await invite.delete(host);
    });
  });

  describe("unknown values", () => {
    it("every field of every resource: check accepts the placeholder; diff reports a change and sends no request", async () => {
      const seed = emulator.seed;
      const host = await run();
      const invite = new Resource("OrgInvite", "unknowns");
      const outs = await invite.create(host, {
        organizationId: seed.org.organizationId,
        recipientEmail: "u@example.com",
      });
      const cases: [Resource, Props][] = [
        [
          new Resource("WorkspaceInvite", "unknowns"),
          { workspace: seed.mode.workspace, email: "u@example.com" },
        ],
        [
          new Resource("SpaceMembership", "unknowns"),
          {
            account: seed.mode.workspace,
            space: seed.mode.spaces[1],
            memberType: "User",
            memberToken: seed.mode.users[2].token,
          },
        ],
        [invite, invite.argsOf()],
        [
          new Resource("OrgInviteAcceptance", "unknowns"),
          { organizationId: seed.org.organizationId, inviteId: outs.inviteId, code: outs.code },
        ],
      ];
      for (const [resource, args] of cases) {
        if (resource !== invite) await resource.create(host, args);
        const fields = Object.keys(resource.argsOf());
        const allUnknown = Object.fromEntries(fields.map((key) => [key, UNKNOWN]));
        const checked = await host.check(resource.urn, resource.state, resource.withProvider(allUnknown));
        assert.deepEqual(checked.failures, [], `${resource.kind}: check with every field unknown`);
        const before = await requestCount();
        for (const key of fields) {
          const diff = await resource.diff(host, { ...resource.argsOf(), [key]: UNKNOWN });
          assert.equal(diff.changes, "some", `${resource.kind}.${key} unknown is a change`);
        }
        assert.equal(await requestCount(), before, `${resource.kind}: no request while inputs are unknown`);
      }
    });
  });

  describe("secrets", () => {
    it("no credential or invite code appears in the serialized provider, the outputs' plain fields, or the host's logs", async () => {
      const org = emulator.seed.org.organizationId;
      const host = await run();
      const invite = new Resource("OrgInvite", "scan");
      const outs = await invite.create(host, { organizationId: org, recipientEmail: "scan@example.com" });
      const acceptance = new Resource("OrgInviteAcceptance", "scan");
      const accepted = await acceptance.create(host, {
        organizationId: org,
        inviteId: outs.inviteId,
        code: outs.code,
      });
      const ws = new Resource("WorkspaceInvite", "scan");
      const wsOuts = await ws.create(host, {
        workspace: emulator.seed.mode.workspace,
        email: "scan@example.com",
      });
      await ws.delete(host);

      const secrets = [
        emulator.seed.mode.token,
        emulator.seed.mode.secret,
        emulator.seed.org.token,
        String(outs.code),
      ];
      const { code: _code, ...plainOrgOutputs } = outs;
      const { code: _code2, ...plainAcceptanceOutputs } = accepted;
      const haystacks = {
        serializedProviders: [...serialized.values()].join("\n"),
        orgInviteOutputs: JSON.stringify(plainOrgOutputs),
        acceptanceOutputs: JSON.stringify(plainAcceptanceOutputs),
        workspaceInviteOutputs: JSON.stringify(wsOuts),
        hostLogs: hosts.map((h) => h.stderr + h.stdout).join("\n"),
      };
      for (const [where, text] of Object.entries(haystacks)) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `a secret leaked into ${where}`);
      }
      // The serialized provider captures only the package name and the kind.
      assert.match(haystacks.serializedProviders, /pulumi-mode/);
      assert.ok(!haystacks.serializedProviders.includes("/work/"), "no absolute path in the provider");
    });

    it("a missing credential is an error that names the config key and the environment variable", async () => {
      const host = await ProviderHost.start({ env: { MODE_API_TOKEN: "", MODE_API_SECRET: "" } });
      hosts.push(host);
      await host.configure({ "mode:apiUrl": emulator.modeApiUrl });
      await assert.rejects(
        new Resource("WorkspaceInvite", "nocreds").create(host, {
          workspace: emulator.seed.mode.workspace,
          email: "x@example.com",
        }),
        /pulumi config set --secret mode:apiToken .*MODE_API_TOKEN/,
      );
    });
  });
});
