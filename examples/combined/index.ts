// A team's Mode access in one program: invite a new analyst into the workspace, create the Analysts
// group with its members, restrict a collection to that group and one person, give an existing
// member and the group access to the team's space, invite the team lead into the organization as an
// admin, and accept that invite with its code.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const space = config.require("space");
const organizationId = config.require("organizationId");
const leadAnalyst = config.require("username");

// 1. A workspace invite. Mode emails the invitation; the invite turns "accepted" when it is.
const analystInvite = new mode.WorkspaceInvite("analyst", {
  workspace,
  email: "grace.analyst@example.com",
  message: "Welcome to the analytics team, Grace!",
});

// 2. The Analysts group and exactly who is in it (anyone added outside Pulumi is removed by `up`).
const analysts = new mode.Group("analysts", { workspace, name: "Analysts" });
const analystMembers = new mode.GroupMembers("analysts", {
  workspace,
  group: analysts.token,
  usernames: [leadAnalyst, config.require("secondUsername")],
});

// 3. Exactly who can open a collection: no one by default, the Analysts group to view it and the
//    lead analyst to edit it. Any other grant is revoked; destroy puts the default level back.
const collectionAccess = new mode.CollectionAccess("collection-access", {
  workspace,
  collection: config.require("collection"),
  defaultAccess: "restricted",
  grants: [
    { group: analysts.token, action: "view" },
    { username: leadAnalyst, action: "edit" },
  ],
});

// 4. Space access for an existing member and for the group (Mode's older space-membership list).
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
  memberToken: analysts.token,
});

// 5. The team lead joins the organization as an admin...
const leadInvite = new mode.OrgInvite("team-lead", {
  organizationId,
  recipientEmail: "team.lead@example.com",
  inviteUserAs: "admin",
});

// 6. ...and the invite is accepted with its code (a secret from end to end).
const leadAcceptance = new mode.OrgInviteAcceptance("team-lead", {
  organizationId,
  inviteId: leadInvite.inviteId,
  code: leadInvite.code,
});

export const analystInviteStatus = analystInvite.status;
export const analystInviteExpiresAt = analystInvite.expiresAt;
export const analystsGroupToken = analysts.token;
export const analystNames = analystMembers.members.apply((ms) => ms.map((m) => m.username));
export const collectionGrants = collectionAccess.resolvedGrants.apply((gs) =>
  gs.map((g) => `${g.name}: ${g.action}`),
);
export const collectionLevelFound = collectionAccess.previousDefaultAccess;
export const memberAccessToken = memberAccess.token;
export const groupAccessToken = groupAccess.token;
export const leadInviteId = leadInvite.inviteId;
export const leadAcceptedAt = leadAcceptance.acceptedAt;
export const workspaceMemberCount = analystInvite.memberUsername.apply(async () => {
  const { memberships } = await mode.getWorkspaceMemberships({ workspace });
  return memberships.length;
});
