/**
 * The size cases of `npm run bench`: one authoritative resource holding N users, through the engine
 * against its own emulator (bench.ts drives them; one program each under bench/programs/). What
 * each case knows is here: its seed, where the lifecycle starts, how the drift is made out of band,
 * and the exact requests, by route, each phase must send. Every expectation is the listing pages
 * the resource reads (at the emulator's page size, an empty listing being one page) plus the
 * writes the phase needs; anything else a phase sends fails the bench.
 *
 * - `members` (BENCH_MEMBERS): one `mode.SpaceMembers` of N users of one space.
 * - `group-members` (BENCH_GROUP_MEMBERS): one `mode.GroupMembers` of N users on a seeded group,
 *   emptied first through the control interface (as the identity provider would).
 * - `collection-access` (BENCH_COLLECTION_ACCESS): one `mode.CollectionAccess` restricting a seeded
 *   collection (default level `view`, no grants) and granting it to N users.
 */
import type { SeedInfo } from "../emulator";
import type { ExportedResource } from "../testing/engine";
import {
  basic,
  listAll,
  removeGroupMemberOutside,
  req,
  type PermissionBody,
} from "../testing/emulator-control";
import type { Routes, SizePhase } from "./report";
import { Floor, pool, spreadIndices, type EmulatorProcess, type EmulatorProcessOptions } from "./support";

/** The emulator's default page size of a Mode listing (the provider asks for no other). */
export const MODE_PAGE_SIZE = 50;

/** Listing pages of `k` items (an empty listing is one page). */
export const pagesOf = (k: number): number => Math.max(1, Math.ceil(k / MODE_PAGE_SIZE));

/** The names of the size cases: their results files (`bench/results/<key>-results.*`) and README blocks. */
export type SizeKey = "members" | "group-members" | "collection-access";

/** What a case's expectations depend on, measured before its first phase. */
export interface SizeFacts {
  /** Declared users. */
  readonly n: number;
  /** Objects removed out of band before the drift preview. */
  readonly driftMade: number;
  /** Members of the workspace (its listing's items). */
  readonly workspaceMembers: number;
}

/** One size case (see the file's comment). */
export interface SizeCase {
  /** Its key. */
  readonly key: SizeKey;
  /** The resource, e.g. `mode.GroupMembers`. */
  readonly resource: string;
  /** The environment variable giving N (0 skips the case). */
  readonly env: string;
  /** The program's directory, relative to the repository. */
  readonly program: string;
  /** The name of the program's one resource (its URN ends with `::<name>`). */
  readonly name: string;
  /** The emulator's seed for N users. */
  seed(n: number): Omit<EmulatorProcessOptions, "rateLimit">;
  /** Brings the fresh emulator to where the lifecycle starts (not counted); returns the program's spec. */
  prepare(emu: EmulatorProcess, n: number): Promise<object>;
  /** How many users the resource holds after `up`, from its outputs. */
  held(resource: ExportedResource): number;
  /** Removes `count` of what the resource holds, outside Pulumi (not counted): the drift. */
  drift(emu: EmulatorProcess, resource: ExportedResource, count: number): Promise<void>;
  /** The requests each phase must send, by route (`"METHOD route.name"`). */
  expected(facts: SizeFacts): Record<SizePhase, Routes>;
  /** What the seed and the program are, for the results' text. */
  describe(facts: SizeFacts): string;
}

/** Every member of the seeded workspace (its listing's items), read with the seeded admin's credentials. */
export async function countWorkspaceMembers(seed: SeedInfo): Promise<number> {
  const auth = basic(seed.mode.token, seed.mode.secret);
  const url = `${seed.modeApiUrl}/${seed.mode.workspace}/memberships`;
  return (await listAll(url, auth, "memberships")).all.length;
}

/** The seeded users the program declares: the first `n`. */
function declaredUsers(seed: SeedInfo, n: number): SeedInfo["mode"]["users"] {
  const users = seed.mode.users.slice(0, n);
  if (users.length < n) throw new Error(`the emulator seeded ${users.length} users, not ${n}`);
  return users;
}

/** The output list `key` of an exported resource. */
function outputList<T>(resource: ExportedResource, key: string): T[] {
  const value = resource.outputs?.[key];
  return Array.isArray(value) ? (value as T[]) : [];
}

const SPACE_MEMBERSHIPS = "mode.spaceMemberships";
const GROUP_MEMBERSHIPS = "mode.groupMemberships";
const SPACE_PERMISSIONS = "mode.spacePermissions";
const WORKSPACE_LIST = "GET mode.memberships.list";
const GROUPS_LIST = "GET mode.groups.list";
const SPACES_LIST = "GET mode.spaces.list";

