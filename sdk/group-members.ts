import * as pulumi from "@pulumi/pulumi";
import type { UnmanagedMode } from "../provider/removals";
import { claimed, type Claim } from "./claims";
import { ModeResource } from "./shim";

/**
 * Arguments of a {@link GroupMembers}. `workspace` and `group` identify the group (changing one
 * replaces the resource); `usernames` and the removal policy are updated in place.
 */
export interface GroupMembersArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The group's token, e.g. `group.token` of a {@link Group}, or a token from `getGroups`. */
  group: pulumi.Input<string>;
  /**
   * Who the group holds: a set of usernames (order, repeats and case do not matter). A username that
   * is not a workspace member is reported in `missing` and added by the first `up` after they join;
   * an empty list empties the group.
   */
  usernames: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * What `up` does with members of the group the program does not declare: `remove` (the default)
   * removes them; `report` never removes them (missing declared members are still added), and names
   * them on the preview's line and in the output `unmanaged`. Start with `report` on a live group,
   * review, then switch to `remove` (docs/guides/removals.md).
   */
  unmanaged?: pulumi.Input<UnmanagedMode>;
  /**
   * The most members one `up` may remove from the group: a `pulumi preview` or `up` that would remove
   * more fails before anything is sent, naming how many and who. Unset: no limit; `0`: never remove
   * anyone. Deleting the resource (which removes its declared members) is not counted.
   */
  maxRemovals?: pulumi.Input<number>;
}

/** A member of a group: their username (null when the workspace does not list them) and user token. */
export interface GroupMember {
  /** The member's username. */
  username: string | null;
  /** The member's user token. */
  memberToken: string;
}

/**
 * Every member of a Mode user group, authoritative: after `pulumi up` the group holds exactly the
 * declared usernames that are workspace members. Missing ones are added (a member already in the
 * group is adopted); every other member is removed. A declared username that is not a workspace
 * member is not an error: it is reported (`missing`, and the preview's line) and added by the first
 * `up` after they join (a preview notices when they have).
 *
 * Drift: anyone added to or removed from the group outside Pulumi shows in `pulumi preview` as an
 * update of this resource, found from one listing of the group, with one line naming who `up` adds
 * and removes; `up` sends only those writes.
 *
 * Removals that cannot run away: `unmanaged: "report"` keeps every member the program does not
 * declare (named on the preview's line and listed in the output `unmanaged`), and `maxRemovals`
 * makes a preview or `up` that would remove more than that many fail before anything is sent. See
 * docs/guides/removals.md.
 *
 * Delete removes the members this resource declared (others in the group stay), whatever
 * `maxRemovals` says; set the `retainOnDelete` resource option to stop managing the group's members
 * without removing anyone. A group the identity provider manages (SCIM) is refused: its members
 * change only there.
 *
 * A stack may not also declare a {@link GroupMembership} in the same group, or a second
 * GroupMembers for it: the preview fails naming the group.
 */
export class GroupMembers extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The group's token. */
  declare public readonly group: pulumi.Output<string>;
  /** The declared usernames. */
  declare public readonly usernames: pulumi.Output<string[]>;
  /** The group's members after the last run (after a refresh: everyone live in the group). */
  declare public readonly members: pulumi.Output<GroupMember[]>;
  /** Declared usernames that are not workspace members (added once they join). */
  declare public readonly missing: pulumi.Output<string[]>;
  /** The `unmanaged` argument as declared: `remove` (also when unset) or `report`. */
  declare public readonly unmanagedMode: pulumi.Output<UnmanagedMode | undefined>;
  /** The most members one `up` may remove (unset: no limit). */
  declare public readonly maxRemovals: pulumi.Output<number | undefined>;
  /**
   * The undeclared members that stay because `unmanaged` is `report` (empty with `remove`), as of
   * the last `up` or refresh.
   */
  declare public readonly unmanaged: pulumi.Output<GroupMember[]>;

  constructor(name: string, args: GroupMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "GroupMembers",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:GroupMembers "${name}"`,
          [args.workspace, args.group],
          ([workspace, group]) => groupMembersClaim(workspace, group),
        ),
        group: args.group,
        usernames: args.usernames,
        unmanaged: args.unmanaged,
        maxRemovals: args.maxRemovals,
        members: undefined,
        missing: undefined,
        unmanagedMode: undefined,
      },
      opts,
    );
  }
}

/** The claim on a group's whole membership (it covers every {@link GroupMembership} of the group). */
export function groupMembersClaim(workspace: string, group: string): Claim {
  return {
    key: ["group-members", workspace, group],
    object: `every member of group ${group} of ${workspace}`,
  };
}
