/**
 * WorkspaceInvite: `POST /{workspace}/invites`, tracked afterwards through the invitee's workspace
 * membership (the invite object has no GET endpoint; the membership does).
 */
import type { FromSchema } from "json-schema-to-ts";
import { type ModeInvite, type WorkspaceMembership, isNotFound } from "../client";
import { providerContext } from "../context";
import { checkInputs, compileInputSchema, fragments, isUnknown, type PropertyBag, UNKNOWN } from "../inputs";
import { compareInputs, diffResult, GONE, pick, type ResourceImplementation, str } from "../resource";

// ---- types ---------------------------------------------------------------------------------------

/** The inputs of a WorkspaceInvite, declared once. */
export const workspaceInviteInputSchema = {
  type: "object",
  required: ["workspace", "email"],
  properties: {
    workspace: fragments.accountName,
    email: fragments.email,
    message: { type: "string", maxLength: 1000 },
  },
  additionalProperties: false,
} as const;

/** WorkspaceInvite inputs. */
export type WorkspaceInviteInputs = FromSchema<typeof workspaceInviteInputSchema>;

/** What an invite's status is, derived from the invitee's membership state. */
export type InviteStatus = "pending" | "accepted" | "expired";

/** WorkspaceInvite outputs. */
export interface WorkspaceInviteOutputs extends PropertyBag {
  workspace: string;
  email: string;
  message: string;
  status: InviteStatus;
  membershipState: string;
  inviteeId: string;
  inviterId: string;
  memberUsername: string;
  memberToken: string | null;
  sentAt: string | null;
  expiresAt: string | null;
  acceptedAt: string | null;
}

const INPUT_KEYS = ["workspace", "email", "message"] as const;
const compiled = compileInputSchema(workspaceInviteInputSchema, {
  trimmed: ["workspace", "email"],
  messages: {
    workspace: "workspace must be a Mode workspace username (letters, digits, '_', '-', '.')",
    email: "email must be an email address like name@example.com",
  },
});

/** The message sent when none is given (Mode requires one). */
export function defaultMessage(workspace: string): string {
  return `You have been invited to join the ${workspace} workspace on Mode.`;
}

// ---- check ---------------------------------------------------------------------------------------

async function check(_olds: PropertyBag, news: PropertyBag) {
  const result = checkInputs(compiled, news);
  const inputs = result.inputs ?? news;
  if (inputs.message === undefined || inputs.message === null) {
    inputs.message = isUnknown(inputs.workspace) ? UNKNOWN : defaultMessage(str(inputs, "workspace"));
  }
  return { inputs, failures: result.failures };
}

// ---- diff ----------------------------------------------------------------------------------------

async function diff(_id: string, olds: PropertyBag, news: PropertyBag) {
  const changes = compareInputs(
    olds,
    news,
    [
      { name: "workspace", compare: "exact" },
      { name: "email", compare: "caseInsensitive" },
    ],
    [{ name: "message", compare: "exact" }],
  );
  // Mode answers a re-invite of a pending email with the same invite, so deleting first keeps the
  // replacement honest (and the delete of the old object sends nothing).
  if (changes.hasUnknowns || changes.replaces.length > 0) return diffResult(changes, undefined, true);
  const live = await findMembership(str(olds, "workspace"), str(olds, "memberUsername"));
  return diffResult(changes, drifted(live) ? "status" : undefined, true);
}

// ---- create --------------------------------------------------------------------------------------

