/**
 * End to end through the real Pulumi engine: every example program, against a fresh emulator.
 *
 * up → preview shows no change → out-of-band changes (through the emulator's API or control
 * interface) → `pulumi preview --json` shows exactly the expected replaces, with the right property
 * names → up converges → refresh and preview show no change → destroy → the emulator holds nothing
 * the stack created. Credentials come from secret stack config; the state holds none in plain text.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  addGroupMemberOutside,
  basic,
  bearer,
  control,
  listAll,
  removeGroupMemberOutside,
  renameGroupOutside,
  req,
} from "../../testing/emulator-control";
import {
  engineOrSkip,
  PulumiWorkspace,
  repoRoot,
  type PreviewJson,
  type StackExport,
} from "../../testing/engine";

/** One expected non-`same` step of a preview: operation, resource name, replace reasons. */
interface ExpectedStep {
  op: string;
  name: string;
  replaceReasons?: string[];
}

/** An out-of-band change and the preview it must produce. */
interface DriftCase {
  name: string;
  act(ctx: Context): Promise<void>;
  expect: ExpectedStep[];
}

interface Context {
  emulator: RunningEmulator;
  ws: PulumiWorkspace;
  outputs(): Promise<Record<string, unknown>>;
  resourceOutputs(name: string): Promise<Record<string, unknown>>;
}

interface ExampleSpec {
  dir: string;
  config(emulator: RunningEmulator): Record<string, string>;
  resources: number;
  drift: DriftCase[];
  /** What else destroy must have left as the stack found it, read through the API (optional). */
  destroyed?(emulator: RunningEmulator): Promise<void>;
}

const DAY = 24 * 3600;

function modeAuth(emulator: RunningEmulator): string {
  return basic(emulator.seed.mode.token, emulator.seed.mode.secret);
}

async function ok(response: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await response;
  assert.ok(res.status < 300, `out-of-band change failed with ${res.status}: ${res.text}`);
}

async function deleteSpaceMembership(ctx: Context, resource: string): Promise<void> {
  const { account, space, token } = await ctx.resourceOutputs(resource);
  await ok(
    req("DELETE", `${ctx.emulator.modeApiUrl}/${account}/spaces/${space}/memberships/${token}`, {
      auth: modeAuth(ctx.emulator),
    }),
  );
}

async function deleteOrgInvite(ctx: Context, resource: string): Promise<void> {
  const { organizationId, inviteId } = await ctx.resourceOutputs(resource);
  await ok(
    req("DELETE", `${ctx.emulator.orgApiUrl}/api/v2/organizations/${organizationId}/invites/${inviteId}`, {
      auth: bearer(ctx.emulator.seed.org.token),
    }),
  );
}

async function memberToken(ctx: Context, email: string): Promise<string> {
  interface State {
    users: { id: number; email: string; token: string }[];
  }
  const state = (await control<State>(ctx.emulator, "GET", "/state")).json;
  const user = state.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  assert.ok(user, `no user ${email}`);
  return user.token;
}

/** Adds a user to a space outside Pulumi, through the API. */
async function addToSpace(ctx: Context, space: string, memberToken: string): Promise<void> {
  const { modeApiUrl, seed } = ctx.emulator;
  await ok(
    req("POST", `${modeApiUrl}/${seed.mode.workspace}/spaces/${space}/memberships`, {
      auth: modeAuth(ctx.emulator),
      body: { membership: { member_type: "User", member_token: memberToken } },
    }),
  );
}

/** Removes a member (user or group, by token) from a space outside Pulumi, through the API. */
async function removeFromSpace(ctx: Context, space: string, memberToken: string): Promise<void> {
  const { modeApiUrl, seed } = ctx.emulator;
  const url = `${modeApiUrl}/${seed.mode.workspace}/spaces/${space}/memberships`;
  const listing = await listAll<{ token: string; member_token: string }>(
    url,
    modeAuth(ctx.emulator),
    "memberships",
  );
  const found = listing.all.find((m) => m.member_token === memberToken);
  assert.ok(found, `${memberToken} is not in space ${space}`);
  await ok(req("DELETE", `${url}/${found.token}`, { auth: modeAuth(ctx.emulator) }));
}

