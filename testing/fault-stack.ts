/**
 * Support for the reliability suites: the stress program's configuration, exact-set accounting of
 * what the emulator holds against what the program declares (duplicates, missing, orphans), and a
 * collector of every error message and log the suites produce, for the secret scan.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import { control } from "./emulator-control";
import { PulumiWorkspace, repoRoot } from "./engine";

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
}

/** Total resources of `counts`. */
export function total(counts: StressCounts): number {
  return counts.invites + counts.memberships + counts.orgInvites + counts.acceptances + (counts.members ?? 0);
}

/** Seeded users for the stress program's SpaceMemberships; the users after them are the member pool. */
const SPACE_USERS = 40;

/**
 * A fresh emulator seeded for the stress program: 40 users for space memberships, then `members`
 * more for its WorkspaceMemberships to adopt (kept apart, so removing one never touches a space
 * membership the program declares).
 */
export function startStressEmulator(members = 0): Promise<RunningEmulator> {
  return startEmulator({ port: 0, seed: { users: SPACE_USERS + members, spaces: 4, userGroups: 2 } });
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
  spaces: { id: number; token: string }[];
  spaceMemberships: { token: string; spaceId: number; memberType: string; memberToken: string }[];
  orgInvites: {
    id: string;
    organizationId: string;
    recipientEmail: string;
    code: string;
    acceptedAt: string | null;
    inviteUserAs: string | null;
  }[];
}

/** Reads the emulator's whole state. */
export async function emulatorState(emulator: RunningEmulator): Promise<EmulatorState> {
  const res = await control<EmulatorState>(emulator, "GET", "/state");
  assert.equal(res.status, 200, res.text);
  return res.json;
}

/** Identity keys of the objects the stress program manages, with how many live objects carry each. */
export interface LiveObjects {
  /** `email` → invites (workspace invites of the program's prefix). */
  invites: Map<string, number>;
  /** `space|memberType|memberToken` → space memberships. */
  memberships: Map<string, number>;
  /** `email` → org invites of the program's prefix. */
  orgInvites: Map<string, number>;
  /** `email` → accepted org invites of the program's prefix. */
  acceptances: Map<string, number>;
  /** Workspace memberships: `invitee:<email>` of the program's invites, `member:<username>` of the pool. */
  workspaceMembers: Map<string, number>;
  /** Invites Mode sent more than once (`resent_at` set). */
  resent: number;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** An empty tally. */
function noObjects(): LiveObjects {
  return {
    invites: new Map(),
    memberships: new Map(),
    orgInvites: new Map(),
    acceptances: new Map(),
    workspaceMembers: new Map(),
    resent: 0,
  };
}

/**
 * Counts the live objects in `state` (only space memberships not present in `baseline`; workspace
 * memberships of the program's invitees and of `pool`, the usernames its WorkspaceMemberships adopt).
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
  return out;
}

/** What the stress program declares (same arithmetic as tests/fixtures/stress/index.js). */
export function declaredObjects(
  emulator: RunningEmulator,
  counts: StressCounts,
  prefix: string,
): LiveObjects {
  const seed = emulator.seed.mode;
  const { forSpaces, pool } = seededUsers(emulator);
  const members = [
    ...forSpaces.map((u) => `User|${u.token}`),
    ...seed.userGroups.map((g) => `UserGroup|${g}`),
  ];
  const out = noObjects();
  for (let i = 0; i < counts.invites; i++) {
    bump(out.invites, `${prefix}-ws-${i}@example.com`);
    bump(out.workspaceMembers, `invitee:${prefix}-ws-${i}@example.com`);
  }
  for (const user of pool.slice(0, counts.members ?? 0))
    bump(out.workspaceMembers, `member:${user.username}`);
  for (let i = 0; i < counts.memberships; i++) {
    const space = seed.spaces[Math.floor(i / members.length) % seed.spaces.length];
    bump(out.memberships, `${space}|${members[i % members.length]}`);
  }
  for (let i = 0; i < counts.orgInvites; i++) bump(out.orgInvites, `${prefix}-org-${i}@example.com`);
  for (let i = 0; i < Math.min(counts.acceptances, counts.orgInvites); i++)
    bump(out.acceptances, `${prefix}-org-${i}@example.com`);
  return out;
}

/** The comparison of live against declared objects. */
export interface Accounting {
  duplicates: string[];
  missing: string[];
  orphans: string[];
  resent: number;
  live: number;
}

/** Compares live objects with the declared ones, kind by kind. */
export function account(live: LiveObjects, declared: LiveObjects): Accounting {
  const result: Accounting = { duplicates: [], missing: [], orphans: [], resent: live.resent, live: 0 };
  for (const kind of ["invites", "memberships", "orgInvites", "acceptances", "workspaceMembers"] as const) {
    const have = live[kind];
    const want = declared[kind];
    for (const [key, n] of have) {
      result.live += n;
      if (n > 1) result.duplicates.push(`${kind}:${key} x${n}`);
      if (!want.has(key)) result.orphans.push(`${kind}:${key}`);
    }
    for (const key of want.keys()) if (!have.has(key)) result.missing.push(`${kind}:${key}`);
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
  const plain: Record<string, string> = {
    "stress:workspace": seed.workspace,
    "stress:spaces": JSON.stringify(seed.spaces),
    "stress:users": JSON.stringify(seededUsers(emulator).forSpaces.map((u) => u.token)),
    "stress:usernames": JSON.stringify(seededUsers(emulator).pool.map((u) => u.username)),
    "stress:members": String(counts.members ?? 0),
    "stress:groups": JSON.stringify(seed.userGroups),
    "stress:organizationId": emulator.seed.org.organizationId,
    "stress:prefix": prefix,
    "stress:invites": String(counts.invites),
    "stress:memberships": String(counts.memberships),
    "stress:orgInvites": String(counts.orgInvites),
    "stress:acceptances": String(counts.acceptances),
  };
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

/** A stress stack on a fresh emulator (40 users, 4 spaces, 2 groups), configured and ready to run. */
export interface StressStack {
  emulator: RunningEmulator;
  ws: PulumiWorkspace;
  baseline: EmulatorState;
  /** Compares the emulator's objects with what `declared` counts declare. */
  check(declared: StressCounts): Promise<Accounting>;
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
    check: async (declared) =>
      account(
        liveObjects(await emulatorState(emulator), prefix, baseline, poolOf(emulator)),
        declaredObjects(emulator, declared, prefix),
      ),
    setCounts: async (next) => {
      for (const key of ["invites", "memberships", "orgInvites", "acceptances", "members"] as const)
        await workspace.setConfig(`stress:${key}`, String(next[key] ?? 0));
    },
    dispose: async () => {
      await rememberSecrets(emulator).catch(() => undefined);
      await workspace.dispose().catch(() => undefined);
      await emulator.close().catch(() => undefined);
    },
  };
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
