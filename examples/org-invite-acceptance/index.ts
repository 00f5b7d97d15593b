// Creates an organization invite for a service account and accepts it with the invite's code,
// which never leaves Pulumi's secret handling.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const organizationId = config.require("organizationId");

const invite = new mode.OrgInvite("service-account", {
  organizationId,
  recipientEmail: "reporting-bot@example.com",
});

const accepted = new mode.OrgInviteAcceptance("service-account", {
  organizationId,
  inviteId: invite.inviteId,
  code: invite.code,
});

export const inviteId = invite.inviteId;
export const acceptedAt = accepted.acceptedAt;
export const acceptedByUserId = accepted.acceptedByUserId;
