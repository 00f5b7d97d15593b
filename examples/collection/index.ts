// A Mode collection by name: created, or adopted when an active custom collection of that name
// exists (`adopted`). Renaming it, or changing its description or default level, updates it in
// place; `pulumi destroy` deletes it. Who can open it is mode.CollectionAccess's business (see
// examples/collection-access).
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();

const reports = new mode.Collection("reports", {
  workspace: config.require("workspace"),
  name: "Quarterly reports",
  description: "Board-ready numbers, refreshed every quarter.",
  defaultAccess: "view",
});

// The token is what `collection` arguments take.
export const token = reports.token;
export const restricted = reports.restricted;
export const adopted = reports.adopted;
