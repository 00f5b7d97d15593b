/**
 * GroupMembers: the whole member list of a Mode user group, authoritative. After `up` the group holds
 * exactly the declared usernames (a set: order and case do not matter) that are workspace members:
 * missing ones are added (members already there are adopted), every other member is removed.
 * Declared usernames that are not workspace members are reported (the output `missing`), never an
 * error, and added by the first `up` after they join. Drift (anyone added or removed outside Pulumi,
 * someone missing who joined since, someone who left) is an in-place update found from one listing
 * of the group and this run's listing of the workspace, with one line naming who is added and removed.
 *
 * The removal policy (provider/removals.ts): with `unmanaged: "report"` undeclared members are listed
 * (the output `unmanaged`, and the reason line) and never removed; `maxRemovals` caps the removals of
 * one run, checked in diff and again before the first write. Deleting the resource removes only its
 * declared members and is not counted. A group the identity provider manages (SCIM) is refused:
 * its members change only there.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { UserGroup, UserGroupMembership, WorkspaceMembership } from "../client";
import { batchError, writeAll } from "../batch";
import { describeAccessor, usernamesByToken } from "../collections/accessors";
import {
  addGroupMember,
  groupMemberships,
  markGroupMembershipPlaced,
  removeGroupMember,
  type GroupRef,
} from "../collections/group-memberships";
import { findCurrentGroup, findGroup, isManaged, managedGroupError } from "../collections/groups";
import { workspaceMemberships } from "../collections/workspace-memberships";
import { providerContext } from "../context";
import { ObjectSchema } from "../inputs";
import {
  checkRemovalLimit,
  counted,
  describeUnmanaged,
  listNames,
  MEMBERS,
  policyOf,
  removalInputProperties,
  removalRefusal,
  removalStateProperties,
  REMOVAL_STORED_AS,
  splitRemovals,
  storedPolicy,
  unmanagedChanged,
  type RemovalPolicy,
  type RemovalSubject,
} from "../removals";
import { implement, type CheckRefusal, type Created, type Drift } from "../resource";
import { RULES, sameUsername, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

/** The most usernames one list may declare (a bound for check, far above real groups). */
const MAX_MEMBERS = 10_000;

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  group: {
    ...stringSchema(RULES.token),
    description: "The group's token, e.g. `group.token` of a mode.Group, or a token from getGroups.",
  },
  usernames: {
    type: "array",
    items: stringSchema(RULES.accountName),
    maxItems: MAX_MEMBERS,
    description:
      "Who the group holds: a set of usernames (order, repeats and case do not matter). A username that " +
      "is not a workspace member is reported in `missing` and added once they join; an empty list empties the group.",
  },
  ...removalInputProperties,
} as const;

