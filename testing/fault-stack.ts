/**
 * Support for the reliability suites: the stress program's configuration, exact-set accounting of
 * what the emulator holds against what the program declares (duplicates, missing, orphans) — invites,
 * memberships, org invites, groups and their members, collections, their grants and default levels,
 * data-source grants, and the seeded objects the program must leave alone — and a collector of every
 * error message and log the suites produce, for the secret scan.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import { basic, control, req } from "./emulator-control";
import { PulumiWorkspace, repoRoot, type StackExport } from "./engine";

/** The stress program's directory. */
export const STRESS_DIR = path.join(repoRoot(), "tests", "fixtures", "stress");

/** How many resources of each kind the stress program declares. */
export interface StressCounts {
  invites: number;
  memberships: number;
  orgInvites: number;
  acceptances: number;
  /** WorkspaceMemberships adopting members of the pool (default 0; the pool is seeded to match). */
  members?: number;
  /** Groups (default 0); even ones get a GroupMembers, odd ones two GroupMemberships, of two members each. */
  groups?: number;
  /** Collections (default 0), each with a CollectionPermission to a member and one to a group. */
  collections?: number;
  /** CollectionAccess resources on the shared collections (default 0, at most {@link SHARED_COLLECTIONS}). */
  access?: number;
  /** DataSourcePermissions on the seeded data sources (default 0, at most 6). */
  dataSourceGrants?: number;
}

/** Every count key, in the order the stack config lists them. */
export const COUNT_KEYS = [
  "invites",
  "memberships",
  "orgInvites",
  "acceptances",
  "members",
  "groups",
  "collections",
  "access",
  "dataSourceGrants",
] as const;

/** Resources of the access model the counts declare, by kind (same arithmetic as the program). */
export function accessResources(counts: StressCounts): Record<string, number> {
  const groups = counts.groups ?? 0;
  const collections = counts.collections ?? 0;
  return {
    Group: groups,
    GroupMembers: Math.ceil(groups / 2),
    GroupMembership: 2 * Math.floor(groups / 2),
    Collection: collections,
    CollectionPermission: 2 * collections,
    CollectionAccess: Math.min(counts.access ?? 0, SHARED_COLLECTIONS.length),
    DataSourcePermission: Math.min(counts.dataSourceGrants ?? 0, 6),
  };
}

/** Total resources of `counts`. */
export function total(counts: StressCounts): number {
  const access = Object.values(accessResources(counts)).reduce((a, b) => a + b, 0);
  return (
    counts.invites +
    counts.memberships +
    counts.orgInvites +
    counts.acceptances +
    (counts.members ?? 0) +
    access
  );
}

/** What nothing declares: after destroy, the emulator must hold none of the stack's objects. */
export const NOTHING: StressCounts = {
  invites: 0,
  memberships: 0,
  orgInvites: 0,
  acceptances: 0,
  members: 0,
  groups: 0,
  collections: 0,
  access: 0,
  dataSourceGrants: 0,
};

/** Seeded users for the stress program's SpaceMemberships; the users after them are the member pool. */
const SPACE_USERS = 40;
/** Seeded collections the stress program's SpaceMemberships use. */
const SPACES = 4;

/**
 * Collections the stress program's CollectionAccess resources manage: made before the baseline, with
 * no permission and a default level the program changes (and destroy must put back).
 */
export const SHARED_COLLECTIONS = [
  { name: "Shared 1", level: "view" },
  { name: "Shared 2", level: "edit" },
  { name: "Shared 3", level: "restricted" },
] as const;

/** The default level the program's CollectionAccess `j` declares (the same list as the program's). */
const ACCESS_LEVELS = ["restricted", "restricted", "view"];
/** The actions of the program's DataSourcePermission `k`, by `k mod 3`. */
const DATA_SOURCE_ACTIONS = ["view", "query", "manage"];

/**
 * A fresh emulator seeded for the stress program: 40 users for space memberships (and for the groups
 * and grants), then `members` more for its WorkspaceMemberships to adopt (kept apart, so removing one
 * never touches a space membership, a group membership or a grant the program declares); 4 spaces, 2
 * groups, 3 data sources; and the {@link SHARED_COLLECTIONS}, made through the API.
 */
