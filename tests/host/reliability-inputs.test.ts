/**
 * Bad input, every field of every resource kind listed below (the access model's seven among them),
 * through the dynamic-provider host (the provider
 * serialized and run exactly as the engine runs it) against the emulator:
 * - invalid and unusual values (empty, whitespace-only, `../`, `/`, `?`, `#`, `%2F`, unicode,
 *   10,000 characters, wrong types, a wrong `memberType`) get a `check` failure naming the field,
 *   and nothing is sent;
 * - the unknown placeholder passes `check` in every field and nothing is sent;
 * - unusual values that are valid are sent correctly encoded to the intended route only;
 * - even when `check` is bypassed, a hostile path value never reaches another endpoint and leaves
 *   nothing half-created.
 */
import { strict as assert } from "node:assert";
import { startEmulator, type RunningEmulator } from "../../emulator";
import type { ResourceKind } from "../../provider";
import { providerText } from "../../sdk/shim";
import { control, providerConfig } from "../../testing/emulator-control";
import { collect, emulatorState, requestCounts, type EmulatorState } from "../../testing/fault-stack";
import { ProviderHost, UNKNOWN, urnFor } from "../../testing/provider-host";

type Props = Record<string, unknown>;

const LONG = "x".repeat(10_000);
/** Values no path segment (workspace, account, space, token, id) may take. */
const BAD_SEGMENTS: unknown[] = [
  "",
  "   ",
  "../admin",
  "..",
  "a/b",
  "a?b=c",
  "a#b",
  "a%2Fb",
  "a b",
  "zoë",
  "😀",
  LONG,
  42,
  true,
  ["a"],
  { a: 1 },
];
const BAD_EMAILS: unknown[] = [
  "",
  "   ",
  "plainaddress",
  "a@b",
  "a b@example.com",
  "a@@example.com",
  "@example.com",
  `${LONG}@example.com`,
  "a@exa\nmple.com",
  "tab\t@example.com",
  42,
  ["a@example.com"],
];

/** Values no name (of a group or collection) may take: empty, control characters, too long, not text. */
const BAD_NAMES: unknown[] = [
  "",
  "   ",
  "a\nb",
  "tab\tname",
  "nul\u0000",
  "x".repeat(256),
  LONG,
  42,
  true,
  ["a"],
  { a: 1 },
];
/** Values no list of usernames may take. */
const BAD_USERNAMES: unknown[] = [
  "ada",
  42,
  { a: 1 },
  [""],
  ["   "],
  ["../admin"],
  ["a/b"],
  ["a b"],
  [42],
  [LONG],
];
/** Values the removal policy's arguments may not take. */
const BAD_UNMANAGED: unknown[] = ["", "keep", "Remove", "REPORT", LONG, 1, true];
const BAD_MAX_REMOVALS: unknown[] = [-1, 1.5, "3", true, ["1"]];
/** Values no action may take on any target. */
const BAD_ACTIONS: unknown[] = ["", "   ", "View", "admin", "owner", LONG, 1, null, ["view"]];
const BAD_LEVELS: unknown[] = ["", "Restricted", "private", "none", LONG, 1, true];

interface FieldSpec {
  field: string;
  bad: unknown[];
}

interface KindSpec {
  kind: ResourceKind;
  valid(e: RunningEmulator): Props;
  fields: FieldSpec[];
  /** Fields whose value must never appear in a failure message. */
  secret?: string[];
  /** Fields that may be left out (the valid inputs may lack them too). */
  optional?: string[];
  /**
   * How a missing required field is refused when not as `<field> is required` on that field (an
   * accessor: neither `username` nor `group` given is refused on `username`, naming both).
   */
  missing?: Record<string, { property: string; reason: RegExp }>;
  /** A field that replaces another (`group` for `username`): given alone, the other is left out. */
  replaces?: Record<string, string>;
  /** Outputs a stored state adds to the valid inputs (for a diff against it). */
  stored?(e: RunningEmulator): Props;
  /** Unknowns inside a field (a list's element), each passing check and sending nothing. */
  nestedUnknowns?: Props[];
}

