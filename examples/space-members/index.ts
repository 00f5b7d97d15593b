// Makes one Mode space (Collection) hold exactly one user and one user group: anyone else in the
// space is removed by `pulumi up`, and anyone added or removed outside Pulumi shows in
// `pulumi preview` as an update naming them.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();

const analytics = new mode.SpaceMembers("analytics", {
  account: config.require("workspace"),
  space: config.require("space"),
  users: [config.require("memberToken")],
  userGroups: [config.require("groupToken")],
});

// Who is in the space after the last run, and what that run changed.
export const members = analytics.memberships.apply((ms) => ms.map((m) => `${m.memberType} ${m.memberToken}`));
export const added = analytics.added;
export const removed = analytics.removed;
