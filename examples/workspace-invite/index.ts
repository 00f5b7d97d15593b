// Invites two people into a Mode workspace. Run it against the emulator (emulator/README.md,
// "Running an example by hand"), or against Mode with `mode:apiToken` / `mode:apiSecret` set.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");

const analyst = new mode.WorkspaceInvite("analyst", {
  workspace,
  email: "grace.analyst@example.com",
  message: "Welcome to the analytics workspace, Grace!",
});

// The message is optional: a short greeting naming the workspace is sent by default.
const engineer = new mode.WorkspaceInvite("engineer", { workspace, email: "linus.engineer@example.com" });

export const analystStatus = analyst.status;
export const analystUsername = analyst.memberUsername;
export const engineerExpiresAt = engineer.expiresAt;