const KINDS: KindSpec[] = [
  {
    kind: "WorkspaceInvite",
    valid: (e) => ({ workspace: e.seed.mode.workspace, email: "valid@example.com", message: "hi" }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "email", bad: BAD_EMAILS },
      { field: "message", bad: [LONG, "y".repeat(1001), 42, false, ["m"]] },
    ],
  },
  {
    kind: "SpaceMembership",
    valid: (e) => ({
      account: e.seed.mode.workspace,
      space: e.seed.mode.spaces[0],
      memberType: "User",
      memberToken: e.seed.mode.users[0].token,
    }),
    fields: [
      { field: "account", bad: BAD_SEGMENTS },
      { field: "space", bad: BAD_SEGMENTS },
      { field: "memberType", bad: ["", "   ", "user", "USER", "Admin", "User ", "Group", LONG, 1, null] },
      { field: "memberToken", bad: BAD_SEGMENTS },
    ],
  },
  {
    kind: "OrgInvite",
    valid: (e) => ({ organizationId: e.seed.org.organizationId, recipientEmail: "valid@example.com" }),
    fields: [
      { field: "organizationId", bad: BAD_SEGMENTS },
      { field: "recipientEmail", bad: BAD_EMAILS },
      { field: "inviteUserAs", bad: ["", "Admin", "member", "owner", LONG, 1, true] },
    ],
  },
  {
    kind: "OrgInviteAcceptance",
    valid: (e) => ({ organizationId: e.seed.org.organizationId, inviteId: "invite1", code: "abc123" }),
    fields: [
      { field: "organizationId", bad: BAD_SEGMENTS },
      { field: "inviteId", bad: BAD_SEGMENTS },
      { field: "code", bad: BAD_SEGMENTS.filter((v) => v !== "..") },
    ],
    secret: ["code"],
  },
  {
    kind: "Group",
    valid: (e) => ({ workspace: e.seed.mode.workspace, name: "Analysts" }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "name", bad: BAD_NAMES },
    ],
    stored: () => ({ token: "g1" }),
  },
  {
    kind: "GroupMembership",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      group: e.seed.mode.userGroups[0],
      username: e.seed.mode.users[0].username,
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "group", bad: BAD_SEGMENTS },
      { field: "username", bad: BAD_SEGMENTS },
    ],
    stored: () => ({ memberToken: "u1", membershipToken: "m1" }),
  },
  {
    kind: "GroupMembers",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      group: e.seed.mode.userGroups[0],
      usernames: e.seed.mode.groups[0].members,
      unmanaged: "report",
      maxRemovals: 2,
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "group", bad: BAD_SEGMENTS },
      { field: "usernames", bad: BAD_USERNAMES },
      { field: "unmanaged", bad: BAD_UNMANAGED },
      { field: "maxRemovals", bad: BAD_MAX_REMOVALS },
    ],
    optional: ["unmanaged", "maxRemovals"],
    // The state keeps the `unmanaged` argument as `unmanagedMode` (the output `unmanaged` lists who).
    stored: () => ({ members: [], missing: [], unmanaged: [], unmanagedMode: "report" }),
    nestedUnknowns: [{ usernames: ["ada", UNKNOWN] }],
  },
  {
    kind: "Collection",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      name: "Finance",
      description: "Reports of the finance team",
      defaultAccess: "restricted",
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "name", bad: BAD_NAMES },
      { field: "description", bad: ["nul\u0000", "bell\u0007", "x".repeat(10_001), 42, false, ["d"]] },
      { field: "defaultAccess", bad: BAD_LEVELS },
    ],
    optional: ["description", "defaultAccess"],
    stored: () => ({
      token: "c1",
      modeId: "1",
      spaceType: "custom",
      state: "active",
      restricted: true,
      adopted: false,
    }),
  },
  {
    kind: "CollectionPermission",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      collection: e.seed.mode.spaces[2],
      username: e.seed.mode.users[1].username,
      action: "view",
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "collection", bad: BAD_SEGMENTS },
      { field: "username", bad: BAD_SEGMENTS },
      { field: "group", bad: BAD_SEGMENTS },
      { field: "action", bad: [...BAD_ACTIONS, "query", "manage"] },
    ],
    optional: ["group"],
    missing: {
      username: { property: "username", reason: /^give the member's username or the group's token/ },
    },
    replaces: { group: "username" },
    stored: () => ({ permissionToken: "p1", accessorType: "Account", accessorToken: "u1" }),
  },
  {
    kind: "CollectionAccess",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      collection: e.seed.mode.spaces[2],
      defaultAccess: "restricted",
      grants: [
        { username: e.seed.mode.users[0].username, action: "edit" },
        { group: e.seed.mode.userGroups[1], action: "view" },
      ],
      unmanaged: "report",
      maxRemovals: 0,
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "collection", bad: BAD_SEGMENTS },
      { field: "defaultAccess", bad: BAD_LEVELS },
      {
        field: "grants",
        bad: [
          "ada",
          42,
          { username: "ada", action: "view" },
          [{}],
          ["ada"],
          [{ action: "view" }],
          [{ username: "ada" }],
          [{ username: "ada", action: "manage" }],
          [{ username: "ada", group: "g1", action: "view" }],
          [{ username: "../admin", action: "view" }],
          [{ group: "a/b", action: "view" }],
          [{ username: "ada", action: "view", role: "x" }],
          [
            { username: "ada", action: "view" },
            { username: "ADA", action: "edit" },
          ],
          [
            { group: "g1", action: "view" },
            { group: "g1", action: "edit" },
          ],
        ],
      },
      { field: "unmanaged", bad: BAD_UNMANAGED },
      { field: "maxRemovals", bad: BAD_MAX_REMOVALS },
    ],
    optional: ["defaultAccess", "unmanaged", "maxRemovals"],
    stored: () => ({ resolvedGrants: [], missing: [], unmanaged: [], unmanagedMode: "report" }),
    nestedUnknowns: [
      { grants: [{ group: UNKNOWN, action: "view" }] },
      { grants: [{ username: "ada", action: UNKNOWN }] },
    ],
  },
  {
    kind: "DataSourcePermission",
    valid: (e) => ({
      workspace: e.seed.mode.workspace,
      dataSource: e.seed.mode.dataSources[2].token,
      group: e.seed.mode.userGroups[0],
      action: "query",
    }),
    fields: [
      { field: "workspace", bad: BAD_SEGMENTS },
      { field: "dataSource", bad: BAD_SEGMENTS },
      { field: "username", bad: BAD_SEGMENTS },
      { field: "group", bad: BAD_SEGMENTS },
      { field: "action", bad: [...BAD_ACTIONS, "edit"] },
    ],
    optional: ["username"],
    missing: { group: { property: "username", reason: /^give the member's username or the group's token/ } },
    replaces: { username: "group" },
    stored: () => ({ permissionToken: "p1", accessorType: "UserGroup", accessorToken: "g1" }),
  },
];

