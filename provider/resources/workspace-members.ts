/**
 * WorkspaceMembers: who may stay in a Mode workspace, authoritative. After `up` the workspace has no
 * member outside `usernames`, except members this package never removes: admins, SCIM-managed
 * members and the credentials' own user (reported, never deleted). Undeclared members are removed
 * and undeclared pending invites revoked (`DELETE /{workspace}/memberships/{membership}`). No API
 * adds a member by username, so a declared username that is not a member is reported, pointing at
 * WorkspaceInvite. Deleting the resource removes nobody: it only stops enforcing.
 *
 * The removal policy (provider/removals.ts): with `unmanaged: "report"` the undeclared are listed
 * (the output `unmanaged`, and the reason line) and never removed; `maxRemovals` caps the removals of
 * one run, checked in diff and again before the first DELETE.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { WorkspaceMembership } from "../client";
import { batchError, writeAll } from "../batch";
import {
  deleteMembership,
  KEPT_BECAUSE,
  keptBecause,
  wasMemberPlaced,
  workspaceMemberships,
} from "../collections/workspace-memberships";
import { providerContext } from "../context";
import { ObjectSchema } from "../inputs";
import {
  checkRemovalLimit,
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
import { RULES, sameUsername, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  usernames: {
    type: "array",
    items: stringSchema(RULES.accountName),
    maxItems: 10_000,
    description:
      "Who may be a member: a set of usernames, compared case-insensitively. A pending invitee counts by their username, e.g. `invite.memberUsername`.",
  },
  ...removalInputProperties,
} as const;

/** The inputs of a WorkspaceMembers, declared once. */
export const workspaceMembersInputSchema = {
  type: "object",
  required: ["workspace", "usernames"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** WorkspaceMembers inputs. */
export type WorkspaceMembersInputs = FromSchema<typeof workspaceMembersInputSchema>;

const memberSchema = {
  type: "object",
  required: ["username", "memberToken", "state", "admin", "managedByScim"],
  properties: {
    username: { type: "string", description: "The member's username." },
    memberToken: { type: "string", description: "The membership token." },
    state: {
      type: "string",
      description: "The membership's state: `active`, `invited`, `expired` or `deactivated`.",
    },
    admin: { type: "boolean", description: "Whether the member is a workspace admin." },
    managedByScim: { type: "boolean", description: "Whether SCIM manages the membership." },
  },
  additionalProperties: false,
} as const;

const removedSchema = {
  type: "object",
  required: ["username", "memberToken", "state"],
  properties: {
    username: { type: "string", description: "The removed member's username." },
    memberToken: { type: "string", description: "Their membership token." },
    state: {
      type: "string",
      description: "Their state when removed: `invited` or `expired` means an invite was revoked.",
    },
  },
  additionalProperties: false,
} as const;

const keptSchema = {
  type: "object",
  required: ["username", "because"],
  properties: {
    username: { type: "string", description: "The member's username." },
    because: {
      type: "string",
      enum: KEPT_BECAUSE,
      description:
        "Why they stay: an `admin`, `managedByScim` (only the identity provider may remove them), or `self` (Mode refused to remove the credentials' own user).",
    },
  },
  additionalProperties: false,
} as const;

/** The state of a WorkspaceMembers: the inputs plus the live members and what the last run did. */
export const workspaceMembersStateSchema = {
  type: "object",
  required: ["workspace", "usernames", "members", "removed", "kept", "missing"],
  properties: {
    ...inputProperties,
    members: {
      type: "array",
      items: memberSchema,
      description:
        "The workspace's members after the last run (declared and kept); after a refresh, everyone live.",
    },
    removed: {
      type: "array",
      items: removedSchema,
      description: "Who the last run removed (members removed, invites revoked).",
    },
    kept: {
      type: "array",
      items: keptSchema,
      description: "Undeclared members who stay, and why: pulumi-mode never removes them.",
    },
    missing: {
      type: "array",
      items: { type: "string" },
      description:
        "Declared usernames that are not members (nothing adds a member by username: invite them).",
    },
    ...removalStateProperties({ type: "string" }),
  },
  additionalProperties: false,
} as const;

/** WorkspaceMembers outputs. */
export type WorkspaceMembersOutputs = FromSchema<typeof workspaceMembersStateSchema>;

/** An undeclared member that stays, and why. */
export type Kept = FromSchema<typeof keptSchema>;

const inputs = new ObjectSchema<WorkspaceMembersInputs>(
  workspaceMembersInputSchema,
  "inputs of mode:WorkspaceMembers",
  { trimmed: ["workspace", "usernames"] },
);
const state = new ObjectSchema<WorkspaceMembersOutputs>(
  workspaceMembersStateSchema,
  "stored outputs of mode:WorkspaceMembers",
);

/** What `up` does to a workspace so no one outside the declared usernames stays in it. */
export interface WorkspacePlan {
  /** Undeclared members and invitees that are removed (invites revoked); none with `report`. */
  readonly remove: WorkspaceMembership[];
  /** Undeclared members and invitees that stay because `unmanaged` is `report`. */
  readonly unmanaged: WorkspaceMembership[];
  /** Undeclared members that stay (admins, SCIM-managed). */
  readonly kept: Kept[];
  /** Declared usernames that are not members (nothing can add them by username). */
  readonly missing: string[];
}

// ---- check ---------------------------------------------------------------------------------------

/**
 * Before a new WorkspaceMembers is created (a preview shows it as a bare `+ create`): one line
 * saying whom `up` removes, keeps and cannot find; more removals than `maxRemovals` refuse it.
 */
async function inspectCreate(
  args: WorkspaceMembersInputs,
): Promise<CheckRefusal<WorkspaceMembersInputs> | undefined> {
  const plan = planWorkspace(args.usernames, await workspaceMemberships(args.workspace).all(), args);
  const refusal = removalRefusal(() =>
    checkRemovalLimit(args, plan.remove.map(removal), subject(args.workspace)),
  );
  if (refusal) return refusal;
  report(args.workspace, plan);
  return undefined;
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift: someone outside the declared usernames is a member or invitee (added outside Pulumi, or
 * dropped from the program) — `up` removes them in place; more than `maxRemovals` fails the
 * preview. With `unmanaged: "report"` they stay: a changed set of them is an in-place update that
 * only refreshes `unmanaged`. Members kept, the unmanaged and usernames that are not members
 * are otherwise no change `up` can make: they are reported on the same line, without a change.
 */
async function drift(
  olds: WorkspaceMembersOutputs,
  news: WorkspaceMembersInputs,
): Promise<Drift<WorkspaceMembersOutputs> | undefined> {
  const plan = planWorkspace(news.usernames, await workspaceMemberships(olds.workspace).all(), news);
  checkRemovalLimit(news, plan.remove.map(removal), subject(news.workspace));
  if (plan.remove.length > 0) {
    return { property: "members", inPlace: true, reason: describePlan(news.workspace, plan) };
  }
  if (unmanagedChanged(olds.unmanaged, plan.unmanaged.map(usernameOf), String)) {
    return { property: "unmanaged", inPlace: true, reason: describePlan(news.workspace, plan) };
  }
  report(news.workspace, plan);
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: WorkspaceMembersInputs): Promise<Created<WorkspaceMembersOutputs>> {
  const { outs, plan } = await enforce(args);
  // No diff ran before a create: the line check showed (or, when the inputs were unknown then, now).
  report(args.workspace, plan);
  return { id: args.workspace, outs };
}

// ---- read ----------------------------------------------------------------------------------------

/**
 * The workspace's live members (everyone, declared or kept) and, with `unmanaged: "report"`, who
 * of them is unmanaged now; what the last run did stays.
 */
async function read(id: string, olds: WorkspaceMembersOutputs): Promise<Created<WorkspaceMembersOutputs>> {
  const live = await workspaceMemberships(olds.workspace).all();
  const plan = planWorkspace(olds.usernames, live, policyOf(olds));
  const unmanaged = plan.unmanaged.map(usernameOf).sort(byName);
  return { id, outs: { ...olds, members: live.map(memberOf), unmanaged } };
}

// ---- update --------------------------------------------------------------------------------------

/** Removes whoever is not declared, from the listing `diff` already made in this run. */
async function update(
  _id: string,
  _olds: WorkspaceMembersOutputs,
  news: WorkspaceMembersInputs,
): Promise<WorkspaceMembersOutputs> {
  const { outs } = await enforce(news);
  // The diff's line said the rest; only Mode's refusal to remove the API user is news here.
  const self = outs.kept.filter((k) => k.because === "self");
  report(news.workspace, { remove: [], unmanaged: [], kept: self, missing: [] });
  return outs;
}

// ---- delete --------------------------------------------------------------------------------------

/** Removes nobody: deleting the resource only stops enforcing the list. */
async function del(): Promise<void> {
  // Nothing to send.
}

// ---- helpers -------------------------------------------------------------------------------------

/**
 * The plan for `live` under the declared `usernames` (compared case-insensitively, as Mode does)
 * and the removal policy (default: remove the undeclared).
 */
export function planWorkspace(
  usernames: readonly string[],
  live: readonly WorkspaceMembership[],
  policy: RemovalPolicy = {},
): WorkspacePlan {
  const declared = (m: WorkspaceMembership): boolean =>
    usernames.some((name) => sameUsername(name, m.member_username));
  const undeclared: WorkspaceMembership[] = [];
  const kept: Kept[] = [];
  for (const m of live) {
    if (declared(m)) continue;
    const because = keptBecause(m);
    if (because) kept.push({ username: m.member_username, because });
    else undeclared.push(m);
  }
  const { remove, unmanaged } = splitRemovals(policy, undeclared);
  const missing: string[] = [];
  for (const name of usernames) {
    const known = live.some((m) => sameUsername(m.member_username, name));
    if (!known && !missing.some((other) => sameUsername(other, name))) missing.push(name);
  }
  return { remove, unmanaged, kept, missing };
}

/**
 * Lists the workspace (this run's listing), removes whoever the plan removes with bounded
 * concurrency, and returns every output (and the plan). More removals than `maxRemovals` fail before any is sent.
 * A removal Mode refuses with a 400 (the credentials' own user) is kept, not failed. When some
 * removals fail, throws after all ran.
 */
async function enforce(
  args: WorkspaceMembersInputs,
): Promise<{ outs: WorkspaceMembersOutputs; plan: WorkspacePlan }> {
  // `plan` in the result is what happened: the removals Mode refused (the API user) are kept.
  const live = await workspaceMemberships(args.workspace).all();
  const plan = planWorkspace(args.usernames, live, args);
  checkRemovalLimit(args, plan.remove.map(removal), subject(args.workspace));
  // Someone another resource of this stack invited or adopted in this run, yet undeclared here: the
  // two resources would undo each other on every run, so say so before sending anything.
  const placed = plan.remove.filter((m) => wasMemberPlaced(args.workspace, m.member_username));
  if (placed.length > 0) {
    const names = placed.map((m) => m.member_username).join(", ");
    throw new Error(
      `Not removing ${names} from workspace ${args.workspace}: another resource of this stack invited or adopted ` +
        "them in this run, but usernames does not declare them. Add their usernames to this WorkspaceMembers " +
        "(e.g. invite.memberUsername), or remove the resource that manages them.",
    );
  }
  const removed: WorkspaceMembership[] = [];
  const kept: Kept[] = [...plan.kept];
  const failures = await writeAll(plan.remove, async (m) => {
    const result = await deleteMembership(args.workspace, m);
    if (result.outcome === "self") kept.push({ username: m.member_username, because: "self" });
    else removed.push(m);
  });
  if (failures.length > 0) {
    throw batchError(
      `Removing undeclared members of workspace ${args.workspace}`,
      plan.remove.length,
      failures,
      (m) => m.member_username,
    );
  }
  const gone = new Set(removed.map((m) => m.member_token));
  // What happened, in the plan's order (so the line matches the one check showed when nothing changed).
  const outcome: WorkspacePlan = {
    remove: plan.remove.filter((m) => gone.has(m.member_token)),
    unmanaged: plan.unmanaged,
    kept: [
      ...plan.kept,
      ...plan.remove
        .filter((m) => !gone.has(m.member_token))
        .map((m) => ({ username: m.member_username, because: "self" as const })),
    ],
    missing: plan.missing,
  };
  const outs: WorkspaceMembersOutputs = {
    workspace: args.workspace,
    usernames: args.usernames,
    ...storedPolicy(args),
    members: live.filter((m) => !gone.has(m.member_token)).map(memberOf),
    removed: removed
      .map((m) => ({ username: m.member_username, memberToken: m.member_token, state: m.state }))
      .sort((a, b) => byName(a.username, b.username)),
    kept: kept.sort((a, b) => byName(a.username, b.username)),
    missing: plan.missing,
    unmanaged: plan.unmanaged.map(usernameOf).sort(byName),
  };
  return { outs, plan: outcome };
}

function usernameOf(m: WorkspaceMembership): string {
  return m.member_username;
}

function byName(a: string, b: string): number {
  return a.localeCompare(b);
}

/** What the removal policy counts in: the workspace's members. */
function subject(workspace: string): RemovalSubject {
  return { where: `workspace ${workspace}`, noun: MEMBERS };
}

function memberOf(m: WorkspaceMembership): WorkspaceMembersOutputs["members"][number] {
  return {
    username: m.member_username,
    memberToken: m.member_token,
    state: m.state,
    admin: m.admin,
    managedByScim: m.managed_by_scim ?? false,
  };
}

/** Shows a plan once per provider process, when it says anything. */
function report(workspace: string, plan: WorkspacePlan): void {
  const { remove, unmanaged, kept, missing } = plan;
  if (remove.length + unmanaged.length + kept.length + missing.length === 0) return;
  providerContext().reportOnce(`mode:WorkspaceMembers ${describePlan(workspace, plan)}`);
}

/** A member to be removed, with what removing them means when they are not active. */
function removal(m: WorkspaceMembership): string {
  if (m.state === "invited") return `${m.member_username} (pending invite: revoked)`;
  return unmanagedName(m);
}

/** An undeclared member who stays, with their state when they are not active. */
function unmanagedName(m: WorkspaceMembership): string {
  if (m.state === "invited") return `${m.member_username} (pending invite)`;
  if (m.state === "expired") return `${m.member_username} (expired invite)`;
  if (m.state === "deactivated") return `${m.member_username} (deactivated)`;
  return m.member_username;
}

const KEPT_TEXT: Record<Kept["because"], string> = {
  admin: "admin",
  managedByScim: "managed by SCIM",
  self: "the API user",
};

/**
 * The reviewer's line, e.g. `workspace acme: 2 members are not in the program — up removes carol,
 * dave (pending invite: revoked); keeps admin (admin), never removed by pulumi-mode; bob is not a
 * member, and no API adds one by username — invite them with mode.WorkspaceInvite`. With
 * `unmanaged: "report"` the first part reads `2 members are not in the program — kept, unmanaged is
 * report: carol, dave (pending invite)`.
 */
export function describePlan(workspace: string, plan: WorkspacePlan): string {
  const parts: string[] = [];
  if (plan.remove.length > 0) {
    const noun = plan.remove.length === 1 ? "member is" : "members are";
    parts.push(
      `${String(plan.remove.length)} ${noun} not in the program — up removes ${listNames(plan.remove.map(removal))}`,
    );
  }
  if (plan.unmanaged.length > 0) parts.push(describeUnmanaged(plan.unmanaged.map(unmanagedName), MEMBERS));
  if (plan.kept.length > 0) {
    const kept = listNames(plan.kept.map((k) => `${k.username} (${KEPT_TEXT[k.because]})`));
    parts.push(`keeps ${kept}, never removed by pulumi-mode`);
  }
  if (plan.missing.length > 0) {
    const verb = plan.missing.length === 1 ? "is not a member" : "are not members";
    parts.push(
      `${listNames(plan.missing)} ${verb}, and no API adds one by username — invite them with mode.WorkspaceInvite`,
    );
  }
  return `workspace ${workspace}: ${parts.join("; ")}`;
}

/** The WorkspaceMembers implementation. */
export const workspaceMembers = implement<WorkspaceMembersInputs, WorkspaceMembersOutputs>({
  kind: "WorkspaceMembers",
  inputs,
  state,
  identity: { workspace: "exact" },
  storedAs: REMOVAL_STORED_AS,
  inspectCreate,
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