/** One SpaceMembers of N users of one space (the space's memberships are all it reads). */
const spaceMembers: SizeCase = {
  key: "members",
  resource: "mode.SpaceMembers",
  env: "BENCH_MEMBERS",
  program: "bench/programs/members",
  name: "space",
  seed: (n) => ({ users: n, spaces: 1 }),
  async prepare(emu, n) {
    const { seed } = emu;
    return {
      account: seed.mode.workspace,
      space: seed.mode.spaces[0],
      users: declaredUsers(seed, n).map((u) => u.token),
    };
  },
  held: (r) => outputList(r, "memberships").length,
  async drift(emu, resource, count) {
    const { seed } = emu;
    const memberships = outputList<{ memberToken: string; token: string }>(resource, "memberships");
    const floor = new Floor(seed, 0);
    try {
      for (const i of spreadIndices(memberships.length, count)) {
        const m = memberships[i];
        await floor.deleteMembership(
          { account: seed.mode.workspace, space: seed.mode.spaces[0], memberToken: m.memberToken },
          m.token,
        );
      }
    } finally {
      floor.close();
    }
  },
  expected({ n, driftMade: d }) {
    const list = `GET ${SPACE_MEMBERSHIPS}.list`;
    const create = `POST ${SPACE_MEMBERSHIPS}.create`;
    return {
      up: { [list]: pagesOf(0), [create]: n },
      preview: { [list]: pagesOf(n) },
      drift: { [list]: pagesOf(n - d) },
      repair: { [list]: pagesOf(n - d), [create]: d },
      destroy: { [list]: pagesOf(n), [`DELETE ${SPACE_MEMBERSHIPS}.delete`]: n },
    };
  },
  describe: ({ n }) =>
    `One \`mode.SpaceMembers\` of N = ${n} users in one space (the emulator seeds ${n} users and 1 space). ` +
    "It reads the space's memberships only (it declares user tokens, so it needs no workspace listing).",
};

/**
 * One GroupMembers of N users on a seeded group: the group's memberships and the workspace's (to
 * resolve usernames) are what it reads; the groups' listing only to find the group before a write
 * and to name it on a line.
 */
const groupMembers: SizeCase = {
  key: "group-members",
  resource: "mode.GroupMembers",
  env: "BENCH_GROUP_MEMBERS",
  program: "bench/programs/group-members",
  name: "group",
  seed: (n) => ({ users: n, spaces: 0, groups: 1 }),
  async prepare(emu, n) {
    const { seed } = emu;
    const group = seed.mode.groups[0];
    if (!group) throw new Error("the emulator seeded no group");
    // The seed puts every user in the one group: empty it, as the identity provider could.
    await pool(group.members, 16, (username) =>
      removeGroupMemberOutside(emu, seed.mode.workspace, group.token, { username }),
    );
    return {
      workspace: seed.mode.workspace,
      group: group.token,
      usernames: declaredUsers(seed, n).map((u) => u.username),
    };
  },
  held: (r) => outputList(r, "members").length,
  async drift(emu, resource, count) {
    const { seed } = emu;
    const members = outputList<{ memberToken: string }>(resource, "members");
    const group = String(resource.outputs?.group);
    for (const i of spreadIndices(members.length, count)) {
      const removed = await removeGroupMemberOutside(emu, seed.mode.workspace, group, {
        memberToken: members[i].memberToken,
      });
      if (!removed) throw new Error(`member ${members[i].memberToken} was not in the group`);
    }
  },
  expected({ n, driftMade: d, workspaceMembers: w }) {
    const list = `GET ${GROUP_MEMBERSHIPS}.list`;
    const create = `POST ${GROUP_MEMBERSHIPS}.create`;
    return {
      // check (the create's line) finds the group, lists the empty group and the workspace; create adds N.
      up: { [GROUPS_LIST]: 1, [list]: pagesOf(0), [WORKSPACE_LIST]: pagesOf(w), [create]: n },
      // Nothing to say: the groups' listing is not read.
      preview: { [list]: pagesOf(n), [WORKSPACE_LIST]: pagesOf(w) },
      // The line names the group: one page of groups.
      drift: { [list]: pagesOf(n - d), [WORKSPACE_LIST]: pagesOf(w), [GROUPS_LIST]: 1 },
      repair: { [list]: pagesOf(n - d), [WORKSPACE_LIST]: pagesOf(w), [GROUPS_LIST]: 1, [create]: d },
      // Delete refuses a managed group before removing: one page of groups.
      destroy: {
        [list]: pagesOf(n),
        [WORKSPACE_LIST]: pagesOf(w),
        [GROUPS_LIST]: 1,
        [`DELETE ${GROUP_MEMBERSHIPS}.delete`]: n,
      },
    };
  },
  describe: ({ n, workspaceMembers: w }) =>
    `One \`mode.GroupMembers\` of N = ${n} usernames on a seeded group (the emulator seeds ${n} users, all in ` +
    `its one group, which the bench empties first through the control interface). It reads the group's ` +
    `memberships and the workspace's (${w} members, ${pagesOf(w)} pages) to resolve usernames; the groups' ` +
    "listing (1 page) only to find the group before writing and to name it on a line.",
};