export async function startStressEmulator(members = 0): Promise<RunningEmulator> {
  const emulator = await startEmulator({
    port: 0,
    seed: { users: SPACE_USERS + members, spaces: SPACES, userGroups: 2, dataSources: 3 },
  });
  try {
    const { workspace, token, secret } = emulator.seed.mode;
    for (const shared of SHARED_COLLECTIONS) {
      const res = await req<{ token: string }>("POST", `${emulator.modeApiUrl}/${workspace}/spaces`, {
        auth: basic(token, secret),
        body: { space: { name: shared.name, description: "", default_access_level: shared.level } },
      });
      assert.equal(res.status, 200, res.text);
    }
  } catch (err) {
    await emulator.close();
    throw err;
  }
  return emulator;
}

/** The seeded users the stress program's SpaceMemberships use, and the pool its WorkspaceMemberships adopt. */
function seededUsers(emulator: RunningEmulator) {
  const users = emulator.seed.mode.users;
  return { forSpaces: users.slice(0, SPACE_USERS), pool: users.slice(SPACE_USERS) };
}

/** The parts of `GET {controlUrl}/state` the accounting reads. */
export interface EmulatorState {
  users: { id: number; email: string; token: string; username: string }[];
  memberships: {
    workspaceId: number;
    userId: number;
    state: string;
    memberToken?: string;
    username?: string;
  }[];
  invites: { email: string; resentAt: string | null; workspaceId: number }[];
  spaces: {
    id: number;
    token: string;
    name: string;
    description: string;
    spaceType: string;
    state: string;
    defaultAccessLevel: string;
  }[];
  spaceMemberships: { token: string; spaceId: number; memberType: string; memberToken: string }[];
  orgInvites: {
    id: string;
    organizationId: string;
    recipientEmail: string;
    code: string;
    acceptedAt: string | null;
    inviteUserAs: string | null;
  }[];
  userGroups: { id: number; token: string; name: string; state: string }[];
  groupMemberships: { token: string; groupId: number; userId: number; memberToken: string }[];
  dataSources: { id: number; token: string; name: string }[];
  permissions: {
    token: string;
    targetType: string;
    targetId: number;
    action: string;
    accessorType: string;
    accessorToken: string;
  }[];
}