/** The inputs of a GroupMembers, declared once. */
export const groupMembersInputSchema = {
  type: "object",
  required: ["workspace", "group", "usernames"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** GroupMembers inputs. */
export type GroupMembersInputs = FromSchema<typeof groupMembersInputSchema>;

/** A member of the group as the outputs list them. */
const memberSchema = {
  type: "object",
  required: ["username", "memberToken"],
  properties: {
    username: {
      type: ["string", "null"],
      description:
        "The member's username, from the workspace's memberships (null when it does not list them).",
    },
    memberToken: { type: "string", description: "The member's user token." },
  },
  additionalProperties: false,
} as const;

/** The state of a GroupMembers: the inputs plus the live members and who is missing. */
export const groupMembersStateSchema = {
  type: "object",
  required: ["workspace", "group", "usernames", "members", "missing"],
  properties: {
    ...inputProperties,
    members: {
      type: "array",
      items: memberSchema,
      description: "The group's members after the last run; after a refresh, everyone live in the group.",
    },
    missing: {
      type: "array",
      items: { type: "string" },
      description:
        "Declared usernames that are not workspace members: not an error; the first `up` after they join adds them.",
    },
    ...removalStateProperties(memberSchema),
  },
  additionalProperties: false,
} as const;

/** GroupMembers outputs. */
export type GroupMembersOutputs = FromSchema<typeof groupMembersStateSchema>;

/** A member of the group: their username (when the workspace lists them) and user token. */
export type GroupMember = FromSchema<typeof memberSchema>;

const inputs = new ObjectSchema<GroupMembersInputs>(groupMembersInputSchema, "inputs of mode:GroupMembers", {
  trimmed: ["workspace", "group", "usernames"],
});
const state = new ObjectSchema<GroupMembersOutputs>(
  groupMembersStateSchema,
  "stored outputs of mode:GroupMembers",
);

/** What `up` must do to a group so it holds exactly the declared members. */
export interface GroupPlan {
  /** Declared workspace members the group lacks. */
  readonly add: GroupMember[];
  /** Memberships that are removed: undeclared (none with `report`), or a member held twice. */
  readonly remove: UserGroupMembership[];
  /** Undeclared memberships that stay because `unmanaged` is `report`. */
  readonly unmanaged: UserGroupMembership[];
  /** Declared members the group already has (adopted when the stack did not add them). */
  readonly keep: UserGroupMembership[];
  /** Declared usernames that are not workspace members (each once, as declared). */
  readonly missing: string[];
}

/** Usernames by user token (the workspace's members). */
type Names = ReadonlyMap<string, string>;

// ---- check ---------------------------------------------------------------------------------------

/**
 * Before a new GroupMembers is created (a preview shows it as a bare `+ create`): a group that is not
 * active, or a managed one, is refused; otherwise one line says whom `up` adds, removes and cannot
 * add yet, and more removals than `maxRemovals` refuse it.
 */
async function inspectCreate(
  args: GroupMembersInputs,
): Promise<CheckRefusal<GroupMembersInputs> | undefined> {
  const group = await findCurrentGroup(args.workspace, args.group);
  if (!group) return { property: "group", reason: noGroupError(args).message };
  if (isManaged(group)) {
    return {
      property: "group",
      reason: managedGroupError(args.workspace, group.name, "manage the members of").message,
    };
  }
  const { plan, names } = await planFor(args, args);
  const subject = await subjectOf(args); // from the groups' listing just read: no further request
  const refusal = removalRefusal(() => checkRemovalLimit(args, plan.remove.map(nameOf(names)), subject));
  if (refusal) return refusal;
  await report(args, plan, names);
  return undefined;
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from one listing of the group and this run's listing of the workspace: members to add or
 * remove (changed outside Pulumi, by the program, or someone missing who joined since) are an
 * in-place update; so is a changed set of the unmanaged or of the missing, which only refreshes
 * those outputs. More removals than `maxRemovals`, or writes to a managed group, fail the preview;
 * writes to a group that is gone are an update whose line says `up` fails. The groups' listing is
 * read only when there is something to say (to name the group).
 */
async function drift(
  olds: GroupMembersOutputs,
  news: GroupMembersInputs,
): Promise<Drift<GroupMembersOutputs> | undefined> {
  const { plan, names } = await planFor(olds, news);
  await checkLimit(news, plan, names);
  if (plan.add.length > 0 || plan.remove.length > 0) {
    const group = await findGroup(olds.workspace, olds.group);
    if (!group) return { property: "members", inPlace: true, reason: goneReason(olds) };
    if (isManaged(group)) throw managedGroupError(olds.workspace, group.name, "manage the members of");
    return { property: "members", inPlace: true, reason: await describePlan(news, plan, names) };
  }
  if (unmanagedChanged(olds.unmanaged, unmanagedOf(plan, names), keyOf)) {
    return { property: "unmanaged", inPlace: true, reason: await describePlan(news, plan, names) };
  }
  // The same set comparison for the missing: someone declared left, or joined and is in the group.
  if (unmanagedChanged(olds.missing, plan.missing, (name) => name.toLowerCase())) {
    return { property: "missing", inPlace: true, reason: await describePlan(news, plan, names) };
  }
  await report(news, plan, names);
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

/** Makes the group hold the declared members; a managed group, or one that is gone, fails first. */
async function create(args: GroupMembersInputs): Promise<Created<GroupMembersOutputs>> {
  const group = await liveGroup(args);
  if (isManaged(group)) throw managedGroupError(args.workspace, group.name, "manage the members of");
  const { plan, names } = await planFor(args, args);
  const outs = await enforce(args, plan, names);
  // No diff ran before a create: the line check showed (or, when the inputs were unknown then, now).
  await report(args, plan, names);
  return { id: `${args.workspace}/${args.group}`, outs };
}

// ---- read ----------------------------------------------------------------------------------------

/**
 * The group's live members (all of them, declared or not), who of the declared is missing now and,
 * with `unmanaged: "report"`, who is unmanaged; the declared list stays as it was.
 */
async function read(id: string, olds: GroupMembersOutputs): Promise<Created<GroupMembersOutputs>> {
  const { plan, names, live } = await planFor(olds, { usernames: olds.usernames, ...policyOf(olds) });
  const members = sorted(live.map((m) => memberOf(m, names)));
  return { id, outs: { ...olds, members, missing: plan.missing, unmanaged: unmanagedOf(plan, names) } };
}

// ---- update --------------------------------------------------------------------------------------

/** Brings the group to the declared members, from the listings `diff` already made in this run. */
async function update(
  _id: string,
  olds: GroupMembersOutputs,
  news: GroupMembersInputs,
): Promise<GroupMembersOutputs> {
  const { plan, names } = await planFor(olds, news);
  return enforce(news, plan, names);
}

// ---- delete --------------------------------------------------------------------------------------

/**
 * Removes the declared members (others in the group stay); gone, or the group gone, counts as done.
 * A managed group is refused when there is anyone to remove.
 */
async function del(_id: string, olds: GroupMembersOutputs): Promise<void> {
  const [live, workspace] = await Promise.all([
    groupMemberships(olds).all(),
    workspaceMemberships(olds.workspace).all(),
  ]);
  const declared = new Set(declaredMembers(olds.usernames, workspace).map((m) => m.member_token));
  const remove = live.filter((m) => declared.has(m.member_token));
  if (remove.length === 0) return;
  await refuseManaged(olds);
  const names = await usernamesByToken(olds.workspace);
  const failures = await writeAll(remove, (m) => removeGroupMember(olds, m.token));
  if (failures.length > 0) {
    const where = await whereOf(olds);
    throw batchError(`Removing the declared members of ${where}`, remove.length, failures, nameOf(names));
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** The workspace members the usernames declare (each once), in the declared order. */
function declaredMembers(usernames: readonly string[], workspace: readonly WorkspaceMembership[]) {
  const byName = new Map(workspace.map((m) => [m.member_username.toLowerCase(), m]));
  const seen = new Set<string>();
  const out: WorkspaceMembership[] = [];
  for (const name of usernames) {
    const member = byName.get(name.toLowerCase());
    if (!member || seen.has(member.member_token)) continue;
    seen.add(member.member_token);
    out.push(member);
  }
  return out;
}

/**
 * The plan that turns the group's `live` memberships into exactly the declared usernames, under the
 * removal policy (default: remove the undeclared; `report` keeps them as unmanaged, and still adds
 * the missing). `workspace` is the workspace's membership listing.
 */
export function planGroup(
  args: { usernames: readonly string[] } & RemovalPolicy,
  live: readonly UserGroupMembership[],
  workspace: readonly WorkspaceMembership[],
): GroupPlan {
  const declared = declaredMembers(args.usernames, workspace);
  const wanted = new Set(declared.map((m) => m.member_token));
  const present = new Set<string>();
  const keep: UserGroupMembership[] = [];
  const undeclared: UserGroupMembership[] = [];
  const twice: UserGroupMembership[] = [];
  for (const m of live) {
    if (!wanted.has(m.member_token)) undeclared.push(m);
    else if (present.has(m.member_token))
      twice.push(m); // Mode should never hold one person twice
    else {
      present.add(m.member_token);
      keep.push(m);
    }
  }
  const { remove, unmanaged } = splitRemovals(args, undeclared);
  const missing: string[] = [];
  for (const name of args.usernames) {
    const known = workspace.some((m) => sameUsername(m.member_username, name));
    if (!known && !missing.some((other) => sameUsername(other, name))) missing.push(name);
  }
  return {
    add: declared
      .filter((m) => !present.has(m.member_token))
      .map((m) => ({ username: m.member_username, memberToken: m.member_token })),
    remove: [...remove, ...twice],
    unmanaged,
    keep,
    missing,
  };
}

/**
 * The plan for the declared `args` in the group `at`, from this run's listings: the group's
 * memberships (one listing) and the workspace's; with the names of the group's members.
 */
async function planFor(
  at: GroupRef,
  args: { usernames: readonly string[] } & RemovalPolicy,
): Promise<{ plan: GroupPlan; names: Names; live: UserGroupMembership[] }> {
  const [live, workspace, names] = await Promise.all([
    groupMemberships(at).all(),
    workspaceMemberships(at.workspace).all(),
    usernamesByToken(at.workspace),
  ]);
  return { plan: planGroup(args, live, workspace), names, live };
}

/**
 * Carries out `plan` (creates and deletes with bounded concurrency, paced by the client's limiter)
 * and returns every output. More removals than `maxRemovals`, a managed group, or a group that is
 * gone fail before anything is sent. Adding a member who is already there adopts them; removing one
 * who is gone succeeds. When some writes fail, throws after all ran: the next `up` finds what is left.
 */
async function enforce(
  args: GroupMembersInputs,
  plan: GroupPlan,
  names: Names,
): Promise<GroupMembersOutputs> {
  await checkLimit(args, plan, names);
  if (plan.add.length > 0 || plan.remove.length > 0) {
    const group = await liveGroup(args);
    if (isManaged(group)) throw managedGroupError(args.workspace, group.name, "manage the members of");
  }
  // The members already there belong to this resource now, like the ones it adds: the delete half
  // of a replacement later in this run must leave them alone.
  for (const m of plan.keep) markGroupMembershipPlaced(args, m.token);
  const created: UserGroupMembership[] = [];
  type Write = { add: GroupMember } | { remove: UserGroupMembership };
  const writes: Write[] = [...plan.remove.map((m) => ({ remove: m })), ...plan.add.map((m) => ({ add: m }))];
  const failures = await writeAll(writes, async (write) => {
    if ("remove" in write) return removeGroupMember(args, write.remove.token);
    created.push((await addGroupMember(args, write.add.memberToken)).object);
  });
  if (failures.length > 0) {
    const name = nameOf(names);
    throw batchError(
      `Making ${await whereOf(args)} hold exactly the declared members`,
      writes.length,
      failures,
      (w) => ("remove" in w ? `removing ${name(w.remove)}` : `adding ${w.add.username ?? w.add.memberToken}`),
    );
  }
  const held = [...plan.keep, ...plan.unmanaged, ...created];
  return {
    workspace: args.workspace,
    group: args.group,
    usernames: args.usernames,
    ...storedPolicy(args),
    members: sorted(held.map((m) => memberOf(m, names))),
    missing: plan.missing,
    unmanaged: unmanagedOf(plan, names),
  };
}

/** The active group `at` (listed again once when missing); fails, changing nothing, when there is none. */
async function liveGroup(at: GroupRef): Promise<UserGroup> {
  const group = await findCurrentGroup(at.workspace, at.group);
  if (group) return group;
  throw noGroupError(at);
}

function noGroupError(at: GroupRef): Error {
  return new Error(
    `${at.workspace} has no active group ${at.group} (deleted outside Pulumi, or a wrong token): nothing was ` +
      "changed. Pass the token of an existing group (e.g. group.token of a mode.Group, or one listed by getGroups).",
  );
}

/** The line for a group that is no longer listed (a mode.Group of the stack would be replaced instead). */
function goneReason(at: GroupRef): string {
  return (
    `group ${at.group} of ${at.workspace} is not an active group (deleted outside Pulumi?) — up fails until it ` +
    "exists: pass the token of an existing group (e.g. group.token of a mode.Group), or remove this resource"
  );
}

/** Fails, saying why and what to do, when the group (in this run's listing) is managed by SCIM. */
async function refuseManaged(at: GroupRef): Promise<void> {
  const group = await findGroup(at.workspace, at.group);
  if (group && isManaged(group)) throw managedGroupError(at.workspace, group.name, "manage the members of");
}

/** `checkRemovalLimit`, naming the group (its listing is read only when the limit is exceeded). */
async function checkLimit(args: GroupRef & RemovalPolicy, plan: GroupPlan, names: Names): Promise<void> {
  if (args.maxRemovals === undefined || plan.remove.length <= args.maxRemovals) return;
  checkRemovalLimit(args, plan.remove.map(nameOf(names)), await subjectOf(args));
}

/** What the removal policy counts in: the group's members. */
async function subjectOf(at: GroupRef): Promise<RemovalSubject> {
  return { where: await whereOf(at), noun: MEMBERS };
}

/** The group by what the API knows: `group "Analysts" of acme` (its token when it is not listed). */
async function whereOf(at: GroupRef): Promise<string> {
  return `${await describeAccessor(at.workspace, { type: "UserGroup", token: at.group })} of ${at.workspace}`;
}

function memberOf(m: UserGroupMembership, names: Names): GroupMember {
  return { username: names.get(m.member_token) ?? null, memberToken: m.member_token };
}

/** A live membership as lines name it: the username, or `member <token>` when the workspace lacks them. */
function nameOf(names: Names): (m: UserGroupMembership) => string {
  return (m) => names.get(m.member_token) ?? `member ${m.member_token}`;
}

/** The unmanaged of a plan as the output lists them: each member once, sorted. */
function unmanagedOf(plan: GroupPlan, names: Names): GroupMember[] {
  const once = new Map(plan.unmanaged.map((m) => [m.member_token, memberOf(m, names)]));
  return sorted([...once.values()]);
}

function keyOf(m: GroupMember): string {
  return m.memberToken;
}

function sorted(members: GroupMember[]): GroupMember[] {
  const key = (m: GroupMember): string => m.username ?? m.memberToken;
  return members.sort((a, b) => key(a).localeCompare(key(b)));
}

/** Shows a plan's line once per provider process, when it says anything. */
async function report(at: GroupRef, plan: GroupPlan, names: Names): Promise<void> {
  if (plan.add.length + plan.remove.length + plan.unmanaged.length + plan.missing.length === 0) return;
  providerContext().reportOnce(`mode:GroupMembers ${await describePlan(at, plan, names)}`);
}

/**
 * The reviewer's line, e.g. `group "Analysts" of acme: 2 members differ from the program — up adds
 * ana; removes bob; carl is not a member of acme — added once they join (invite them with
 * mode.WorkspaceInvite)`. With `unmanaged: "report"`, the undeclared part reads `1 member is not in
 * the program — kept, unmanaged is report: bob`.
 */
export async function describePlan(at: GroupRef, plan: GroupPlan, names: Names): Promise<string> {
  const name = nameOf(names);
  const parts: string[] = [];
  const count = plan.add.length + plan.remove.length;
  if (count > 0) {
    const actions = [
      ...(plan.add.length > 0 ? [`adds ${listNames(plan.add.map((m) => m.username ?? m.memberToken))}`] : []),
      ...(plan.remove.length > 0 ? [`removes ${listNames(plan.remove.map(name))}`] : []),
    ];
    const verb = count === 1 ? "differs" : "differ";
    parts.push(`${counted(count, MEMBERS)} ${verb} from the program — up ${actions.join("; ")}`);
  }
  if (plan.unmanaged.length > 0) parts.push(describeUnmanaged(plan.unmanaged.map(name), MEMBERS));
  if (plan.missing.length > 0) {
    const verb = plan.missing.length === 1 ? "is not a member" : "are not members";
    parts.push(
      `${listNames(plan.missing)} ${verb} of ${at.workspace} — added once they join (invite them with mode.WorkspaceInvite)`,
    );
  }
  return `${await whereOf(at)}: ${parts.join("; ")}`;
}

/** The GroupMembers implementation. */
export const groupMembers = implement<GroupMembersInputs, GroupMembersOutputs>({
  kind: "GroupMembers",
  inputs,
  state,
  identity: { workspace: "exact", group: "exact" },
  compare: { usernames: "caseInsensitive" },
  storedAs: REMOVAL_STORED_AS,
  inspectCreate,
  // A new group is a new resource: the old one's delete removes only the old group's declared members.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
