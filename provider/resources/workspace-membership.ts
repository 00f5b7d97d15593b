/**
 * WorkspaceMembership: an existing member of a Mode workspace brought under management. Create
 * sends nothing (it adopts the live membership); delete removes the member from the workspace
 * (`DELETE /{workspace}/memberships/{membership}`), except where Mode or the identity provider
 * owns the membership. The same removal rule serves WorkspaceInvite's delete.
 */
import type { FromSchema } from "json-schema-to-ts";
import { ApiError, type WorkspaceMembership } from "../client";
import { providerContext } from "../context";
import { deleteIfPresent } from "../listing";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, sameUsername, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: stringSchema(RULES.accountName),
  username: stringSchema(RULES.accountName),
} as const;

/** The inputs of a WorkspaceMembership, declared once. */
export const workspaceMembershipInputSchema = {
  type: "object",
  required: ["workspace", "username"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** WorkspaceMembership inputs. */
export type WorkspaceMembershipInputs = FromSchema<typeof workspaceMembershipInputSchema>;

/** The state of a WorkspaceMembership: the inputs plus what Mode reports. */
export const workspaceMembershipStateSchema = {
  type: "object",
  required: ["workspace", "username", "memberToken"],
  properties: {
    ...inputProperties,
    memberToken: { type: "string", minLength: 1 },
    state: { type: "string" },
    admin: { type: "boolean" },
    managedByScim: { type: "boolean" },
    activatedAt: { type: ["string", "null"] },
    adopted: { type: "boolean" },
  },
  additionalProperties: false,
} as const;

/** WorkspaceMembership outputs. */
export type WorkspaceMembershipOutputs = FromSchema<typeof workspaceMembershipStateSchema>;

const inputs = new ObjectSchema<WorkspaceMembershipInputs>(
  workspaceMembershipInputSchema,
  "inputs of mode:WorkspaceMembership",
  { trimmed: ["workspace", "username"] },
);
const state = new ObjectSchema<WorkspaceMembershipOutputs>(
  workspaceMembershipStateSchema,
  "stored outputs of mode:WorkspaceMembership",
);

/** Membership states in which a member can be adopted. */
const ADOPTABLE = ["active", "invited"];

// ---- diff ----------------------------------------------------------------------------------------

async function drift(
  olds: WorkspaceMembershipOutputs,
): Promise<Drift<WorkspaceMembershipOutputs> | undefined> {
  const live = await findMember(olds.workspace, olds.username);
  const who = `${olds.username} in ${olds.workspace}`;
  const fix = "invite them again (mode.WorkspaceInvite) or remove this resource";
  if (!live) {
    return {
      property: "memberToken",
      reason: `${who}: the member was removed outside Pulumi — up fails until you ${fix}`,
    };
  }
  if (live.state === "deactivated") {
    return {
      property: "state",
      reason: `${who}: the member was deactivated outside Pulumi — up removes the membership and fails until you ${fix}`,
    };
  }
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: WorkspaceMembershipInputs): Promise<Created<WorkspaceMembershipOutputs>> {
  const listing = providerContext().workspaceMembers(args.workspace);
  listing.invalidate(); // adopt what is there now, not what an earlier step of this run saw
  const live = await listing.find((m) => sameUsername(m.member_username, args.username));
  if (!live || !ADOPTABLE.includes(live.state)) {
    const found = live
      ? `${args.username} is ${live.state} in ${args.workspace}`
      : `${args.workspace} has no member ${args.username}`;
    throw new Error(
      `Cannot bring ${args.username} under management: ${found}. mode.WorkspaceMembership only adopts existing ` +
        "members; to give a new person access, declare a mode.WorkspaceInvite with their email.",
    );
  }
  providerContext().markPlaced(memberKey(args.workspace, live.member_username));
  return { id: `${args.workspace}/${live.member_username}`, outs: outputsOf(args, live) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(
  id: string,
  olds: WorkspaceMembershipOutputs,
): Promise<Created<WorkspaceMembershipOutputs> | undefined> {
  const live = await findMember(olds.workspace, olds.username);
  return live ? { id, outs: outputsOf(olds, live) } : undefined;
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the membership, so diff never asks for an in-place update. */
async function update(_id: string, olds: WorkspaceMembershipOutputs): Promise<WorkspaceMembershipOutputs> {
  return olds;
}

// ---- delete --------------------------------------------------------------------------------------

async function del(_id: string, olds: WorkspaceMembershipOutputs): Promise<void> {
  await removeMember(olds.workspace, olds.username, olds.username);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(args: WorkspaceMembershipInputs, live: WorkspaceMembership): WorkspaceMembershipOutputs {
  return {
    workspace: args.workspace,
    username: args.username,
    memberToken: live.member_token,
    state: live.state,
    admin: live.admin,
    managedByScim: live.managed_by_scim ?? false,
    activatedAt: live.activated_at ?? null,
    adopted: true,
  };
}

/** The key of a workspace member among everything this run placed (usernames ignore case). */
export function memberKey(workspace: string, username: string): string {
  return `workspace/${workspace}/${username.toLowerCase()}`;
}

/** The membership of `username`, from this run's listing of the workspace; undefined when gone. */
export function findMember(workspace: string, username: string): Promise<WorkspaceMembership | undefined> {
  return providerContext()
    .workspaceMembers(workspace)
    .find((m) => sameUsername(m.member_username, username));
}

/**
 * Whether the identity provider owns a membership (SCIM-managed): then only it may remove the
 * member, never this package. (The credentials' own membership is the other one this package never
 * removes, but only Mode knows it: see {@link deleteMembership}.)
 */
export function ownedByIdentityProvider(live: WorkspaceMembership): boolean {
  return live.managed_by_scim === true;
}

/**
 * Deletes one membership of this run's listing of `workspace` (revoking a pending or expired invite,
 * removing an active or deactivated member). Already gone is success, and so is a membership a
 * create of this run placed (it belongs to that resource now). Returns `"self"` instead of throwing
 * when Mode refuses with a 400: a workspace cannot remove the user whose API token this stack uses;
 * `refusal` holds Mode's words.
 */
export async function deleteMembership(
  workspace: string,
  live: WorkspaceMembership,
): Promise<{ outcome: "removed" } | { outcome: "self"; refusal: string; cause: ApiError }> {
  const listing = providerContext().workspaceMembers(workspace);
  try {
    await deleteIfPresent(listing, memberKey(workspace, live.member_username), () =>
      providerContext().modeClient().deleteMembership(workspace, live.member_token),
    );
    return { outcome: "removed" };
  } catch (err) {
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    return { outcome: "self", refusal: err.serverMessage ?? err.message, cause: err };
  }
}

/**
 * Removes `username` from `workspace`: revokes a pending or expired invite, removes an active or
 * deactivated member. Already gone is success. A SCIM-managed membership is never deleted, nor the
 * credentials' own (Mode refuses it with a 400): both fail with what to do instead. `who` names the
 * person in messages (an email when the stack knows one).
 */
export async function removeMember(workspace: string, username: string, who: string): Promise<void> {
  if (providerContext().wasPlaced(memberKey(workspace, username))) return; // the replacement's now
  const live = await findMember(workspace, username);
  if (!live) return;
  const keep =
    "To keep them and stop managing them, run `pulumi state delete` on this resource, or set the " +
    "retainOnDelete resource option before destroying.";
  if (ownedByIdentityProvider(live)) {
    throw new Error(
      `Not removing ${who} from ${workspace}: the membership is managed by SCIM (managed_by_scim), so only ` +
        `the identity provider may remove it. Remove ${who} in your identity provider. ${keep}`,
    );
  }
  const result = await deleteMembership(workspace, live);
  if (result.outcome === "self") {
    throw new Error(
      `Not removing ${who} from ${workspace}: Mode refused (${result.refusal}); a workspace ` +
        `cannot remove the user whose API token this stack uses. ${keep}`,
      { cause: result.cause },
    );
  }
}

/** The WorkspaceMembership implementation. */
export const workspaceMembership = implement<WorkspaceMembershipInputs, WorkspaceMembershipOutputs>({
  kind: "WorkspaceMembership",
  inputs,
  state,
  identity: { workspace: "exact", username: "caseInsensitive" },
  deleteBeforeReplace: () => true,
  drift,
  create,
  read,
  update,
  delete: del,
});