async function create(inputs: PropertyBag) {
  const context = providerContext();
  const workspace = str(inputs, "workspace");
  const email = str(inputs, "email");
  const message = str(inputs, "message") || defaultMessage(workspace);
  // A pending invite for the same email is answered with that invite (adopted, not duplicated).
  const invite = await context.modeClient().createInvite(workspace, { email, message });
  context.workspaceMemberships.invalidate(workspace);
  const outs = outputsFromInvite(workspace, email, message, invite);
  return { id: `${workspace}/${outs.memberUsername}`, outs };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(id: string, props: PropertyBag) {
  const workspace = str(props, "workspace");
  const live = await findMembership(workspace, str(props, "memberUsername"));
  if (!live) return GONE;
  const outs = { ...props, ...outputsFromMembership(live) };
  return { id, props: outs, inputs: pick(outs, INPUT_KEYS) };
}

// ---- update --------------------------------------------------------------------------------------

/** Only `message` can change in place, and Mode has no endpoint to edit or re-send it: record it. */
async function update(_id: string, olds: PropertyBag, news: PropertyBag) {
  return { outs: { ...olds, message: str(news, "message") } };
}

// ---- delete --------------------------------------------------------------------------------------

async function del(_id: string, props: PropertyBag) {
  const email = str(props, "email");
  const workspace = str(props, "workspace");
  // Mode has no endpoint to revoke an invite, so nothing is sent; the user is told what is left,
  // based on the run's listing (already loaded by diff during an update, one request otherwise).
  let state: string | undefined = "unknown";
  try {
    state = (await findMembership(workspace, str(props, "memberUsername")))?.state;
  } catch {
    // Fall through to the generic advice: deleting from the stack must not fail on a lookup.
  }
  const advice: Record<string, string> = {
    invited:
      `the invite of ${email} to ${workspace} is still pending and Mode has no API to revoke it: ` +
      `revoke it by hand in Mode's workspace settings if ${email} should not join.`,
    active:
      `${email} accepted the invite and stays a member of ${workspace}: ` +
      "remove them by hand in Mode's workspace settings if they should lose access.",
    unknown:
      `Mode has no API to revoke an invite: if ${email} should not have access to ${workspace}, ` +
      "revoke the invite or remove the member by hand in Mode's workspace settings.",
  };
  const message = state === undefined ? undefined : advice[state];
  if (message) providerContext().warn(`Removed the WorkspaceInvite from the stack only; ${message}`);
}

// ---- helpers -------------------------------------------------------------------------------------

/** The username a HAL link points to: the last path segment of `.../{username}`. */
export function usernameFromHref(href: string): string {
  const path = href.split(/[?#]/, 1)[0] ?? "";
  const segments = path.split("/").filter((segment) => segment !== "");
  return decodeURIComponent(segments[segments.length - 1] ?? "");
}

function outputsFromInvite(workspace: string, email: string, message: string, invite: ModeInvite) {
  const invitee = invite._links.invitee?.href;
  if (invite.invitee_id === undefined || !invitee) {
    throw new Error(
      `Mode API: the invite for ${email} in ${workspace} came back without its invitee (invitee_id and ` +
        "_links.invitee are required to track it); the invite may have been sent, and `pulumi up` adopts it on the next run.",
    );
  }
  const accepted = typeof invite.accepted_at === "string" && invite.accepted_at !== "";
  const outs: WorkspaceInviteOutputs = {
    workspace,
    email,
    message,
    status: accepted ? "accepted" : "pending",
    membershipState: accepted ? "active" : "invited",
    inviteeId: String(invite.invitee_id),
    inviterId: invite.inviter_id === undefined ? "" : String(invite.inviter_id),
    memberUsername: usernameFromHref(invitee),
    memberToken: null,
    sentAt: invite.sent_at ?? invite.created_at ?? null,
    expiresAt: invite.expires_at ?? null,
    acceptedAt: accepted ? (invite.accepted_at ?? null) : null,
  };
  return outs;
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
export function statusOf(state: string): InviteStatus {
  if (state === "invited") return "pending";
  if (state === "expired") return "expired";
  return "accepted";
}

/**
 * Drift: the membership vanished, was deactivated, or the invite expired unaccepted. An accepted
 * invite (active membership) is the goal, not drift.
 */
function drifted(live: WorkspaceMembership | undefined): boolean {
  return !live || live.state === "expired" || live.state === "deactivated";
}

/** The invitee's membership, from the run's shared listing of the workspace; undefined when gone. */
async function findMembership(workspace: string, username: string): Promise<WorkspaceMembership | undefined> {
  const context = providerContext();
  try {
    const memberships = await context.workspaceMemberships.get(workspace, () =>
      context.modeClient().listMemberships(workspace),
    );
    return memberships.find((membership) => membership.member_username === username);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The WorkspaceInvite implementation. */
export const workspaceInvite: ResourceImplementation = { check, diff, create, read, update, delete: del };