/** Reads the emulator's whole state. */
export async function emulatorState(emulator: RunningEmulator): Promise<EmulatorState> {
  const res = await control<EmulatorState>(emulator, "GET", "/state");
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** The shared collections as the emulator holds them (token, name, the level they were made with). */
export function sharedCollections(state: EmulatorState): { token: string; name: string; level: string }[] {
  return SHARED_COLLECTIONS.map((shared) => {
    const space = state.spaces.find((s) => s.name === shared.name && s.state !== "soft_deleted");
    assert.ok(space, `the shared collection ${shared.name} is missing`);
    return { token: space.token, name: shared.name, level: shared.level };
  });
}

/** The kinds of objects the accounting compares, each a map of identity keys. */
export const KINDS = [
  "invites",
  "memberships",
  "orgInvites",
  "acceptances",
  "workspaceMembers",
  "groups",
  "groupMembers",
  "collections",
  "collectionGrants",
  "defaultLevels",
  "sharedLevels",
  "dataSourceGrants",
  "markers",
  "untouched",
] as const;

/** Kinds that describe the world around the stack (compared exactly, never counted as the stack's objects). */
const AROUND: readonly Kind[] = ["sharedLevels", "untouched"];

/** One kind of {@link KINDS}. */
export type Kind = (typeof KINDS)[number];

/**
 * Identity keys of the objects the stress program manages, with how many live objects carry each,
 * kind by kind, plus a few counts that are reported rather than compared.
 */
export type LiveObjects = Record<Kind, Map<string, number>> & {
  /** Invites Mode sent more than once (`resent_at` set). */
  resent: number;
  /** Groups of the program's prefix in any state (every token made: a lost create must not add one). */
  groupTokens: number;
  /** Deleted collections of the program's prefix (copies a retried create made, deleted by the marker rule). */
  deletedCollections: number;
};
// What each kind's keys are:
// - invites: `email` of workspace invites of the program's prefix;
// - memberships: `space|memberType|memberToken` of space memberships not in the baseline;
// - orgInvites / acceptances: `email` of org invites (accepted ones) of the program's prefix;
// - workspaceMembers: `invitee:<email>` of the program's invites, `member:<username>` of the pool;
// - groups: lower-cased name of each active group of the program's prefix (names are unique among
//   active groups, so `groupTokens` counts every token too);
// - groupMembers: `group name|username` of each member of those groups;
// - collections: name of each active custom collection of the program's prefix;
// - collectionGrants: `collection name|accessor|action` of every permission on those collections and
//   on the shared collections (accessor `Account:<username>` or `UserGroup:<group name>`);
// - defaultLevels: `collection name|level` of the program's collections;
// - sharedLevels: `collection name|level` of the shared collections (their own level, or the declared
//   one while a CollectionAccess manages it: destroy must put it back);
// - dataSourceGrants: `data source name|accessor|action` of data-source permissions not in the baseline;
// - markers: names of live collections still carrying a create's one-time marker (never declared);
// - untouched: `permission:<token>` / `groupMember:<token>` of the baseline's permissions and group
//   memberships that the program does not manage (those of the pool's members aside: destroying an
//   adopted WorkspaceMembership takes them along), still there.

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** An empty tally. */
function noObjects(): LiveObjects {
  const maps = Object.fromEntries(KINDS.map((kind) => [kind, new Map<string, number>()])) as Record<
    Kind,
    Map<string, number>
  >;
  return { ...maps, resent: 0, groupTokens: 0, deletedCollections: 0 };
}

/** The one-time marker a Collection create puts in a description until it has listed the result. */
const CREATE_MARKER = "[pulumi-mode create ";

/** The baseline's permissions and group memberships the stress program must leave as they are. */
function untouchedKeys(baseline: EmulatorState, pool: readonly string[]): string[] {
  const poolTokens = new Set(baseline.users.filter((u) => pool.includes(u.username)).map((u) => u.token));
  return [
    ...baseline.permissions
      .filter((p) => !(p.accessorType === "Account" && poolTokens.has(p.accessorToken)))
      .map((p) => `permission:${p.token}`),
    ...baseline.groupMemberships
      .filter((m) => !poolTokens.has(m.memberToken))
      .map((m) => `groupMember:${m.token}`),
  ];
}

/**
 * Counts the live objects in `state` (only space memberships and data-source grants not present in
 * `baseline`; workspace memberships of the program's invitees and of `pool`, the usernames its
 * WorkspaceMemberships adopt).
 */
export function liveObjects(
  state: EmulatorState,
  prefix: string,
  baseline?: EmulatorState,
  pool: readonly string[] = [],
): LiveObjects {
  const mine = (email: string): boolean => email.toLowerCase().startsWith(`${prefix.toLowerCase()}-`);
  const baseTokens = new Set((baseline?.spaceMemberships ?? []).map((m) => m.token));
  const spaceToken = new Map(state.spaces.map((s) => [s.id, s.token]));
  const out = noObjects();
  for (const invite of state.invites) {
    if (!mine(invite.email)) continue;
    bump(out.invites, invite.email.toLowerCase());
    if (invite.resentAt !== null) out.resent++;
  }
  for (const m of state.spaceMemberships) {
    if (baseTokens.has(m.token)) continue;
    bump(out.memberships, `${spaceToken.get(m.spaceId) ?? m.spaceId}|${m.memberType}|${m.memberToken}`);
  }
  const userOf = new Map(state.users.map((u) => [u.id, u]));
  for (const m of state.memberships) {
    const user = userOf.get(m.userId);
    if (!user) continue;
    if (mine(user.email)) bump(out.workspaceMembers, `invitee:${user.email.toLowerCase()}`);
    else if (pool.includes(user.username)) bump(out.workspaceMembers, `member:${user.username}`);
  }
  for (const invite of state.orgInvites) {
    if (!mine(invite.recipientEmail)) continue;
    bump(out.orgInvites, invite.recipientEmail.toLowerCase());
    if (invite.acceptedAt !== null) bump(out.acceptances, invite.recipientEmail.toLowerCase());
  }
  countAccess(state, mine, out);
  if (baseline) {
    const present = new Set([
      ...state.permissions.map((p) => `permission:${p.token}`),
      ...state.groupMemberships
        .filter((m) => state.userGroups.some((g) => g.id === m.groupId && g.state === "active"))
        .map((m) => `groupMember:${m.token}`),
    ]);
    for (const key of untouchedKeys(baseline, pool)) if (present.has(key)) bump(out.untouched, key);
  }
  const seeded = new Set((baseline?.permissions ?? []).map((p) => p.token));
  const dataSource = new Map(state.dataSources.map((d) => [d.id, d.name]));
  const accessorOf = accessorNames(state);
  for (const p of state.permissions) {
    if (p.targetType === "space" || seeded.has(p.token)) continue;
    bump(out.dataSourceGrants, `${dataSource.get(p.targetId) ?? p.targetId}|${accessorOf(p)}|${p.action}`);
  }
  return out;
}

/** How the accounting names a permission's accessor: `Account:<username>`, `UserGroup:<group name>`. */
function accessorNames(state: EmulatorState): (p: { accessorType: string; accessorToken: string }) => string {
  const usernames = new Map(state.users.map((u) => [u.token, u.username]));
  const groupNames = new Map(state.userGroups.map((g) => [g.token, g.name]));
  return (p) => {
    const name =
      p.accessorType === "UserGroup" ? groupNames.get(p.accessorToken) : usernames.get(p.accessorToken);
    return `${p.accessorType}:${name ?? p.accessorToken}`;
  };
}

/** The groups, their members, the collections, their grants and levels of the program's prefix. */
function countAccess(state: EmulatorState, mine: (name: string) => boolean, out: LiveObjects): void {
  const usernames = new Map(state.users.map((u) => [u.token, u.username]));
  const groups = new Map<number, string>();
  for (const g of state.userGroups) {
    if (!mine(g.name)) continue;
    out.groupTokens++;
    if (g.state !== "active") continue;
    groups.set(g.id, g.name);
    bump(out.groups, g.name.toLowerCase());
  }
  for (const m of state.groupMemberships) {
    const group = groups.get(m.groupId);
    if (group !== undefined)
      bump(out.groupMembers, `${group}|${usernames.get(m.memberToken) ?? m.memberToken}`);
  }
  const shared = new Set<string>(SHARED_COLLECTIONS.map((s) => s.name));
  const collections = new Map<number, string>();
  for (const space of state.spaces) {
    if (space.spaceType !== "custom") continue;
    const ours = mine(space.name);
    if (ours && space.state === "soft_deleted") out.deletedCollections++;
    if (space.state === "soft_deleted" || !(ours || shared.has(space.name))) continue;
    collections.set(space.id, space.name);
    if (ours) bump(out.collections, space.name);
    bump(ours ? out.defaultLevels : out.sharedLevels, `${space.name}|${space.defaultAccessLevel}`);
    if (space.description.includes(CREATE_MARKER)) bump(out.markers, space.name);
  }
  const accessorOf = accessorNames(state);
  for (const p of state.permissions) {
    if (p.targetType !== "space") continue;
    const collection = collections.get(p.targetId);
    if (collection !== undefined) bump(out.collectionGrants, `${collection}|${accessorOf(p)}|${p.action}`);
  }
}

/** What the stress program declares (same arithmetic as tests/fixtures/stress/index.js). */
export function declaredObjects(
  emulator: RunningEmulator,
  counts: StressCounts,
  prefix: string,
  baseline?: EmulatorState,
): LiveObjects {
  const seed = emulator.seed.mode;
  const { forSpaces, pool } = seededUsers(emulator);
  const members = [
    ...forSpaces.map((u) => `User|${u.token}`),
    ...seed.userGroups.map((g) => `UserGroup|${g}`),
  ];
  const spaces = seed.spaces.slice(0, SPACES);
  const out = noObjects();
  for (let i = 0; i < counts.invites; i++) {
    bump(out.invites, `${prefix}-ws-${i}@example.com`);
    bump(out.workspaceMembers, `invitee:${prefix}-ws-${i}@example.com`);
  }
  for (const user of pool.slice(0, counts.members ?? 0))
    bump(out.workspaceMembers, `member:${user.username}`);
  for (let i = 0; i < counts.memberships; i++) {
    const space = spaces[Math.floor(i / members.length) % spaces.length];
    bump(out.memberships, `${space}|${members[i % members.length]}`);
  }
  for (let i = 0; i < counts.orgInvites; i++) bump(out.orgInvites, `${prefix}-org-${i}@example.com`);
  for (let i = 0; i < Math.min(counts.acceptances, counts.orgInvites); i++)
    bump(out.acceptances, `${prefix}-org-${i}@example.com`);
  declareAccess(
    forSpaces.map((u) => u.username),
    seed.dataSources,
    counts,
    prefix,
    out,
  );
  if (baseline) for (const key of untouchedKeys(baseline, poolOf(emulator))) bump(out.untouched, key);
  return out;
}

/** The groups, collections and grants the program declares, as {@link countAccess} keys them. */
function declareAccess(
  accessUsers: readonly string[],
  dataSources: readonly { name: string }[],
  counts: StressCounts,
  prefix: string,
  out: LiveObjects,
): void {
  const user = (i: number): string => accessUsers[i % accessUsers.length];
  const resources = accessResources(counts);
  const groupName = (i: number): string => `${prefix}-group-${i}`;
  const groups = resources.Group;
  for (let i = 0; i < groups; i++) {
    bump(out.groups, groupName(i).toLowerCase());
    for (const username of [user(2 * i), user(2 * i + 1)])
      bump(out.groupMembers, `${groupName(i)}|${username}`);
  }
  /** A grant's accessor: a group of the program when `toGroup` and there is one, else a member. */
  const accessor = (i: number, toGroup: boolean, memberIndex: number): string =>
    toGroup && groups > 0 ? `UserGroup:${groupName(i % groups)}` : `Account:${user(memberIndex)}`;
  for (let i = 0; i < resources.Collection; i++) {
    const name = `${prefix}-collection-${i}`;
    bump(out.collections, name);
    bump(out.defaultLevels, `${name}|${i % 2 === 0 ? "restricted" : "view"}`);
    bump(
      out.collectionGrants,
      `${name}|Account:${user(accessUsers.length - 1 - i)}|${i % 2 === 0 ? "edit" : "view"}`,
    );
    bump(out.collectionGrants, `${name}|${accessor(i, true, accessUsers.length - 11 - i)}|view`);
  }
  SHARED_COLLECTIONS.forEach((shared, j) => {
    if (j >= resources.CollectionAccess) {
      bump(out.sharedLevels, `${shared.name}|${shared.level}`);
      return;
    }
    bump(out.sharedLevels, `${shared.name}|${ACCESS_LEVELS[j % ACCESS_LEVELS.length]}`);
    bump(out.collectionGrants, `${shared.name}|Account:${user(20 + j)}|edit`);
    if (groups > 0) bump(out.collectionGrants, `${shared.name}|UserGroup:${groupName(j % groups)}|view`);
  });
  for (let k = 0; k < resources.DataSourcePermission; k++) {
    const dataSource = dataSources[k % dataSources.length].name;
    const action = DATA_SOURCE_ACTIONS[k % DATA_SOURCE_ACTIONS.length];
    bump(out.dataSourceGrants, `${dataSource}|${accessor(k, k % 2 === 1, 30 + k)}|${action}`);
  }
}

/** The comparison of live against declared objects. */
export interface Accounting {
  duplicates: string[];
  missing: string[];
  orphans: string[];
  resent: number;
  /** Live objects of the stack counted (every kind but `sharedLevels` and `untouched`). */
  live: number;
  /** Declared objects of the stack (every kind but `sharedLevels` and `untouched`). */
  declared: number;
  /** Groups of the program's prefix in any state (see {@link LiveObjects}). */
  groupTokens: number;
  /** Deleted collections of the program's prefix (see {@link LiveObjects}). */
  deletedCollections: number;
}

/** Compares live objects with the declared ones, kind by kind. */
export function account(live: LiveObjects, declared: LiveObjects): Accounting {
  const result: Accounting = {
    duplicates: [],
    missing: [],
    orphans: [],
    resent: live.resent,
    live: 0,
    declared: 0,
    groupTokens: live.groupTokens,
    deletedCollections: live.deletedCollections,
  };
  for (const kind of KINDS) {
    const have = live[kind];
    const want = declared[kind];
    for (const [key, n] of have) {
      if (!AROUND.includes(kind)) result.live += n;
      if (n > 1) result.duplicates.push(`${kind}:${key} x${n}`);
      if (!want.has(key)) result.orphans.push(`${kind}:${key}`);
    }
    for (const [key, n] of want) {
      if (!AROUND.includes(kind)) result.declared += n;
      if (!have.has(key)) result.missing.push(`${kind}:${key}`);
    }
  }
  return result;
}

/** Stack configuration of the stress program against `emulator` (credentials as secrets). */
export async function configureStress(
  ws: PulumiWorkspace,
  emulator: RunningEmulator,
  counts: StressCounts,
  prefix: string,
): Promise<void> {
  await configureCredentials(ws, emulator);
  const seed = emulator.seed.mode;
  const { forSpaces, pool } = seededUsers(emulator);
  const plain: Record<string, string> = {
    "stress:workspace": seed.workspace,
    "stress:spaces": JSON.stringify(seed.spaces.slice(0, SPACES)),
    "stress:users": JSON.stringify(forSpaces.map((u) => u.token)),
    "stress:usernames": JSON.stringify(pool.map((u) => u.username)),
    "stress:seedGroups": JSON.stringify(seed.userGroups),
    "stress:organizationId": emulator.seed.org.organizationId,
    "stress:prefix": prefix,
    "stress:accessUsers": JSON.stringify(forSpaces.map((u) => u.username)),
    "stress:accessCollections": JSON.stringify(
      sharedCollections(await emulatorState(emulator)).map((c) => c.token),
    ),
    "stress:dataSources": JSON.stringify(seed.dataSources.map((d) => d.token)),
  };
  for (const key of COUNT_KEYS) plain[`stress:${key}`] = String(counts[key] ?? 0);
  for (const [key, value] of Object.entries(plain)) await ws.setConfig(key, value);
}

/** The provider's credentials and URLs, as Pulumi config (tokens and secrets as secrets). */
export async function configureCredentials(
  ws: PulumiWorkspace,
  emulator: RunningEmulator,
  overrides: { apiToken?: string; apiSecret?: string; orgApiToken?: string } = {},
): Promise<void> {
  await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
  await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
  await ws.setConfig("mode:apiToken", overrides.apiToken ?? emulator.seed.mode.token, { secret: true });
  await ws.setConfig("mode:apiSecret", overrides.apiSecret ?? emulator.seed.mode.secret, { secret: true });
  await ws.setConfig("mode:orgApiToken", overrides.orgApiToken ?? emulator.seed.org.token, {
    secret: true,
  });
}

/** Sets the emulator's fault configuration (replacing it). */
export async function setFaults(emulator: RunningEmulator, faults: Record<string, unknown>): Promise<void> {
  const res = await control(emulator, "PUT", "/faults", faults);
  assert.equal(res.status, 200, res.text);
}

/** The request log's counts. */
export interface RequestCounts {
  total: number;
  byRoute: Record<string, number>;
  faults: Record<string, number>;
  rateLimited: number;
}

/** Reads the request log. */
export async function requestCounts(emulator: RunningEmulator): Promise<RequestCounts> {
  return (await control<RequestCounts>(emulator, "GET", "/requests")).json;
}

/** Sum of the injected faults in a request log. */
export function faultTotal(counts: RequestCounts): number {
  return Object.values(counts.faults).reduce((a, b) => a + b, 0);
}

// ---- what the suites produced, for the secret scan ------------------------------------------------

const collected: { source: string; text: string }[] = [];

/** Records text a suite produced (an error message, engine output, a state export) for the scan. */
export function collect(source: string, text: string): void {
  collected.push({ source, text });
}

/** Everything recorded so far by every reliability suite in this process. */
export function collectedTexts(): readonly { source: string; text: string }[] {
  return collected;
}

const remembered = new Map<string, string>();

/**
 * Remembers the credentials of `emulator` and every invite code it holds now, for the secret scan
 * (call before the objects are deleted and before the emulator closes).
 */
export async function rememberSecrets(emulator: RunningEmulator): Promise<void> {
  const { mode, org } = emulator.seed;
  const basic = Buffer.from(`${mode.token}:${mode.secret}`).toString("base64");
  const add = (name: string, value: string): void => {
    if (value.length >= 6) remembered.set(value, name);
  };
  add("Mode API token", mode.token);
  add("Mode API secret", mode.secret);
  add("Basic credentials", basic);
  add("bearer token", org.token);
  add("other organization's bearer token", org.otherToken);
  add("no-access secret", mode.noAccess.secret);
  add("Workspace API token secret", mode.workspaceApiToken.secret);
  for (const invite of (await emulatorState(emulator)).orgInvites)
    add(`invite code of ${invite.id}`, invite.code);
}

/** Everything remembered by {@link rememberSecrets}. */
export function rememberedSecrets(): { name: string; value: string }[] {
  return [...remembered].map(([value, name]) => ({ name, value }));
}

/** Figures reported by the suites (printed at the end of the secret scan). */
export const figures: Record<string, number | string> = {};

/**
 * A stress stack on a fresh emulator ({@link startStressEmulator}), configured and ready to run.
 */
export interface StressStack {
  emulator: RunningEmulator;
  ws: PulumiWorkspace;
  baseline: EmulatorState;
  /** The prefix of the program's emails, group names and collection names. */
  prefix: string;
  /** Compares the emulator's objects with what `declared` counts declare. */
  check(declared: StressCounts): Promise<Accounting>;
  /**
   * The groups and collections the stack records (their tokens in `pulumi stack export`) against the
   * live ones of the program's prefix: every difference, as `kind:token recorded|live only`.
   */
  checkRecords(): Promise<string[]>;
  /** Sets the stack's counts. */
  setCounts(counts: StressCounts): Promise<void>;
  dispose(): Promise<void>;
}

/** Creates a {@link StressStack}. */
export async function createStressStack(counts: StressCounts, prefix: string): Promise<StressStack> {
  const emulator = await startStressEmulator(counts.members);
  let ws: PulumiWorkspace | undefined;
  try {
    ws = await PulumiWorkspace.create({ programDir: STRESS_DIR });
    await configureStress(ws, emulator, counts, prefix);
  } catch (err) {
    await ws?.dispose();
    await emulator.close();
    throw err;
  }
  const workspace = ws;
  const baseline = await emulatorState(emulator);
  return {
    emulator,
    ws: workspace,
    baseline,
    prefix,
    check: async (declared) =>
      account(
        liveObjects(await emulatorState(emulator), prefix, baseline, poolOf(emulator)),
        declaredObjects(emulator, declared, prefix, baseline),
      ),
    checkRecords: async () =>
      recordDifferences(await workspace.stackExport(), await emulatorState(emulator), prefix),
    setCounts: async (next) => {
      for (const key of COUNT_KEYS) await workspace.setConfig(`stress:${key}`, String(next[key] ?? 0));
    },
    dispose: async () => {
      await rememberSecrets(emulator).catch(() => undefined);
      await workspace.dispose().catch(() => undefined);
      await emulator.close().catch(() => undefined);
    },
  };
}

/**
 * The Groups and Collections a checkpoint records (their `token` outputs) against the active groups and collections of the program's prefix in `state`. Each id once, each
 * live object recorded: otherwise the difference is listed.
 */
export function recordDifferences(exported: StackExport, state: EmulatorState, prefix: string): string[] {
  const mine = (name: string): boolean => name.toLowerCase().startsWith(`${prefix.toLowerCase()}-`);
  const live = {
    Group: state.userGroups.filter((g) => g.state === "active" && mine(g.name)).map((g) => g.token),
    Collection: state.spaces
      .filter((s) => s.state !== "soft_deleted" && s.spaceType === "custom" && mine(s.name))
      .map((s) => s.token),
  };
  const out: string[] = [];
  for (const [kind, tokens] of Object.entries(live)) {
    const recorded = (exported.deployment.resources ?? [])
      .filter((r) => r.type === `pulumi-nodejs:dynamic/mode:${kind}`)
      .map((r) => String(r.outputs?.token));
    for (const id of recorded) {
      if (recorded.indexOf(id) !== recorded.lastIndexOf(id)) out.push(`${kind}:${id} recorded twice`);
      if (!tokens.includes(id)) out.push(`${kind}:${id} recorded, not live`);
    }
    for (const token of tokens)
      if (!recorded.includes(token)) out.push(`${kind}:${token} live, not recorded`);
  }
  return out;
}

/** The usernames the stress program's WorkspaceMemberships may adopt. */
export function poolOf(emulator: RunningEmulator): string[] {
  return seededUsers(emulator).pool.map((u) => u.username);
}

/** Fails the assertion unless the emulator holds exactly the declared objects. */
export function assertExact(result: Accounting, what: string): void {
  assert.deepEqual(
    { duplicates: result.duplicates, missing: result.missing, orphans: result.orphans },
    { duplicates: [], missing: [], orphans: [] },
    `${what}: the emulator does not hold exactly the declared objects`,
  );
}