const modeConfig = (e: RunningEmulator) => ({
  workspace: e.seed.mode.workspace,
  space: e.seed.mode.spaces[0],
  memberToken: e.seed.mode.users[0].token,
  groupToken: e.seed.mode.userGroups[0],
});

// ---- Mode's access model: collections, and who may reach each collection and data source ----------

/** Every item of a Mode list under `path` (relative to the workspace), read with the admin credentials. */
async function modeList<T>(emulator: RunningEmulator, path: string): Promise<T[]> {
  const res = await req<{ _embedded: Record<string, T[]> }>(
    "GET",
    `${emulator.modeApiUrl}/${emulator.seed.mode.workspace}${path}${path.includes("?") ? "&" : "?"}per_page=1000`,
    { auth: modeAuth(emulator) },
  );
  assert.equal(res.status, 200, res.text);
  return Object.values(res.json._embedded)[0] ?? [];
}

/** A permission as the API lists it. */
interface PermissionItem {
  token: string;
  action: string;
  accessor_token: string;
}

/** A target's grants as sorted `<accessor token>:<action>`. */
async function grantsOf(emulator: RunningEmulator, kind: "spaces" | "data_sources", target: string) {
  return (await modeList<PermissionItem>(emulator, `/${kind}/${target}/permissions`))
    .map((p) => `${p.accessor_token}:${p.action}`)
    .sort();
}

/** The active collection named `name` (asserted to be one). */
async function collectionNamed(emulator: RunningEmulator, name: string): Promise<{ token: string }> {
  const found = (await modeList<{ token: string; name: string }>(emulator, "/spaces")).filter(
    (s) => s.name === name,
  );
  assert.equal(found.length, 1, `collections named ${name}`);
  return found[0];
}

/** Changes a permission outside Pulumi: its action (`PATCH`), or removes it (`DELETE`). */
async function changeGrant(
  ctx: Context,
  kind: "spaces" | "data_sources",
  target: string,
  accessor: string,
  action?: string,
): Promise<void> {
  const { modeApiUrl, seed } = ctx.emulator;
  const found = (await modeList<PermissionItem>(ctx.emulator, `/${kind}/${target}/permissions`)).find(
    (p) => p.accessor_token === accessor,
  );
  assert.ok(found, `${accessor} holds no permission on ${target}`);
  const url = `${modeApiUrl}/${seed.mode.workspace}/${kind}/${target}/permissions/${found.token}`;
  await ok(
    action === undefined
      ? req("DELETE", url, { auth: modeAuth(ctx.emulator) })
      : req("PATCH", url, { auth: modeAuth(ctx.emulator), body: { permission: { action } } }),
  );
}

/** The token of the group the stack's `mode.Group` "analysts" made. */
async function analystsToken(ctx: Context): Promise<string> {
  return String((await ctx.resourceOutputs("analysts")).token);
}

/** Asserts that no active group is named `name` (destroy deleted the group the stack made). */
async function assertNoGroupNamed(emulator: RunningEmulator, name: string): Promise<void> {
  const names = (await modeList<{ name: string }>(emulator, "/groups")).map((g) => g.name);
  assert.ok(!names.includes(name), `the group ${name} is left behind`);
}

/** Grants `action` on a collection to a member outside Pulumi, through the API. */
async function grantOutside(ctx: Context, space: string, memberToken: string, action: string): Promise<void> {
  const { modeApiUrl, seed } = ctx.emulator;
  await ok(
    req("POST", `${modeApiUrl}/${seed.mode.workspace}/spaces/${space}/permissions`, {
      auth: modeAuth(ctx.emulator),
      body: { permission: { action, accessor_type: "Account", accessor_token: memberToken } },
    }),
  );
}

