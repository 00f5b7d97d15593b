// Lets the Analysts group query a Mode data source (a database connection) and one person view it.
// A grant the group or person already holds is adopted and set to the declared action; removed
// outside Pulumi, `pulumi preview` shows a replace, and changed, an update back. `pulumi destroy`
// revokes both and deletes the group.
import * as pulumi from "@pulumi/pulumi";
import * as mode from "pulumi-mode";

const config = new pulumi.Config();
const workspace = config.require("workspace");
const dataSource = config.require("dataSource");

const analysts = new mode.Group("analysts", { workspace, name: "Analysts" });

const analystsQuery = new mode.DataSourcePermission("analysts-query", {
  workspace,
  dataSource,
  group: analysts.token,
  action: "query",
});

const reader = new mode.DataSourcePermission("reader-view", {
  workspace,
  dataSource,
  username: config.require("username"),
  action: "view",
});

export const grants = [analystsQuery.permissionToken, reader.permissionToken];
export const adopted = [analystsQuery.adopted, reader.adopted];
