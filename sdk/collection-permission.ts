import * as pulumi from "@pulumi/pulumi";
import { accessorClaim, claimed } from "./claims";
import { ModeResource } from "./shim";

/**
 * Arguments of a {@link CollectionPermission}. `workspace`, `collection` and the accessor
 * (`username` or `group`) identify the grant: changing one replaces it. `action` changes in place.
 */
export interface CollectionPermissionArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The collection's token (a `space` in Mode's API), e.g. a {@link Collection}'s `token`. */
  collection: pulumi.Input<string>;
  /** The member to grant to, by username (compared case-insensitively). Give exactly one of `username` and `group`. */
  username?: pulumi.Input<string>;
  /** The group to grant to, by its token, e.g. a `mode.Group`'s `token`. Give exactly one of `username` and `group`. */
  group?: pulumi.Input<string>;
  /** What the accessor may do in the collection: `view` or `edit`. */
  action: pulumi.Input<"view" | "edit">;
}

/**
 * One permission on a Mode collection: `view` or `edit`, for a member (by username) or a group (by
 * token), through Mode's collection permissions (`/{workspace}/spaces/{space}/permissions`), which
 * decide who can open a collection. When the accessor already holds a permission there, it is
 * adopted (`adopted`) and set to the declared action.
 *
 * Drift: the grant removed outside Pulumi shows in `pulumi preview` as a replace (up grants it
 * again); its action changed outside Pulumi as an update back to the declared action. Either way
 * one line names the collection and the person or group.
 *
 * Delete revokes the grant. A stack may not also declare a {@link CollectionAccess} for the same
 * collection, nor a second CollectionPermission for the same accessor there: the preview fails
 * naming them.
 */
export class CollectionPermission extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The collection's token. */
  declare public readonly collection: pulumi.Output<string>;
  /** The member's username, as declared (when granted to a member). */
  declare public readonly username: pulumi.Output<string | undefined>;
  /** The group's token, as declared (when granted to a group). */
  declare public readonly group: pulumi.Output<string | undefined>;
  /** `view` or `edit` (after a refresh: as live). */
  declare public readonly action: pulumi.Output<"view" | "edit">;
  /** The permission's own token. */
  declare public readonly permissionToken: pulumi.Output<string>;
  /** `Account` (a member) or `UserGroup` (a group). */
  declare public readonly accessorType: pulumi.Output<"Account" | "UserGroup">;
  /** The member's user token or the group's token. */
  declare public readonly accessorToken: pulumi.Output<string>;
  /** True when the accessor already held a permission there and it was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: CollectionPermissionArgs, opts?: pulumi.CustomResourceOptions) {
    const accessor = args.username ?? args.group;
    const isMember = args.username !== undefined;
    super(
      "CollectionPermission",
      name,
      {
        workspace: args.workspace,
        collection:
          accessor === undefined
            ? args.collection
            : claimed(
                args.collection,
                `mode:CollectionPermission "${name}"`,
                [args.workspace, args.collection, accessor],
                ([workspace, collection, value]) => {
                  const who = accessorClaim(isMember, value);
                  return {
                    key: ["collection", workspace, collection, "grants", ...who.key],
                    object: `the grant to ${who.words} on collection ${collection} of ${workspace}`,
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