/** Changes a collection outside Pulumi (`PATCH`). */
async function changeCollection(ctx: Context, token: string, space: Record<string, string>): Promise<void> {
  const { modeApiUrl, seed } = ctx.emulator;
  await ok(
    req("PATCH", `${modeApiUrl}/${seed.mode.workspace}/spaces/${token}`, {
      auth: modeAuth(ctx.emulator),
      body: { space },
    }),
  );
}

const ACCESS_EXAMPLES: ExampleSpec[] = [
  {
    dir: "collection",
    config: (e) => ({ workspace: e.seed.mode.workspace }),
    resources: 1,
    drift: [
      {
        name: "the collection is renamed and opened for editing outside Pulumi",
        act: async (ctx) => {
          const { token } = await collectionNamed(ctx.emulator, "Quarterly reports");
          await changeCollection(ctx, token, { name: "Old reports", default_access_level: "edit" });
        },
        expect: [{ op: "update", name: "Collection:reports" }],
      },
    ],
    destroyed: async (e) => {
      const names = (await modeList<{ name: string }>(e, "/spaces")).map((s) => s.name);
      assert.ok(!names.includes("Quarterly reports"), "the collection is left behind");
    },
  },
  {
    dir: "collection-access",
    config: (e) => ({
      workspace: e.seed.mode.workspace,
      username: e.seed.mode.users[1].username,
    }),
    resources: 3,
    drift: [
      {
        name: "the group's grant is removed, someone else is granted and the collection opened, outside Pulumi",
        act: async (ctx) => {
          const { token } = await collectionNamed(ctx.emulator, "Finance");
          await changeGrant(ctx, "spaces", token, await analystsToken(ctx));
          await grantOutside(ctx, token, ctx.emulator.seed.mode.users[2].token, "edit");
          await changeCollection(ctx, token, { default_access_level: "view" });
        },
        expect: [{ op: "update", name: "CollectionAccess:finance-access" }],
      },
    ],
    destroyed: async (e) => {
      const names = (await modeList<{ name: string }>(e, "/spaces")).map((s) => s.name);
      assert.ok(!names.includes("Finance"), "the collection is left behind");
      await assertNoGroupNamed(e, "Analysts");
    },
  },
  {
    dir: "collection-permission",
    config: (e) => ({
      workspace: e.seed.mode.workspace,
      space: e.seed.mode.spaces[0],
      username: e.seed.mode.users[1].username,
    }),
    resources: 1,
    drift: [
      {
        name: "the member's action is changed outside Pulumi",
        act: (ctx) =>
          changeGrant(
            ctx,
            "spaces",
            ctx.emulator.seed.mode.spaces[0],
            ctx.emulator.seed.mode.users[1].token,
            "view",
          ),
        expect: [{ op: "update", name: "CollectionPermission:editor" }],
      },
      {
        name: "the member's grant is removed outside Pulumi",
        act: (ctx) =>
          changeGrant(ctx, "spaces", ctx.emulator.seed.mode.spaces[0], ctx.emulator.seed.mode.users[1].token),
        expect: [{ op: "replace", name: "CollectionPermission:editor", replaceReasons: ["permissionToken"] }],
      },
    ],
    destroyed: async (e) => {
      // Only the seed's grants stay on Space 1: Group 1 view, ada edit.
      const { spaces, userGroups, users } = e.seed.mode;
      assert.deepEqual(
        await grantsOf(e, "spaces", spaces[0]),
        [`${userGroups[0]}:view`, `${users[0].token}:edit`].sort(),
      );
    },
  },
  {
    dir: "data-source-permission",
    config: (e) => ({
      workspace: e.seed.mode.workspace,
      dataSource: e.seed.mode.dataSources[0].token,
      username: e.seed.mode.users[1].username,
    }),
    resources: 3,
    drift: [
      {
        name: "the group's grant is removed outside Pulumi",
        act: async (ctx) =>
          changeGrant(
            ctx,
            "data_sources",
            ctx.emulator.seed.mode.dataSources[0].token,
            await analystsToken(ctx),
          ),
        expect: [
          { op: "replace", name: "DataSourcePermission:analysts-query", replaceReasons: ["permissionToken"] },
        ],
      },
    ],
    destroyed: async (e) => {
      // The stack's grants (the Analysts group's, the person's) are revoked and the group deleted; the
      // seed's grants (Group 1 query, ada view) stay.
      const { dataSources, userGroups, users } = e.seed.mode;
      assert.deepEqual(
        await grantsOf(e, "data_sources", dataSources[0].token),
        [`${userGroups[0]}:query`, `${users[0].token}:view`].sort(),
      );
      await assertNoGroupNamed(e, "Analysts");
    },
  },
];