/**
 * One CollectionAccess restricting a seeded collection and granting it to N users: the collection's
 * permissions, the workspace's memberships (usernames) and the workspace's collections (the
 * collection's existence, default level and name) are what it reads.
 */
const collectionAccess: SizeCase = {
  key: "collection-access",
  resource: "mode.CollectionAccess",
  env: "BENCH_COLLECTION_ACCESS",
  program: "bench/programs/collection-access",
  name: "collection",
  // Collection 2 has the default level `view` and, with no group seeded, no grant.
  seed: (n) => ({ users: n, spaces: 2, groups: 0 }),
  async prepare(emu, n) {
    const { seed } = emu;
    const collection = seed.mode.collections.find((c) => c.defaultAccessLevel === "view");
    if (!collection) throw new Error("the emulator seeded no collection of level view");
    const auth = basic(seed.mode.token, seed.mode.secret);
    const url = `${seed.modeApiUrl}/${seed.mode.workspace}/spaces/${collection.token}/permissions`;
    const grants = (await listAll(url, auth, "space_entitlements")).all.length;
    if (grants > 0) throw new Error(`collection ${collection.name} has ${grants} grants, not none`);
    return {
      workspace: seed.mode.workspace,
      collection: collection.token,
      defaultAccess: "restricted",
      // One user in ten may edit, the others view.
      grants: declaredUsers(seed, n).map((u, i) => ({
        username: u.username,
        action: i % 10 === 0 ? "edit" : "view",
      })),
    };
  },
  held: (r) => outputList(r, "resolvedGrants").length,
  async drift(emu, resource, count) {
    const { seed } = emu;
    const auth = basic(seed.mode.token, seed.mode.secret);
    const url = `${seed.modeApiUrl}/${seed.mode.workspace}/spaces/${String(resource.outputs?.collection)}/permissions`;
    const live = (await listAll<PermissionBody>(url, auth, "space_entitlements")).all;
    for (const i of spreadIndices(live.length, count)) {
      const res = await req("DELETE", `${url}/${live[i].token}`, { auth });
      if (res.status !== 200) throw new Error(`revoking ${live[i].token} answered ${res.status}`);
    }
  },
  expected({ n, driftMade: d, workspaceMembers: w }) {
    const list = `GET ${SPACE_PERMISSIONS}.list`;
    const create = `POST ${SPACE_PERMISSIONS}.create`;
    const level = "PATCH mode.spaces.update";
    const reads = (grants: number): Routes => ({
      [SPACES_LIST]: 1,
      [list]: pagesOf(grants),
      [WORKSPACE_LIST]: pagesOf(w),
    });
    return {
      up: { ...reads(0), [create]: n, [level]: 1 },
      preview: reads(n),
      drift: reads(n - d),
      repair: { ...reads(n - d), [create]: d },
      // Revokes the N grants and puts the level back to view.
      destroy: { ...reads(n), [`DELETE ${SPACE_PERMISSIONS}.delete`]: n, [level]: 1 },
    };
  },
  describe: ({ n, workspaceMembers: w }) =>
    `One \`mode.CollectionAccess\` with \`defaultAccess: "restricted"\` and N = ${n} user grants (one in ten ` +
    `\`edit\`) on a seeded collection of level \`view\` without grants (the emulator seeds ${n} users and 2 ` +
    `collections). It reads the collection's permissions, the workspace's memberships (${w} members, ` +
    `${pagesOf(w)} pages) to resolve usernames, and the workspace's collections (1 page) for the ` +
    "collection's existence, default level and name.",
};

/** The size cases, in the order `npm run bench` runs them. */
export const SIZE_CASES: readonly SizeCase[] = [spaceMembers, groupMembers, collectionAccess];
