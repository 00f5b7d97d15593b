// Keeps a Mode workspace to the declared people: two invitees (invited by this stack) and the
// existing members named in the optional `members` config (a JSON list of usernames, e.g.
// `pulumi config set members '["ada","grace"]'`). Everyone else is removed by `pulumi up`, and a
// pending invite nobody declared is revoked — except admins, SCIM-managed members and the API user,
// which pulumi-mode never removes (they are listed in `kept`). Deleting the WorkspaceMembers
// resource removes nobody.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const existing = config.getObject<string[]>("members") ?? [];

const invites = ["grace.analyst@example.com", "linus.engineer@example.com"].map(
  (email) => new mode.WorkspaceInvite(email.split("@")[0].replace(".", "-"), { workspace, email }),
);

const everyone = new mode.WorkspaceMembers("everyone", {
  workspace,
  // An invitee counts by their username from the moment the invite is sent.
  usernames: [...invites.map((invite) => invite.memberUsername), ...existing],
});

export const removed = everyone.removed.apply((people) => people.map((p) => p.username));
export const kept = everyone.kept;
export const notMembers = everyone.missing;
