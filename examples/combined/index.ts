// A team's Mode access in one program: invite a new analyst into the workspace, give an existing
// member and a user group access to the team's space, invite the team lead into the organization
// as an admin, and accept that invite with its code.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const space = config.require("space");
const organizationId = config.require("organizationId");

// 1. A workspace invite. Mode emails the invitation; the invite turns "accepted" when it is.
const analystInvite = new mode.WorkspaceInvite("analyst", {
  workspace,
  email: "grace.analyst@example.com",
  message: "Welcome to the analytics team, Grace!",
});

// 2. Space (Collection) access for an existing member and for a user group.
const memberAccess = new mode.SpaceMembership("member-access", {
  account: workspace,
  space,
  memberType: "User",
  memberToken: config.require("memberToken"),
});
const groupAccess = new mode.SpaceMembership("group-access", {
  account: workspace,
  space,
  memberType: "UserGroup",
  memberToken: config.require("groupToken"),
});

// 3. The team lead joins the organization as an admin...
const leadInvite = new mode.OrgInvite("team-lead", {
  organizationId,
  recipientEmail: "team.lead@example.com",
  inviteUserAs: "admin",
});

// 4. ...and the invite is accepted with its code (a secret from end to end).
const leadAcceptance = new mode.OrgInviteAcceptance("team-lead", {
  organizationId,
  inviteId: leadInvite.inviteId,
  code: leadInvite.code,
});

export const analystInviteStatus = analystInvite.status;
export const analystInviteExpiresAt = analystInvite.expiresAt;
export const memberAccessToken = memberAccess.token;
export const groupAccessToken = groupAccess.token;
export const leadInviteId = leadInvite.inviteId;
export const leadAcceptedAt = leadAcceptance.acceptedAt;
export const workspaceMemberCount = analystInvite.memberUsername.apply(async () => {
  const { memberships } = await mode.getWorkspaceMemberships({ workspace });
  return memberships.length;
});
