/**
 * SpaceMembers: the whole member list of a Mode space (Collection), authoritative. After `up` the
 * space holds exactly the declared users and user groups: missing ones are added (members already
 * there are adopted), every other member is removed, through the deprecated
 * `/{account}/spaces/{space}/memberships` endpoints. Drift (anyone added or removed outside Pulumi)
 * is an in-place update that sends only the creates and deletes needed.
 *
 * The removal policy (provider/removals.ts): with `unmanaged: "report"` undeclared members are
 * listed (the output `unmanaged`, and the reason line) and never removed, while missing declared ones
 * are still added; `maxRemovals` caps the removals of one run, checked in diff and again before the
 * first write. Deleting the resource removes only its declared members and is not counted.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { SpaceMembership } from "../client";
import { batchError, writeAll } from "../batch";
import {
  addSpaceMember,
  markSpaceMembershipPlaced,
  removeSpaceMembership,
  spaceMemberships,
} from "../collections/space-memberships";
import { providerContext } from "../context";
import { ObjectSchema } from "../inputs";
import {
  checkRemovalLimit,
  counted,
  describeUnmanaged,
  listNames,
  MEMBERS,
  removalInputProperties,
  storedPolicy,
  policyOf,
  REMOVAL_STORED_AS,
  removalRefusal,
  splitRemovals,
  unmanagedChanged,
  removalStateProperties,
  type RemovalPolicy,
  type RemovalSubject,
} from "../removals";
import { implement, type CheckRefusal, type Created, type Drift } from "../resource";
import { MEMBER_TYPES, RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

/** The most members one list may declare (a bound for check, far above real spaces). */
const MAX_MEMBERS = 10_000;

const tokens = { type: "array", items: stringSchema(RULES.token), maxItems: MAX_MEMBERS } as const;

const inputProperties = {
  account: {
    ...stringSchema(RULES.accountName),
    description: "The username of the workspace (or user) that owns the space, e.g. `acme-analytics`.",
  },
  space: { ...stringSchema(RULES.token), description: "The space's (Collection's) token." },
  users: {
    ...tokens,
    description: "Tokens of the users the space must hold: a set (order and repeats do not matter).",
  },
  userGroups: {
    ...tokens,
    description:
      "Tokens of the user groups the space must hold: a set. Declaring neither list empties the space.",
  },
  ...removalInputProperties,
} as const;