const EXAMPLES: ExampleSpec[] = [
  {
    dir: "workspace-invite",
    config: (e) => ({ workspace: e.seed.mode.workspace }),
    resources: 2,
    drift: [
      {
        name: "the analyst accepts (not drift)",
        act: async (ctx) =>
          ok(
            control(ctx.emulator, "POST", "/mode/accept-invite", {
              workspace: ctx.emulator.seed.mode.workspace,
              email: "grace.analyst@example.com",
            }),
          ),
        expect: [],
      },
      {
        name: "eight days pass: the engineer's invite expires unaccepted",
        act: async (ctx) => ok(control(ctx.emulator, "POST", "/clock/advance", { seconds: 8 * DAY })),
        expect: [{ op: "replace", name: "WorkspaceInvite:engineer", replaceReasons: ["status"] }],
      },
      {
        name: "an admin deactivates the analyst",
        act: async (ctx) =>
          ok(
            control(ctx.emulator, "POST", "/mode/deactivate", {
              workspace: ctx.emulator.seed.mode.workspace,
              memberToken: await memberToken(ctx, "grace.analyst@example.com"),
            }),
          ),
        expect: [{ op: "replace", name: "WorkspaceInvite:analyst", replaceReasons: ["status"] }],
      },
      {
        name: "the engineer's membership is removed",
        act: async (ctx) => {
          const token = await memberToken(ctx, "linus.engineer@example.com");
          await ok(
            req(
              "DELETE",
              `${ctx.emulator.modeApiUrl}/${ctx.emulator.seed.mode.workspace}/memberships/${token}`,
              {
                auth: modeAuth(ctx.emulator),
              },
            ),
          );
        },
        expect: [{ op: "replace", name: "WorkspaceInvite:engineer", replaceReasons: ["status"] }],
      },
    ],
  },
  {
    dir: "workspace-membership",
    config: (e) => ({ workspace: e.seed.mode.workspace, username: e.seed.mode.users[1].username }),
    resources: 1,
    drift: [
      {
        name: "an admin makes the member an admin in Mode's UI (not drift: refresh records it)",
        act: async (ctx) =>
          ok(
            control(ctx.emulator, "POST", "/mode/admin", {
              workspace: ctx.emulator.seed.mode.workspace,
              username: ctx.emulator.seed.mode.users[1].username,
              admin: true,
            }),
          ),
        expect: [],
      },
    ],
  },
  {
    dir: "space-membership",
    config: modeConfig,
    resources: 2,
    drift: [
      {
        name: "the user is removed from the space",
        act: (ctx) => deleteSpaceMembership(ctx, "user"),
        expect: [{ op: "replace", name: "SpaceMembership:user", replaceReasons: ["token"] }],
      },
      {
        name: "the user and the group are both removed",
        act: async (ctx) => {
          await deleteSpaceMembership(ctx, "user");
          await deleteSpaceMembership(ctx, "group");
        },
        expect: [
          { op: "replace", name: "SpaceMembership:group", replaceReasons: ["token"] },
          { op: "replace", name: "SpaceMembership:user", replaceReasons: ["token"] },
        ],
      },
    ],
  },
  {
    dir: "org-invite",
    config: (e) => ({ organizationId: e.seed.org.organizationId }),
    resources: 2,
    drift: [
      {
        name: "the member invite is cancelled in the UI",
        act: async (ctx) => {
          const { organizationId, inviteId } = await ctx.resourceOutputs("member");
          await ok(control(ctx.emulator, "POST", "/org/cancel-invite", { organizationId, inviteId }));
        },
        expect: [{ op: "replace", name: "OrgInvite:member", replaceReasons: ["status"] }],
      },
      {
        name: "the admin invite is deleted",
        act: (ctx) => deleteOrgInvite(ctx, "admin"),
        expect: [{ op: "replace", name: "OrgInvite:admin", replaceReasons: ["status"] }],
      },
    ],
  },
  {
    dir: "org-invite-acceptance",
    config: (e) => ({ organizationId: e.seed.org.organizationId }),
    resources: 2,
    drift: [
      {
        name: "the accepted invite is deleted",
        act: (ctx) => deleteOrgInvite(ctx, "service-account"),
        expect: [
          { op: "replace", name: "OrgInvite:service-account", replaceReasons: ["status"] },
          // The invite is deleted before it is replaced, so the engine replaces what depends on it.
          { op: "replace", name: "OrgInviteAcceptance:service-account" },
        ],
      },
    ],
  },
  {
    dir: "space-members",
    config: modeConfig,
    resources: 1,
    drift: [
      {
        name: "a user is added to the space and the group removed, outside Pulumi",
        act: async (ctx) => {
          const { spaces, users, userGroups } = ctx.emulator.seed.mode;
          await addToSpace(ctx, spaces[0], users[1].token);
          await removeFromSpace(ctx, spaces[0], userGroups[0]);
        },
        expect: [{ op: "update", name: "SpaceMembers:analytics" }],
      },
    ],
  },
  {
    dir: "workspace-members",
    config: (e) => ({ workspace: e.seed.mode.workspace }),
    resources: 3,
    drift: [
      {
        name: "someone joins the workspace and someone else is invited, outside Pulumi",
        act: async (ctx) => {
          const { workspace } = ctx.emulator.seed.mode;
          await ok(control(ctx.emulator, "POST", "/mode/users", { workspace, username: "mallory" }));
          await ok(
            req("POST", `${ctx.emulator.modeApiUrl}/${workspace}/invites`, {
              auth: modeAuth(ctx.emulator),
              body: { invite: { invitee: { email: "eve@example.com" }, message: "hi" } },
            }),
          );
        },
        expect: [{ op: "update", name: "WorkspaceMembers:everyone" }],
      },
    ],
  },
  {
    dir: "groups",
    config: (e) => ({
      workspace: e.seed.mode.workspace,
      username: e.seed.mode.users[1].username,
      secondUsername: e.seed.mode.users[2].username,
      groupToken: e.seed.mode.userGroups[0],
    }),
    resources: 3,
    drift: [
      {
        name: "someone joins the Analysts group and an analyst leaves it, outside Pulumi",
        act: async (ctx) => {
          const { workspace, users } = ctx.emulator.seed.mode;
          const { groupToken } = await ctx.outputs();
          await addGroupMemberOutside(ctx.emulator, workspace, String(groupToken), {
            username: users[0].username,
          });
          await removeGroupMemberOutside(ctx.emulator, workspace, String(groupToken), {
            username: users[2].username,
          });
        },
        expect: [{ op: "update", name: "GroupMembers:analysts" }],
      },
      {
        name: "the Analysts group is renamed outside Pulumi",
        act: async (ctx) => {
          const { groupToken } = await ctx.outputs();
          await renameGroupOutside(
            ctx.emulator,
            ctx.emulator.seed.mode.workspace,
            String(groupToken),
            "Data team",
          );
        },
        expect: [{ op: "update", name: "Group:analysts" }],
      },
      {
        name: "the reviewer is removed from the existing group outside Pulumi",
        act: async (ctx) => {
          const { workspace, userGroups, users } = ctx.emulator.seed.mode;
          await removeGroupMemberOutside(ctx.emulator, workspace, userGroups[0], {
            username: users[1].username,
          });
        },
        expect: [{ op: "replace", name: "GroupMembership:reviewer", replaceReasons: ["membershipToken"] }],
      },
    ],
  },
  {
    dir: "combined",
    config: (e) => ({
      workspace: e.seed.mode.workspace,
      username: e.seed.mode.users[1].username,
      secondUsername: e.seed.mode.users[2].username,
      collection: e.seed.mode.spaces[2],
      space: e.seed.mode.spaces[0],
      memberToken: e.seed.mode.users[0].token,
      organizationId: e.seed.org.organizationId,
    }),
    resources: 8,
    drift: [
      {
        name: "the group loses space access, the collection is shared with someone else and the analyst's invite expires",
        act: async (ctx) => {
          const { spaces, users } = ctx.emulator.seed.mode;
          await deleteSpaceMembership(ctx, "group-access");
          await grantOutside(ctx, spaces[2], users[0].token, "edit");
          await ok(control(ctx.emulator, "POST", "/clock/advance", { seconds: 8 * DAY }));
        },
        expect: [
          { op: "replace", name: "WorkspaceInvite:analyst", replaceReasons: ["status"] },
          { op: "replace", name: "SpaceMembership:group-access", replaceReasons: ["token"] },
          { op: "update", name: "CollectionAccess:collection-access" },
        ],
      },
    ],
    destroyed: async (e) => {
      // The restricted collection is as the stack found it: no grants, open for editing; no Analysts.
      const collection = e.seed.mode.collections[2];
      assert.deepEqual(await grantsOf(e, "spaces", collection.token), []);
      const live = await req<{ default_access_level: string }>(
        "GET",
        `${e.modeApiUrl}/${e.seed.mode.workspace}/spaces/${collection.token}`,
        { auth: modeAuth(e) },
      );
      assert.equal(live.json.default_access_level, collection.defaultAccessLevel);
      await assertNoGroupNamed(e, "Analysts");
    },
  },
  ...ACCESS_EXAMPLES,
];

