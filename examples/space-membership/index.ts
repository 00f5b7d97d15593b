// Grants a user and a user group access to one Mode space (Collection).
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const space = config.require("space");

const user = new mode.SpaceMembership("user", {
  account: workspace,
  space,
  memberType: "User",
  memberToken: config.require("memberToken"),
});

const group = new mode.SpaceMembership("group", {
  account: workspace,
  space,
  memberType: "UserGroup",
  memberToken: config.require("groupToken"),
});

// Read functions see everything in the space, including members managed elsewhere.
export const spaceMemberCount = pulumi
  .all([user.token, group.token])
  .apply(() => mode.getSpaceMemberships({ account: workspace, space }))
  .apply((result) => result.memberships.length);
export const userEmail = user.email;
export const groupMembershipToken = group.token;
