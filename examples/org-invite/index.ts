// Invites an administrator and a regular member into an organization.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const organizationId = config.require("organizationId");

const admin = new mode.OrgInvite("admin", {
  organizationId,
  recipientEmail: "ada.admin@example.com",
  inviteUserAs: "admin",
});

const member = new mode.OrgInvite("member", { organizationId, recipientEmail: "alan.member@example.com" });

export const adminInviteId = admin.inviteId;
export const adminStatus = admin.status;
export const memberStatus = member.status;
// `code` is a secret: `pulumi stack output --show-secrets memberCode` reveals it.
export const memberCode = member.code;