/** Steps in a canonical order with sorted reasons, so two lists compare with deepEqual. */
function canonical(steps: ExpectedStep[]): ExpectedStep[] {
  const key = (s: ExpectedStep) => `${s.name} ${s.op} ${JSON.stringify(s.replaceReasons ?? [])}`;
  return steps
    .map((s) => (s.replaceReasons ? { ...s, replaceReasons: [...s.replaceReasons].sort() } : { ...s }))
    .sort((a, b) => key(a).localeCompare(key(b)));
}

/** The non-`same` steps of a preview (the stack itself aside), canonically ordered. */
function changes(preview: PreviewJson): ExpectedStep[] {
  return canonical(
    (preview.steps ?? [])
      .filter((step) => step.op !== "same" && !step.urn.includes("pulumi:pulumi:Stack"))
      .map((step) => {
        const [type, name] = step.urn.split("::").slice(-2);
        const result: ExpectedStep = { op: step.op, name: `${type.split(":").pop()}:${name}` };
        const reasons = step.replaceReasons as string[] | undefined;
        if (reasons && reasons.length > 0) result.replaceReasons = reasons;
        return result;
      }),
  );
}

function assertNoChanges(preview: PreviewJson, when: string): void {
  assert.deepEqual(changes(preview), [], `${when}: the preview should show no change`);
}

