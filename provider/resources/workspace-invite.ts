/**
 * WorkspaceInvite: `POST /{workspace}/invites`, tracked afterwards through the invitee's workspace
 * membership (the invite object has no GET endpoint; the membership does).
 */
import type { FromSchema } from "json-schema-to-ts";
import { ApiError, type WorkspaceMembership } from "../client";
import {
  findMember,
  inviteMember,
  markMemberPlaced,
  removeMember,
  type SentInvite,
} from "../collections/workspace-memberships";
import { isUnknown, ObjectSchema, type PropertyBag, UNKNOWN } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username (Mode's API calls it the organization), e.g. `acme-analytics`.",
  },
  email: {
    ...stringSchema(RULES.email),
    description: "The invitee's email (surrounding spaces are ignored).",
  },
  message: {
    ...stringSchema(RULES.inviteMessage),
    description:
      "The invitation text Mode emails. Default: `You have been invited to join the <workspace> workspace on Mode.` Mode can neither edit nor re-send an invite, so a new message is only recorded.",
  },
} as const;

/** The inputs of a WorkspaceInvite, declared once. */
export const workspaceInviteInputSchema = {
  type: "object",
  required: ["workspace", "email"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** WorkspaceInvite inputs. */
export type WorkspaceInviteInputs = FromSchema<typeof workspaceInviteInputSchema>;

/** The state of a WorkspaceInvite: the inputs plus what Mode reports. */
export const workspaceInviteStateSchema = {
  type: "object",
  required: ["workspace", "email", "memberUsername"],
  properties: {
    ...inputProperties,
    status: {
      type: "string",
      enum: ["pending", "accepted", "expired"],
      description: "Where the invite stands, from the invitee's workspace membership.",
    },
    membershipState: {
      type: "string",
      description:
        "The raw state of the invitee's workspace membership: `invited`, `active`, `expired` or `deactivated`.",
    },
    inviteeId: { type: "string", description: "Mode's id of the invitee." },
    inviterId: { type: "string", description: "Mode's id of the inviter (the API credentials' user)." },
    memberUsername: {
      type: "string",
      minLength: 1,
      description:
        "The invitee's username, which ties the invite to its workspace membership (declare it in a `WorkspaceMembers`).",
    },
    memberToken: {
      type: ["string", "null"],
      description: "The invitee's membership token; known after the first refresh or preview.",
    },
    sentAt: { type: ["string", "null"], description: "When the invite was sent (ISO 8601)." },
    expiresAt: {
      type: ["string", "null"],
      description: "When the invite expires unless accepted (ISO 8601; Mode invites last 7 days).",
    },
    acceptedAt: {
      type: ["string", "null"],
      description: "When the invitee accepted (ISO 8601); null while pending.",
    },
    adopted: {
      type: "boolean",
      description:
        "True when a pending invite for the email already existed and was adopted instead of sent.",
    },
  },
  additionalProperties: false,
} as const;

/** WorkspaceInvite outputs. */
export type WorkspaceInviteOutputs = FromSchema<typeof workspaceInviteStateSchema>;

/** What an invite's status is, derived from the invitee's membership state. */
export type InviteStatus = NonNullable<WorkspaceInviteOutputs["status"]>;

const inputs = new ObjectSchema<WorkspaceInviteInputs>(
  workspaceInviteInputSchema,
  "inputs of mode:WorkspaceInvite",
  { trimmed: ["workspace", "email"] },
);
const state = new ObjectSchema<WorkspaceInviteOutputs>(
  workspaceInviteStateSchema,
  "stored outputs of mode:WorkspaceInvite",
);

/** The message sent when none is given (Mode requires one). */
export function defaultMessage(workspace: string): string {
  return `You have been invited to join the ${workspace} workspace on Mode.`;
}

// ---- check ---------------------------------------------------------------------------------------

function defaults(checked: PropertyBag): void {
  if (checked.message !== undefined && checked.message !== null) return;
  const workspace = checked.workspace;
  checked.message =
    typeof workspace === "string" && !isUnknown(workspace) ? defaultMessage(workspace) : UNKNOWN;
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift: the membership vanished, was deactivated, or the invite expired unaccepted. An accepted
 * invite (active membership) is the goal, not drift.
 */
async function drift(olds: WorkspaceInviteOutputs): Promise<Drift<WorkspaceInviteOutputs> | undefined> {
  const live = await findMember(olds.workspace, olds.memberUsername);
  const who = `${olds.email} in ${olds.workspace}`;
  if (!live)
    return {
      property: "status",
      reason: `${who}: the invite or membership was removed outside Pulumi — up sends a new invite`,
    };
  if (live.state === "expired") {
    const on = olds.expiresAt ? ` on ${olds.expiresAt.slice(0, 10)}` : "";
    return {
      property: "status",
      reason: `${who}: the invite expired unaccepted${on} — up sends a new invite`,
    };
  }
  if (live.state === "deactivated") {
    return {
      property: "status",
      reason: `${who}: the member was deactivated outside Pulumi — up sends a new invite`,
    };
  }
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: WorkspaceInviteInputs): Promise<Created<WorkspaceInviteOutputs>> {
  const message = args.message ?? defaultMessage(args.workspace);
  // A pending invite for the same email is answered with that invite (adopted, not duplicated).
  const sent = await inviteMember(args.workspace, args.email, message).catch((err: unknown) => {
    throw alreadyMember(err, args) ?? err;
  });
  const outs = outputsFromInvite({ ...args, message }, sent);
  markMemberPlaced(args.workspace, outs.memberUsername);
  return { id: `${args.workspace}/${outs.memberUsername}`, outs };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(
  id: string,
  olds: WorkspaceInviteOutputs,
): Promise<Created<WorkspaceInviteOutputs> | undefined> {
  const live = await findMember(olds.workspace, olds.memberUsername);
  if (!live) return undefined;
  return { id, outs: { ...olds, ...outputsFromMembership(live) } };
}

// ---- update --------------------------------------------------------------------------------------

/** Only `message` can change in place, and Mode has no endpoint to edit or re-send it: record it. */
async function update(_id: string, olds: WorkspaceInviteOutputs, news: WorkspaceInviteInputs) {
  return { ...olds, message: news.message ?? defaultMessage(news.workspace) };
}

// ---- delete --------------------------------------------------------------------------------------

/**
 * Revokes the invite (pending or expired) or removes the member who accepted it; the membership is
 * found by the invitee's username in this run's listing, and already gone is success.
 */
async function del(_id: string, olds: WorkspaceInviteOutputs): Promise<void> {
  await removeMember(olds.workspace, olds.memberUsername, olds.email);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsFromInvite(
  args: WorkspaceInviteInputs & { message: string },
  { invite, username }: SentInvite,
): WorkspaceInviteOutputs {
  const accepted = typeof invite.accepted_at === "string" && invite.accepted_at !== "";
  return {
    ...args,
    status: accepted ? "accepted" : "pending",
    membershipState: accepted ? "active" : "invited",
    inviteeId: invite.invitee_id === undefined ? "" : String(invite.invitee_id),
    inviterId: invite.inviter_id === undefined ? "" : String(invite.inviter_id),
    memberUsername: username,
    memberToken: null,
    sentAt: invite.sent_at ?? invite.created_at ?? null,
    expiresAt: invite.expires_at ?? null,
    acceptedAt: accepted ? (invite.accepted_at ?? null) : null,
    adopted: typeof invite.resent_at === "string" && invite.resent_at !== "",
  };
}

/** Mode refuses to invite an active member (400): say how to manage an existing member instead. */
function alreadyMember(err: unknown, args: WorkspaceInviteInputs): Error | undefined {
  if (!(err instanceof ApiError) || err.kind !== "validation" || !/already a member/i.test(err.message))
    return undefined;
  return new Error(
    `${args.email} is already an active member of ${args.workspace}, so there is nothing to invite. To manage ` +
      "their access from this stack, declare a mode.WorkspaceMembership with their username (getWorkspaceMemberships lists them).",
    { cause: err },
  );
}

function outputsFromMembership(membership: WorkspaceMembership): Partial<WorkspaceInviteOutputs> {
  return {
    status: statusOf(membership.state),
    membershipState: membership.state,
    memberToken: membership.member_token,
    acceptedAt: membership.state === "active" ? (membership.activated_at ?? null) : null,
  };
}

/** Maps a workspace membership state to the invite's status. */
export function statusOf(membershipState: string): InviteStatus {
  if (membershipState === "invited") return "pending";
  if (membershipState === "expired") return "expired";
  return "accepted";
}

/** The WorkspaceInvite implementation. */
export const workspaceInvite = implement<WorkspaceInviteInputs, WorkspaceInviteOutputs>({
  kind: "WorkspaceInvite",
  inputs,
  state,
  identity: { workspace: "exact", email: "caseInsensitive" },
  defaults,
  // Mode answers a re-invite of a pending email with the same invite, so deleting first keeps the
  // replacement honest.
  deleteBeforeReplace: () => true,
  drift,
  create,
  read,
  update,
  delete: del,
});
