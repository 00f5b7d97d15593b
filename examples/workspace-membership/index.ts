// Brings an existing member of a Mode workspace under management: nothing is sent on create (the
// live membership is adopted); removing the resource, or `pulumi destroy`, removes the member from
// the workspace (set the retainOnDelete resource option to keep them). Run it against the emulator
// (emulator/README.md, "Running an example by hand"), or against Mode with `mode:apiToken` /
// `mode:apiSecret` set.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();

const member = new mode.WorkspaceMembership("member", {
  workspace: config.require("workspace"),
  username: config.require("username"),
});

export const memberToken = member.memberToken;
export const state = member.state;
export const admin = member.admin;
export const adopted = member.adopted;