/** The inputs of a SpaceMembers, declared once. */
export const spaceMembersInputSchema = {
  type: "object",
  required: ["account", "space"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** SpaceMembers inputs. */
export type SpaceMembersInputs = FromSchema<typeof spaceMembersInputSchema>;

const memberType = {
  type: "string",
  enum: MEMBER_TYPES,
  description: "Whether the member is a user or a user group.",
} as const;
const memberToken = { type: "string", description: "The user's or user group's token." } as const;

/** A member of the space as the outputs list it: who, and the space membership's own token. */
const membershipSchema = {
  type: "object",
  required: ["memberType", "memberToken", "token"],
  properties: {
    memberType,
    memberToken,
    token: { type: "string", description: "The space membership's own token." },
  },
  additionalProperties: false,
} as const;

/** A member added or removed by the last run (`email` for users, when Mode reported one). */
const changeSchema = {
  type: "object",
  required: ["memberType", "memberToken"],
  properties: {
    memberType,
    memberToken,
    email: { type: ["string", "null"], description: "The user's email, when Mode reported one." },
  },
  additionalProperties: false,
} as const;

/** The state of a SpaceMembers: the inputs plus the live members and what the last run changed. */
export const spaceMembersStateSchema = {
  type: "object",
  required: ["account", "space", "memberships", "added", "removed"],
  properties: {
    ...inputProperties,
    memberships: {
      type: "array",
      items: membershipSchema,
      description: "The space's members after the last run; after a refresh, everyone live in the space.",
    },
    added: { type: "array", items: changeSchema, description: "The members the last run added." },
    removed: { type: "array", items: changeSchema, description: "The members the last run removed." },
    ...removalStateProperties(changeSchema),
  },
  additionalProperties: false,
} as const;

/** SpaceMembers outputs. */
export type SpaceMembersOutputs = FromSchema<typeof spaceMembersStateSchema>;

/** One member of a space: a user or a user group, by token. */
export type Member = FromSchema<typeof changeSchema>;

const inputs = new ObjectSchema<SpaceMembersInputs>(spaceMembersInputSchema, "inputs of mode:SpaceMembers", {
  trimmed: ["account", "space", "users", "userGroups"],
});
const state = new ObjectSchema<SpaceMembersOutputs>(
  spaceMembersStateSchema,
  "stored outputs of mode:SpaceMembers",
);

/** What `up` must do to a space so it holds exactly the declared members. */
export interface SpacePlan {
  /** Declared members the space lacks. */
  readonly add: Member[];
  /** Members of the space that are removed: undeclared (none with `report`) or held twice. */
  readonly remove: SpaceMembership[];
  /** Undeclared members of the space that stay because `unmanaged` is `report`. */
  readonly unmanaged: SpaceMembership[];
  /** Declared members the space already has (adopted when the stack did not add them). */
  readonly keep: SpaceMembership[];
}

// ---- check ---------------------------------------------------------------------------------------

/**
 * Before a new SpaceMembers is created (a preview shows it as a bare `+ create`): one line saying
 * whom `up` adds, removes and keeps; more removals than `maxRemovals` refuse it.
 */
async function inspectCreate(
  args: SpaceMembersInputs,
): Promise<CheckRefusal<SpaceMembersInputs> | undefined> {
  const plan = planSpace(args, await spaceMemberships(args).all());
  const refusal = removalRefusal(() => checkRemovalLimit(args, plan.remove.map(memberName), subject(args)));
  if (refusal) return refusal;
  report(args, plan);
  return undefined;
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift: the live members (this run's one listing of the space) differ from the declared ones, by
 * additions or removals outside Pulumi or by a change of the program; `up` repairs it in place.
 * More removals than `maxRemovals` fail the preview. With `unmanaged: "report"` the undeclared
 * stay: a changed set of them is an in-place update that only refreshes `unmanaged`, an
 * unchanged one is reported without a change.
 */
async function drift(
  olds: SpaceMembersOutputs,
  news: SpaceMembersInputs,
): Promise<Drift<SpaceMembersOutputs> | undefined> {
  const plan = planSpace(news, await spaceMemberships(olds).all());
  checkRemovalLimit(news, plan.remove.map(memberName), subject(news));
  if (plan.add.length > 0 || plan.remove.length > 0) {
    return { property: "memberships", inPlace: true, reason: describePlan(news, plan) };
  }
  if (unmanagedChanged(olds.unmanaged, unmanagedOf(plan), keyOf)) {
    return { property: "unmanaged", inPlace: true, reason: describePlan(news, plan) };
  }
  report(news, plan);
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: SpaceMembersInputs): Promise<Created<SpaceMembersOutputs>> {
  const plan = planSpace(args, await spaceMemberships(args).all());
  const outs = await enforce(args, plan);
  // No diff ran before a create: the line check showed (or, when the inputs were unknown then, now).
  report(args, plan);
  return { id: `${args.account}/${args.space}`, outs };
}

// ---- read ----------------------------------------------------------------------------------------

/**
 * The space's live members (all of them, declared or not) and, with `unmanaged: "report"`, who of
 * them is unmanaged now; the declared lists stay as they were.
 */
async function read(id: string, olds: SpaceMembersOutputs): Promise<Created<SpaceMembersOutputs>> {
  const live = await spaceMemberships(olds).all();
  const declared = { users: olds.users, userGroups: olds.userGroups, ...policyOf(olds) };
  const unmanaged = unmanagedOf(planSpace(declared, live));
  return { id, outs: { ...olds, memberships: live.flatMap(membershipOf), unmanaged } };
}

// ---- update --------------------------------------------------------------------------------------

/** Brings the space to the new declared lists, from the listing `diff` already made in this run. */
async function update(
  _id: string,
  olds: SpaceMembersOutputs,
  news: SpaceMembersInputs,
): Promise<SpaceMembersOutputs> {
  return enforce(news, planSpace(news, await spaceMemberships(olds).all()));
}

// ---- delete --------------------------------------------------------------------------------------

/** Removes the members this resource declared (others in the space stay); gone counts as done. */
async function del(_id: string, olds: SpaceMembersOutputs): Promise<void> {
  const declared = new Set(declaredMembers(olds).map(keyOf));
  const live = (await spaceMemberships(olds).all()).filter((m) => declared.has(keyOf(liveMember(m))));
  const failures = await writeAll(live, (m) => removeSpaceMembership(olds, m.token));
  if (failures.length > 0) {
    throw batchError(`Removing the declared members of ${where(olds)}`, live.length, failures, (m) =>
      describeMember(liveMember(m)),
    );
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** The declared members, each once (users first, then user groups, in the declared order). */
export function declaredMembers(args: { users?: string[]; userGroups?: string[] }): Member[] {
  const seen = new Set<string>();
  const out: Member[] = [];
  const add = (memberType: Member["memberType"], memberToken: string): void => {
    const member = { memberType, memberToken };
    if (seen.has(keyOf(member))) return;
    seen.add(keyOf(member));
    out.push(member);
  };
  for (const token of args.users ?? []) add("User", token);
  for (const token of args.userGroups ?? []) add("UserGroup", token);
  return out;
}

/**
 * The plan that turns the `live` members into exactly the declared ones, under the removal policy
 * (default: remove the undeclared; `report` keeps them as unmanaged, and still adds the missing).
 */
export function planSpace(
  args: { users?: string[]; userGroups?: string[] } & RemovalPolicy,
  live: readonly SpaceMembership[],
): SpacePlan {
  const declared = declaredMembers(args);
  const wanted = new Set(declared.map(keyOf));
  const present = new Set<string>();
  const keep: SpaceMembership[] = [];
  const undeclared: SpaceMembership[] = [];
  const twice: SpaceMembership[] = [];
  for (const m of live) {
    const key = keyOf(liveMember(m));
    if (!wanted.has(key)) {
      undeclared.push(m);
    } else if (present.has(key)) {
      twice.push(m); // the same declared member twice, which Mode should never hold
    } else {
      present.add(key);
      keep.push(m);
    }
  }
  const { remove, unmanaged } = splitRemovals(args, undeclared);
  return {
    add: declared.filter((m) => !present.has(keyOf(m))),
    remove: [...remove, ...twice],
    unmanaged,
    keep,
  };
}

/**
 * Carries out `plan` (creates and deletes with bounded concurrency, paced by the client's limiter)
 * and returns every output. More removals than `maxRemovals` fail before anything is sent.
 * Creating a member who is already there adopts them; deleting one who is gone succeeds. When some
 * writes fail, throws after all ran: the next `up` finds what is left.
 */
async function enforce(args: SpaceMembersInputs, plan: SpacePlan): Promise<SpaceMembersOutputs> {
  checkRemovalLimit(args, plan.remove.map(memberName), subject(args));
  // The members already there belong to this resource now, like the ones it adds: the delete half
  // of a replacement (or of a renamed resource) later in this run must leave them alone.
  for (const m of plan.keep) markSpaceMembershipPlaced(args, m.token);
  const created: SpaceMembership[] = [];
  const removed: SpaceMembership[] = [];
  type Write = { add: Member } | { remove: SpaceMembership };
  const writes: Write[] = [...plan.remove.map((m) => ({ remove: m })), ...plan.add.map((m) => ({ add: m }))];
  const failures = await writeAll(writes, async (write) => {
    if ("remove" in write) {
      await removeSpaceMembership(args, write.remove.token);
      removed.push(write.remove);
      return;
    }
    const { object } = await addSpaceMember(args, write.add);
    created.push(object);
  });
  if (failures.length > 0) {
    throw batchError(
      `Making ${where(args)} hold exactly the declared members`,
      writes.length,
      failures,
      (w) =>
        "remove" in w
          ? `removing ${describeMember(liveMember(w.remove))}`
          : `adding ${describeMember(w.add)}`,
    );
  }
  return {
    account: args.account,
    space: args.space,
    ...(args.users === undefined ? {} : { users: args.users }),
    ...(args.userGroups === undefined ? {} : { userGroups: args.userGroups }),
    ...storedPolicy(args),
    memberships: sorted([...plan.keep, ...plan.unmanaged, ...created].flatMap(membershipOf)),
    added: sorted(created.map(liveMember)),
    removed: sorted(removed.map(liveMember)),
    unmanaged: unmanagedOf(plan),
  };
}

/** The unmanaged of a plan as the output lists them: each member once, sorted. */
function unmanagedOf(plan: SpacePlan): Member[] {
  const once = new Map(plan.unmanaged.map(liveMember).map((m) => [keyOf(m), m]));
  return sorted([...once.values()]);
}

/** What the removal policy counts in: the space's members. */
function subject(at: { account: string; space: string }): RemovalSubject {
  return { where: where(at), noun: MEMBERS };
}

/** Shows the unmanaged part of a plan once per provider process (no change to make). */
function report(at: { account: string; space: string }, plan: SpacePlan): void {
  if (plan.add.length + plan.remove.length + plan.unmanaged.length === 0) return;
  providerContext().reportOnce(`mode:SpaceMembers ${describePlan(at, plan)}`);
}

/** A live membership as a member (a member type other than the two known ones is kept as a user). */
function liveMember(m: SpaceMembership): Member {
  return {
    memberType: m.member_type === "UserGroup" ? "UserGroup" : "User",
    memberToken: m.member_token,
    ...(m.member_type === "UserGroup" ? {} : { email: m.email ?? null }),
  };
}

function membershipOf(m: SpaceMembership): SpaceMembersOutputs["memberships"] {
  const { memberType, memberToken } = liveMember(m);
  return [{ memberType, memberToken, token: m.token }];
}

function keyOf(m: { memberType: string; memberToken: string }): string {
  return `${m.memberType}/${m.memberToken}`;
}

function sorted<T extends { memberType: string; memberToken: string }>(items: T[]): T[] {
  return items.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

function where(at: { account: string; space: string }): string {
  return `space ${at.space} of ${at.account}`;
}

/** A member by what the API knows: `user u9 (ann@example.com)` or `user group g2`. */
export function describeMember(m: Member): string {
  if (m.memberType === "UserGroup") return `user group ${m.memberToken}`;
  return m.email ? `user ${m.memberToken} (${m.email})` : `user ${m.memberToken}`;
}

/** A live member as the reason line and the maxRemovals error name them. */
function memberName(m: SpaceMembership): string {
  return describeMember(liveMember(m));
}

function listed(items: Member[]): string {
  return listNames(items.map(describeMember));
}

/**
 * The reviewer's line: `space s1 of acme: 3 members differ from the program — up adds user u3;
 * removes user u9 (ann@example.com), user group g2`. With `unmanaged: "report"`, the undeclared
 * part reads `2 members are not in the program — kept, unmanaged is report: user u9
 * (ann@example.com), user group g2`.
 */
export function describePlan(at: { account: string; space: string }, plan: SpacePlan): string {
  const parts: string[] = [];
  const count = plan.add.length + plan.remove.length;
  if (count > 0) {
    const actions = [
      ...(plan.add.length > 0 ? [`adds ${listed(plan.add)}`] : []),
      ...(plan.remove.length > 0 ? [`removes ${listed(plan.remove.map(liveMember))}`] : []),
    ];
    const verb = count === 1 ? "differs" : "differ";
    parts.push(`${counted(count, MEMBERS)} ${verb} from the program — up ${actions.join("; ")}`);
  }
  if (plan.unmanaged.length > 0) parts.push(describeUnmanaged(plan.unmanaged.map(memberName), MEMBERS));
  return `${where(at)}: ${parts.join("; ")}`;
}

/** The SpaceMembers implementation. */
export const spaceMembers = implement<SpaceMembersInputs, SpaceMembersOutputs>({
  kind: "SpaceMembers",
  inputs,
  state,
  identity: { account: "exact", space: "exact" },
  storedAs: REMOVAL_STORED_AS,
  inspectCreate,
  // A new space is a new resource: the old one's delete removes only the old space's members.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
