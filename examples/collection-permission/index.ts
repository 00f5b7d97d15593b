// Gives one member edit access to a Mode collection. A permission the member already holds there is
// adopted and set to `edit`; removed outside Pulumi, `pulumi preview` shows a replace, and changed
// to `view`, an update back. `pulumi destroy` revokes it.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();

const editor = new mode.CollectionPermission("editor", {
  workspace: config.require("workspace"),
  collection: config.require("space"),
  username: config.require("username"),
  action: "edit",
});

export const permissionToken = editor.permissionToken;
export const adopted = editor.adopted;