/** The plain value of a decrypted secret output (`{plaintext: "<json>"}`) or of a plain string. */
function plaintext(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "plaintext" in value) {
    const parsed: unknown = JSON.parse(String((value as { plaintext: unknown }).plaintext));
    return typeof parsed === "string" ? parsed : undefined;
  }
  return undefined;
}

function modeResources(
  state: StackExport,
): { type: string; name: string; outputs: Record<string, unknown> }[] {
  return (state.deployment.resources ?? [])
    .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/mode:"))
    .map((r) => ({ type: r.type, name: r.urn.split("::").pop() ?? "", outputs: r.outputs ?? {} }));
}

describe("end to end through the real Pulumi engine", function () {
  before(async function () {
    await engineOrSkip(this, "the end-to-end tests");
  });

  for (const example of EXAMPLES) {
    describe(`examples/${example.dir}`, function () {
      this.timeout(5 * 60 * 1000);
      let emulator: RunningEmulator;
      let ws: PulumiWorkspace;
      let ctx: Context;
      const secrets: string[] = [];

      before(async () => {
        emulator = await startEmulator({ port: 0 });
        ws = await PulumiWorkspace.create({
          programDir: path.join(repoRoot(), "examples", example.dir),
          // The examples are type-checked by `npm test` itself; here ts-node only transpiles.
          env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
        });
        const credentials = {
          "mode:apiToken": emulator.seed.mode.token,
          "mode:apiSecret": emulator.seed.mode.secret,
          "mode:orgApiToken": emulator.seed.org.token,
        };
        secrets.push(...Object.values(credentials));
        for (const [key, value] of Object.entries(credentials))
          await ws.setConfig(key, value, { secret: true });
        await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
        await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
        for (const [key, value] of Object.entries(example.config(emulator))) await ws.setConfig(key, value);
        ctx = {
          emulator,
          ws,
          outputs: () => ws.outputs(),
          resourceOutputs: async (name) => {
            const found = modeResources(await ws.stackExport()).filter((r) => r.name === name);
            assert.ok(found.length > 0, `no resource ${name} in the stack`);
            return found[0].outputs;
          },
        };
      });

      after(async () => {
        await ws?.dispose();
        await emulator?.close();
      });

      it("up creates every resource, and a preview right after shows no change", async () => {
        await ws.up();
        const state = await ws.stackExport();
        assert.equal(modeResources(state).length, example.resources);
        const preview = await ws.previewJson();
        assertNoChanges(preview, "after up");
        // Mode deprecated the space-membership endpoint: one warning per run, only where it is used.
        const deprecations = (preview.diagnostics ?? []).filter((d) =>
          d.message.includes("deprecated the Space Memberships endpoint"),
        );
        const usesSpaceMemberships = modeResources(state).some((r) => r.type.endsWith(":SpaceMembership"));
        assert.equal(deprecations.length, usesSpaceMemberships ? 1 : 0);
      });

      for (const drift of example.drift) {
        it(`drift: ${drift.name} → preview shows exactly that → up converges → refresh and preview are clean`, async () => {
          await drift.act(ctx);
          const preview = await ws.previewJson();
          assert.deepEqual(changes(preview), canonical(drift.expect));
          await ws.up();
          assertNoChanges(await ws.previewJson(), "after the repairing up");
          await ws.refresh();
          assertNoChanges(await ws.previewJson(), "after refresh");
        });
      }

      it("the state holds no credential and no invite code in plain text", async () => {
        const state = await ws.stackExport();
        const text = JSON.stringify(state);
        for (const resource of modeResources(state)) {
          const code = resource.outputs.code;
          if (code !== undefined) {
            assert.ok(
              typeof code === "object" && code !== null && "ciphertext" in code,
              `${resource.name}.code is not a secret`,
            );
          }
        }
        const decrypted = await ws.run(["stack", "export", "--show-secrets", "--stack", ws.stack]);
        const codes = modeResources(JSON.parse(decrypted.stdout) as StackExport)
          .map((r) => plaintext(r.outputs.code))
          .filter((code): code is string => code !== undefined);
        assert.equal(codes.length, modeResources(state).filter((r) => r.outputs.code !== undefined).length);
        secrets.push(...codes);
        for (const secret of secrets)
          assert.ok(!text.includes(secret), "a secret is in the state in plain text");
      });

      it("destroy removes everything the stack created from the emulator", async () => {
        await ws.destroy();
        assert.equal(modeResources(await ws.stackExport()).length, 0);
        interface State {
          spaceMemberships: unknown[];
          orgInvites: { cancelledByUserId?: string | null; acceptedAt?: string | null }[];
        }
        const state = (await control<State>(emulator, "GET", "/state")).json;
        assert.deepEqual(state.spaceMemberships, [], "space memberships left behind");
        assert.deepEqual(state.orgInvites, [], "organization invites left behind");
        await example.destroyed?.(emulator);
      });
    });
  }
});