/** Objects in the emulator that a create could leave behind. */
function objectCount(state: EmulatorState): number {
  return (
    state.invites.length +
    state.spaceMemberships.length +
    state.orgInvites.length +
    state.userGroups.length +
    state.groupMemberships.length +
    state.spaces.length +
    state.permissions.length
  );
}

describe("reliability: bad input on every field of every resource (dynamic-provider host)", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let host: ProviderHost;
  const serialized = new Map<ResourceKind, string>();
  let cases = 0;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
    for (const spec of KINDS) serialized.set(spec.kind, providerText(spec.kind));
    host = await ProviderHost.start();
    await host.configure(providerConfig(emulator));
  });

  after(async () => {
    console.log(`      bad-input cases checked: ${cases}`);
    await host?.stop();
    await emulator?.close();
  });

  beforeEach(async () => {
    await control(emulator, "DELETE", "/requests");
  });

  const withProvider = (kind: ResourceKind, props: Props): Props => ({
    ...props,
    __provider: serialized.get(kind),
  });

  for (const spec of KINDS) {
    for (const { field, bad } of spec.fields) {
      it(`${spec.kind}.${field}: every bad value is a check failure naming ${field}; nothing is sent`, async () => {
        const urn = urnFor(spec.kind, `bad-${field}`);
        for (const value of bad) {
          const news = withProvider(spec.kind, { ...spec.valid(emulator), [field]: value });
          const { failures } = await host.check(urn, {}, news);
          const shown = JSON.stringify(value)?.slice(0, 40);
          assert.equal(failures.length, 1, `${spec.kind}.${field}=${shown}: ${JSON.stringify(failures)}`);
          assert.equal(failures[0].property, field);
          assert.match(failures[0].reason, new RegExp(`^${field}\\b`), failures[0].reason);
          assert.ok(failures[0].reason.length < 300, "the reason quotes a long value in full");
          if (spec.secret?.includes(field) && typeof value === "string" && value.trim().length > 2) {
            assert.ok(!failures[0].reason.includes(value.trim()), "a secret field's value is echoed");
          }
          collect(`check ${spec.kind}.${field}`, failures[0].reason);
          cases++;
        }
        assert.equal((await requestCounts(emulator)).total, 0, "check sent a request");
      });
    }

    it(`${spec.kind}: a missing required field is named; an unknown argument is named`, async () => {
      const urn = urnFor(spec.kind, "missing");
      const valid = spec.valid(emulator);
      for (const field of spec.fields.map((f) => f.field)) {
        const { [field]: _dropped, ...rest } = valid;
        const { failures } = await host.check(urn, {}, withProvider(spec.kind, rest));
        if (field === "message" || field === "inviteUserAs" || spec.optional?.includes(field)) {
          assert.deepEqual(failures, [], `${field} is optional`);
        } else {
          const expected = spec.missing?.[field] ?? {
            property: field,
            reason: new RegExp(`^${field} is required`),
          };
          assert.deepEqual(
            failures.map((f) => f.property),
            [expected.property],
          );
          assert.match(failures[0].reason, expected.reason);
        }
        cases++;
      }
      const { failures } = await host.check(urn, {}, withProvider(spec.kind, { ...valid, bogus: "x" }));
      assert.deepEqual(
        failures.map((f) => f.property),
        ["bogus"],
      );
    });

    it(`${spec.kind}: the unknown placeholder passes check in every field and nothing is sent`, async () => {
      const urn = urnFor(spec.kind, "unknowns");
      const unknowns: Props[] = [
        ...spec.fields.map(({ field }) => ({ [field]: UNKNOWN })),
        ...(spec.nestedUnknowns ?? []),
      ];
      for (const unknown of unknowns) {
        const what = `${spec.kind} ${JSON.stringify(unknown)}`;
        const given = { ...spec.valid(emulator), ...unknown };
        for (const [field, other] of Object.entries(spec.replaces ?? {}))
          if (field in unknown) delete given[other];
        const news = withProvider(spec.kind, given);
        const { failures } = await host.check(urn, {}, news);
        assert.deepEqual(failures, [], what);
        // A diff against stored state with an unknown input is a change and sends nothing either.
        // Stored state = the inputs plus outputs (each kind keeps the ones it declares).
        const stored = spec.stored?.(emulator) ?? { memberUsername: "someone", token: "t1", inviteId: "i1" };
        const olds = withProvider(spec.kind, { ...spec.valid(emulator), ...stored });
        const diff = await host.diff(urn, "some-id", olds, news);
        assert.notEqual(diff.changes, "none", what);
        cases++;
      }
      assert.equal((await requestCounts(emulator)).total, 0, "an unknown value reached the API");
    });
  }

  it("unusual but valid values are sent to the intended route only, correctly encoded, or refused cleanly", async () => {
    const ws = emulator.seed.mode.workspace;
    const org = emulator.seed.org.organizationId;
    const attempts: { kind: ResourceKind; props: Props; route: string; also?: string[] }[] = [
      {
        kind: "WorkspaceInvite",
        props: { workspace: ` ${ws} `, email: "O'Brien+tag@Example.com" },
        route: "POST mode.invites.create",
      },
      {
        kind: "WorkspaceInvite",
        props: { workspace: ws, email: "zoë@exämple.com" },
        route: "POST mode.invites.create",
      },
      {
        kind: "WorkspaceInvite",
        props: { workspace: ws, email: "a/b?c#d%2F..@example.com" },
        route: "POST mode.invites.create",
      },
      {
        kind: "WorkspaceInvite",
        props: { workspace: ws, email: "msg@example.com", message: "Привет 👋 ../?#%2F <b>&amp;" },
        route: "POST mode.invites.create",
      },
      {
        kind: "OrgInvite",
        props: { organizationId: org, recipientEmail: " Üser+x@Example.com " },
        route: "POST org.invites.create",
      },
      {
        kind: "OrgInvite",
        props: { organizationId: org, recipientEmail: "q?x#y/z%2F@example.com" },
        route: "POST org.invites.create",
      },
      {
        kind: "Group",
        props: { workspace: ws, name: " Zoë's team ../?#%2F <b>&amp; 👋 " },
        route: "POST mode.groups.create",
      },
      {
        kind: "Collection",
        props: {
          workspace: ws,
          name: "Финансы ../?#%2F 😀 <i>",
          description: "line one\nline two\twith a tab, ../?#%2F",
          defaultAccess: "restricted",
        },
        route: "POST mode.spaces.create",
        // A collection create lists first (adopt by name), then after (its marker), then sets the description.
        also: ["PATCH mode.spaces.update"],
      },
    ];
    for (const a of attempts) {
      await control(emulator, "DELETE", "/requests");
      const before = await emulatorState(emulator);
      const urn = urnFor(a.kind, "unusual");
      const { inputs, failures } = await host.check(urn, {}, withProvider(a.kind, a.props));
      assert.deepEqual(failures, [], JSON.stringify(a.props));
      let created: { id: string; properties: Props } | undefined;
      try {
        created = await host.create(urn, inputs);
      } catch (err) {
        const message = (err as Error).message;
        collect("unusual create", message);
        assert.match(message, /email|recipient_email/i, message);
      }
      const counts = await requestCounts(emulator);
      // The create route, plus the same collection's listing when a refusal is checked for adoption
      // (an invite adds a workspace membership: the workspace is listed once before the first invite,
      // to tell the invitee's membership should the answer not name it).
      const allowed = [
        a.route,
        a.route.replace(/^POST (.*)\.create$/, "GET $1.list"),
        ...(a.kind === "WorkspaceInvite" ? ["GET mode.memberships.list"] : []),
        ...(a.also ?? []),
      ];
      for (const route of Object.keys(counts.byRoute)) {
        assert.ok(allowed.includes(route), `${JSON.stringify(a.props)} hit ${route}`);
      }
      assert.equal(counts.byRoute[a.route], 1, "the create was not sent exactly once");
      const after = await emulatorState(emulator);
      if (created && (a.kind === "Group" || a.kind === "Collection")) {
        assert.equal(objectCount(after), objectCount(before) + 1);
        const names =
          a.kind === "Group" ? after.userGroups.map((g) => g.name) : after.spaces.map((c) => c.name);
        const name = String(inputs.name);
        assert.ok(names.includes(name), `${name} was not stored verbatim: ${names.join(", ")}`);
        if (a.kind === "Collection") {
          const space = after.spaces.find((c) => c.name === name);
          assert.equal(space?.description, a.props.description);
          assert.equal(space?.defaultAccessLevel, a.props.defaultAccess);
        }
      } else if (created) {
        assert.equal(objectCount(after), objectCount(before) + 1);
        const email = String(a.kind === "OrgInvite" ? inputs.recipientEmail : inputs.email);
        const stored =
          a.kind === "OrgInvite"
            ? after.orgInvites.map((i) => i.recipientEmail)
            : after.invites.map((i) => i.email);
        assert.ok(stored.includes(email.trim()), `${email} was not stored verbatim: ${stored.join(", ")}`);
        if (a.props.message) {
          const inv = (after as unknown as { invites: { email: string; message: string }[] }).invites.find(
            (i) => i.email === email,
          );
          assert.equal(inv?.message, a.props.message);
        }
      } else {
        assert.equal(objectCount(after), objectCount(before), "a refused create left an object behind");
      }
      cases++;
    }
  });

  it("with check bypassed, hostile path values never reach another endpoint and leave nothing half-created", async () => {
    const ws = emulator.seed.mode.workspace;
    const org = emulator.seed.org.organizationId;
    const space = emulator.seed.mode.spaces[0];
    const user = emulator.seed.mode.users[1].token;
    const username = emulator.seed.mode.users[1].username;
    const group = emulator.seed.mode.userGroups[0];
    const dataSource = emulator.seed.mode.dataSources[0].token;
    const hostile = ["../admin", "..", "a/b", "x?y=1", "x#y", "a%2Fb", "../../_control/reset", " "];
    const before = await emulatorState(emulator);
    let attempts = 0;
    for (const value of hostile) {
      const creates: { kind: ResourceKind; props: Props; allowed: string[] }[] = [
        {
          kind: "SpaceMembership",
          props: { account: value, space, memberType: "User", memberToken: user },
          allowed: ["mode.spaceMemberships"],
        },
        {
          kind: "SpaceMembership",
          props: { account: ws, space: value, memberType: "User", memberToken: user },
          allowed: ["mode.spaceMemberships"],
        },
        {
          kind: "SpaceMembership",
          props: { account: ws, space, memberType: "User", memberToken: value },
          allowed: ["mode.spaceMemberships"],
        },
        {
          kind: "WorkspaceInvite",
          props: { workspace: value, email: "hostile@example.com", message: "m" },
          allowed: ["mode.invites"],
        },
        {
          kind: "OrgInvite",
          props: { organizationId: value, recipientEmail: "hostile@example.com" },
          allowed: ["org.invites"],
        },
        {
          kind: "OrgInviteAcceptance",
          props: { organizationId: org, inviteId: value, code: "abc" },
          allowed: ["org.invites"],
        },
        { kind: "Group", props: { workspace: value, name: "hostile" }, allowed: ["mode.groups"] },
        {
          kind: "GroupMembership",
          props: { workspace: ws, group: value, username },
          allowed: ["mode.groups", "mode.groupMemberships", "mode.memberships"],
        },
        {
          kind: "GroupMembers",
          props: { workspace: ws, group: value, usernames: [username] },
          allowed: ["mode.groups", "mode.groupMemberships", "mode.memberships"],
        },
        { kind: "Collection", props: { workspace: value, name: "hostile" }, allowed: ["mode.spaces"] },
        {
          kind: "CollectionPermission",
          props: { workspace: ws, collection: value, username, action: "view" },
          allowed: ["mode.spaces", "mode.spacePermissions", "mode.memberships", "mode.groups"],
        },
        {
          kind: "CollectionAccess",
          props: { workspace: ws, collection: value, grants: [{ group, action: "view" }] },
          allowed: ["mode.spaces", "mode.spacePermissions", "mode.memberships", "mode.groups"],
        },
        {
          kind: "DataSourcePermission",
          props: { workspace: ws, dataSource: value, group, action: "query" },
          allowed: ["mode.dataSources", "mode.dataSourcePermissions", "mode.memberships", "mode.groups"],
        },
        {
          kind: "DataSourcePermission",
          props: { workspace: ws, dataSource, group: value, action: "query" },
          allowed: ["mode.dataSources", "mode.dataSourcePermissions", "mode.memberships", "mode.groups"],
        },
      ];
      for (const c of creates) {
        await control(emulator, "DELETE", "/requests");
        const urn = urnFor(c.kind, "hostile");
        await assert.rejects(host.create(urn, withProvider(c.kind, c.props)), (err: Error) => {
          collect("hostile create", err.message);
          return true;
        });
        const counts = await requestCounts(emulator);
        for (const route of Object.keys(counts.byRoute)) {
          assert.ok(
            c.allowed.some((prefix) => route.split(" ")[1]?.startsWith(prefix)),
            `${c.kind} ${JSON.stringify(c.props)} reached ${route}`,
          );
        }
        attempts++;
      }
    }
    const after = await emulatorState(emulator);
    assert.equal(objectCount(after), objectCount(before), "a hostile create left an object behind");
    assert.equal(after.users.length, before.users.length);
    cases += attempts;
  });
});
