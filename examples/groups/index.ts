// A user group as code: the "Analysts" group (created, or adopted when a group of that name already
// exists), exactly two members in it (anyone else added outside Pulumi is removed by `pulumi up`),
// and one person added to a group that exists already and is managed elsewhere. Renaming the group,
// deleting it, or changing its members outside Pulumi shows in `pulumi preview` as one line naming
// the group or the person; `pulumi up` repairs it.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const analyst = config.require("username");

const analysts = new mode.Group("analysts", { workspace, name: "Analysts" });

// The whole member list: a set of usernames (order and case do not matter). A username that is not
// a workspace member yet is reported in `missing` and added by the first `up` after they join.
const members = new mode.GroupMembers("analysts", {
  workspace,
  group: analysts.token,
  usernames: [analyst, config.require("secondUsername")],
});

// One person in an existing group; the group's other members are left alone.
const reviewer = new mode.GroupMembership("reviewer", {
  workspace,
  group: config.require("groupToken"),
  username: analyst,
});

export const groupToken = analysts.token;
export const adopted = analysts.adopted;
export const analystNames = members.members.apply((ms) => ms.map((m) => m.username));
export const notMembersYet = members.missing;
export const reviewerMembership = reviewer.membershipToken;
