// Restricts a Mode collection to exactly the Analysts group (view) and one person (edit): any other
// grant on it is revoked by `pulumi up`, and grants or the default level changed outside Pulumi show
// in `pulumi preview` as an update with one line naming every difference. `pulumi destroy` revokes
// these grants and puts the default level back to what the stack found, then deletes the group and
// the collection.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");

const finance = new mode.Collection("finance", { workspace, name: "Finance" });
const analysts = new mode.Group("analysts", { workspace, name: "Analysts" });

const access = new mode.CollectionAccess("finance-access", {
  workspace,
  collection: finance.token,
  defaultAccess: "restricted",
  grants: [
    { group: analysts.token, action: "view" },
    { username: config.require("username"), action: "edit" },
  ],
});

// Who can open the collection after the last run, by name.
export const grants = access.resolvedGrants.apply((gs) => gs.map((g) => `${g.name}: ${g.action}`));
export const missing = access.missing;
export const levelFound = access.previousDefaultAccess;
