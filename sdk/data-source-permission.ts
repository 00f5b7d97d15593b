import * as pulumi from "@pulumi/pulumi";
import { accessorClaim, claimed } from "./claims";
import { ModeResource } from "./shim";

/**
 * Arguments of a {@link DataSourcePermission}. `workspace`, `dataSource` and the accessor
 * (`username` or `group`) identify the grant: changing one replaces it. `action` changes in place.
 */
export interface DataSourcePermissionArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The data source's (database connection's) token, e.g. from `getDataSources`. */
  dataSource: pulumi.Input<string>;
  /** The member to grant to, by username (compared case-insensitively). Give exactly one of `username` and `group`. */
  username?: pulumi.Input<string>;
  /** The group to grant to, by its token, e.g. a `mode.Group`'s `token`. Give exactly one of `username` and `group`. */
  group?: pulumi.Input<string>;
  /** What the accessor may do with the data source: `view`, `query` or `manage`. */
  action: pulumi.Input<"view" | "query" | "manage">;
}

/**
 * One permission on a Mode data source (a database connection): `view`, `query` or `manage`, for a
 * member (by username) or a group (by token), through Mode's data-source permissions
 * (`/{workspace}/data_sources/{data_source}/permissions`). When the accessor already holds a
 * permission there, it is adopted (`adopted`) and set to the declared action.
 *
 * Drift: the grant removed outside Pulumi shows in `pulumi preview` as a replace (up grants it
 * again); its action changed outside Pulumi as an update back to the declared action. Either way
 * one line names the data source and the person or group. A refresh reads the grant itself; when
 * Mode answers that read with a 500 while the list works (a quirk seen upstream), the list's copy is used.
 *
 * Delete revokes the grant. A stack may not declare two DataSourcePermissions for the same accessor
 * on one data source: the preview fails naming them.
 */
export class DataSourcePermission extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The data source's token. */
  declare public readonly dataSource: pulumi.Output<string>;
  /** The member's username, as declared (when granted to a member). */
  declare public readonly username: pulumi.Output<string | undefined>;
  /** The group's token, as declared (when granted to a group). */
  declare public readonly group: pulumi.Output<string | undefined>;
  /** `view`, `query` or `manage` (after a refresh: as live). */
  declare public readonly action: pulumi.Output<"view" | "query" | "manage">;
  /** The permission's own token. */
  declare public readonly permissionToken: pulumi.Output<string>;
  /** `Account` (a member) or `UserGroup` (a group). */
  declare public readonly accessorType: pulumi.Output<"Account" | "UserGroup">;
  /** The member's user token or the group's token. */
  declare public readonly accessorToken: pulumi.Output<string>;
  /** True when the accessor already held a permission there and it was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: DataSourcePermissionArgs, opts?: pulumi.CustomResourceOptions) {
    const accessor = args.username ?? args.group;
    const isMember = args.username !== undefined;
    super(
      "DataSourcePermission",
      name,
      {
        workspace: args.workspace,
        dataSource:
          accessor === undefined
            ? args.dataSource
            : claimed(
                args.dataSource,
                `mode:DataSourcePermission "${name}"`,
                [args.workspace, args.dataSource, accessor],
                ([workspace, dataSource, value]) => {
                  const who = accessorClaim(isMember, value);
                  return {
                    key: ["data-source", workspace, dataSource, "grants", ...who.key],
                    object: `the grant to ${who.words} on data source ${dataSource} of ${workspace}`,
                  };
                },
              ),
        username: args.username,
        group: args.group,
        action: args.action,
        permissionToken: undefined,
        accessorType: undefined,
        accessorToken: undefined,
        adopted: undefined,
      },
      opts,
    );
  }
}
