/**
 * WorkspaceMembership: an existing member of a Mode workspace brought under management. Create
 * sends nothing (it adopts the live membership); delete removes the member from the workspace
 * (`DELETE /{workspace}/memberships/{membership}`), except where Mode or the identity provider
 * owns the membership (the workspace memberships' protected removal rule, which WorkspaceInvite's
 * delete follows too).
 */
import type { FromSchema } from "json-schema-to-ts";
import type { WorkspaceMembership } from "../client";
import {
  findMember,
  markMemberPlaced,
  removeMember,
  workspaceMemberships,
} from "../collections/workspace-memberships";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, sameUsername, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  username: {
    ...stringSchema(RULES.accountName),
    description: "The member's username (Mode's usernames are unique regardless of case).",
  },
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
    memberToken: { type: "string", minLength: 1, description: "The membership token (the member's token)." },
    state: {
      type: "string",
      description: "The membership's state: `active`, `invited`, `expired` or `deactivated`.",
    },
    admin: { type: "boolean", description: "Whether the member is a workspace admin." },
    managedByScim: {
      type: "boolean",
      description: "Whether SCIM manages the membership (then only the identity provider can remove it).",
    },
    activatedAt: {
      type: ["string", "null"],
      description: "When the membership became active (ISO 8601); null while invited.",
    },
    adopted: {
      type: "boolean",
      description: "Always true: a WorkspaceMembership adopts an existing member, it never creates one.",
    },
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
  const listing = workspaceMemberships(args.workspace);
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
  markMemberPlaced(args.workspace, live.member_username);
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
