/**
 * Read functions: query Mode and the organization-invites API from the Pulumi program itself
 * (during preview and update alike). Credentials come from the same `mode:*` config keys or
 * environment variables as the resources.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  ModeClient,
  OrgClient,
  OrgInvite,
  SpaceMembership,
  WorkspaceMembership,
} from "../provider/client";
import { Settings } from "../provider/settings";

/* eslint-disable @typescript-eslint/no-require-imports */
/**
 * The API clients, loaded on the first read function call: a program that only declares resources
 * does not pay for loading them (ajv, the HTTP stack) on its critical path.
 */
function apis(): typeof import("../provider/apis") {
  return require("../provider/apis") as typeof import("../provider/apis");
}

/** The organization invites' rules (an invite's status), loaded with the clients. */
function orgInviteRules(): typeof import("../provider/collections/org-invites") {
  return require("../provider/collections/org-invites") as typeof import("../provider/collections/org-invites");
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A member of a workspace, as Mode reports it. */
export interface WorkspaceMembershipInfo {
  /** The membership token (the member's token). */
  memberToken: string;
  /** The member's username. */
  memberUsername: string;
  /** `active`, `invited`, `expired` or `deactivated`. */
  state: string;
  /** Whether the member is a workspace admin. */
  admin: boolean;
  /** Whether the membership comes from a pending invite. */
  invited: boolean;
  /** When the membership became active (null while invited). */
  activatedAt: string | null;
  /** Whether SCIM manages the membership. */
  managedByScim: boolean;
}

/** A member of a space (Collection). */
export interface SpaceMembershipInfo {
  /** The space membership's token. */
  token: string;
  /** `User` or `UserGroup`. */
  memberType: string;
  /** The member's token. */
  memberToken: string;
  /** Mode's id of the member. */
  memberId: string;
  /** The member's email (users only). */
  email: string | null;
}

/** An organization invite. Its code is deliberately not returned. */
export interface OrgInviteInfo {
  /** The invite's id. */
  inviteId: string;
  /** The recipient's email. */
  recipientEmail: string;
  /** `admin`, or null for a regular member. */
  inviteUserAs: string | null;
  /** `pending`, `accepted` or `cancelled`. */
  status: "pending" | "accepted" | "cancelled";
  /** When the invite was accepted (null while not accepted). */
  acceptedAt: string | null;
  /** When the invite was created. */
  createdAt: string;
}

/** Reads one workspace membership by its token. */
export async function getWorkspaceMembership(args: {
  workspace: string;
  membership: string;
}): Promise<WorkspaceMembershipInfo & { workspace: string }> {
  const membership = await modeClient().getMembership(args.workspace, args.membership);
  return { workspace: args.workspace, ...workspaceMembershipInfo(membership) };
}

/** Lists every member of a workspace (all pages). */
export async function getWorkspaceMemberships(args: {
  workspace: string;
}): Promise<{ workspace: string; memberships: WorkspaceMembershipInfo[] }> {
  const memberships: WorkspaceMembershipInfo[] = [];
  for await (const m of modeClient().listMemberships(args.workspace))
    memberships.push(workspaceMembershipInfo(m));
  return { workspace: args.workspace, memberships };
}

/** Lists every member of a space (all pages). */
export async function getSpaceMemberships(args: {
  account: string;
  space: string;
}): Promise<{ account: string; space: string; memberships: SpaceMembershipInfo[] }> {
  const memberships: SpaceMembershipInfo[] = [];
  for await (const m of modeClient().listSpaceMemberships(args.account, args.space)) {
    memberships.push(spaceMembershipInfo(m));
  }
  return { account: args.account, space: args.space, memberships };
}

/** Lists an organization's invites (all pages), optionally only those inviting admins. */
export async function getOrgInvites(args: {
  organizationId: string;
  inviteUserAs?: "admin";
}): Promise<{ organizationId: string; invites: OrgInviteInfo[] }> {
  const invites: OrgInviteInfo[] = [];
  const options = args.inviteUserAs ? { inviteUserAs: args.inviteUserAs } : {};
  for await (const invite of orgClient().listInvites(args.organizationId, options))
    invites.push(orgInviteInfo(invite));
  return { organizationId: args.organizationId, invites };
}

function settings(): Settings {
  return new Settings((key) => pulumi.runtime.getConfig(key));
}

function modeClient(): ModeClient {
  return apis().modeClientFor(settings());
}

function orgClient(): OrgClient {
  return apis().orgClientFor(settings());
}

function workspaceMembershipInfo(m: WorkspaceMembership): WorkspaceMembershipInfo {
  return {
    memberToken: m.member_token,
    memberUsername: m.member_username,
    state: m.state,
    admin: m.admin,
    invited: m.invited ?? false,
    activatedAt: m.activated_at ?? null,
    managedByScim: m.managed_by_scim ?? false,
  };
}

function spaceMembershipInfo(m: SpaceMembership): SpaceMembershipInfo {
  return {
    token: m.token,
    memberType: m.member_type,
    memberToken: m.member_token,
    memberId: String(m.member_id),
    email: m.email ?? null,
  };
}

function orgInviteInfo(invite: OrgInvite): OrgInviteInfo {
  const status = orgInviteRules().statusOf(invite);
  return {
    inviteId: invite.id,
    recipientEmail: invite.attributes.recipient_email,
    inviteUserAs: invite.attributes.invite_user_as ?? null,
    status,
    acceptedAt: status === "accepted" ? (invite.attributes.accepted_at ?? null) : null,
    createdAt: invite.attributes.created_at,
  };
}
