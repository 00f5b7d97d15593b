import * as pulumi from "@pulumi/pulumi";
import type { UnmanagedMode } from "../provider/removals";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/**
 * Arguments of a {@link SpaceMembers}. `account` and `space` identify the space (changing one
 * replaces the resource); the lists are updated in place.
 */
export interface SpaceMembersArgs {
  /** The account (workspace or user) username that owns the space. */
  account: pulumi.Input<string>;
  /** The space (Collection) token. */
  space: pulumi.Input<string>;
  /** Tokens of the users the space must hold (a set: order and repeats do not matter). */
  users?: pulumi.Input<pulumi.Input<string>[]>;
  /** Tokens of the user groups the space must hold (a set). */
  userGroups?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * What `up` does with members of the space the program does not declare: `remove` (the default)
   * removes them; `report` never removes them (missing declared members are still added), and names
   * them on the preview's line and in the output `unmanaged`. Start with `report` on a live space,
   * review, then switch to `remove` (docs/guides/removals.md).
   */
  unmanaged?: pulumi.Input<UnmanagedMode>;
  /**
   * The most members (users and user groups) one `up` may remove from the space: a `pulumi preview`
   * or `up` that would remove more fails before anything is sent, naming how many and who. Unset:
   * no limit; `0`: never remove anyone. Deleting the resource (which removes its declared members)
   * is not counted.
   */
  maxRemovals?: pulumi.Input<number>;
}

/** A member of a space: a user or user group, and (in `memberships`) the space membership's token. */
export interface SpaceMember {
  /** `User` or `UserGroup`. */
  memberType: "User" | "UserGroup";
  /** The user's or user group's token. */
  memberToken: string;
  /** The space membership's own token (in `memberships`). */
  token?: string;
  /** The user's email, when Mode reported one (in `added`, `removed` and the output `unmanaged`, users only). */
  email?: string | null;
}

/**
 * Every member of a Mode space (Collection), authoritative: after `pulumi up` the space holds
 * exactly the declared users and user groups. Missing ones are added (a member already in the space
 * is adopted), and every other member is removed, through Mode's deprecated Space Memberships
 * endpoint. Declaring neither list empties the space.
 *
 * Drift: anyone added to or removed from the space outside Pulumi shows in `pulumi preview` as an
 * update of this resource, with one line naming who `up` adds and removes; `up` sends only those
 * creates and deletes. Changing the lists is an in-place update too.
 *
 * Removals that cannot run away: `unmanaged: "report"` keeps every member the program does not
 * declare (named on the preview's line, e.g. `space s1 of acme: 1 member is not in the program —
 * kept, unmanaged is report: user u9 (ann@example.com)`, and listed in the output `unmanaged`), and
 * `maxRemovals` makes a preview or `up` that would remove more than that many fail before anything
 * is sent. See docs/guides/removals.md.
 *
 * Delete removes the members this resource declared (others in the space stay), whatever
 * `maxRemovals` says; set the `retainOnDelete` resource option to stop managing the space without
 * removing anyone.
 *
 * Deprecated with its endpoint: space memberships no longer decide who can open a collection; Mode's
 * collection permissions do. Use {@link CollectionAccess} (every grant on a collection) or
 * {@link CollectionPermission} (one grant) instead.
 *
 * A stack may not also declare a {@link SpaceMembership} in the same space, or a second
 * SpaceMembers for it: the preview fails naming the space.
 */
export class SpaceMembers extends ModeResource {
  /** The account username. */
  declare public readonly account: pulumi.Output<string>;
  /** The space token. */
  declare public readonly space: pulumi.Output<string>;
  /** The declared user tokens. */
  declare public readonly users: pulumi.Output<string[] | undefined>;
  /** The declared user group tokens. */
  declare public readonly userGroups: pulumi.Output<string[] | undefined>;
  /** The space's members after the last run (after a refresh: everyone live in the space). */
  declare public readonly memberships: pulumi.Output<SpaceMember[]>;
  /** The members the last run added. */
  declare public readonly added: pulumi.Output<SpaceMember[]>;
  /** The members the last run removed. */
  declare public readonly removed: pulumi.Output<SpaceMember[]>;
  /** The `unmanaged` argument as declared: `remove` (also when unset) or `report`. */
  declare public readonly unmanagedMode: pulumi.Output<UnmanagedMode | undefined>;
  /** The most members one `up` may remove (unset: no limit). */
  declare public readonly maxRemovals: pulumi.Output<number | undefined>;
  /**
   * The undeclared members that stay because `unmanaged` is `report` (empty with `remove`), as of
   * the last `up` or refresh. Absent on a resource last written by a version of pulumi-mode without
   * the removal policy, until its next update or refresh.
   */
  declare public readonly unmanaged: pulumi.Output<SpaceMember[] | undefined>;

  constructor(name: string, args: SpaceMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SpaceMembers",
      name,
      {
        account: claimed(
          args.account,
          `mode:SpaceMembers "${name}"`,
          [args.account, args.space],
          ([account, space]) => ({
            key: ["space", account, space],
            object: `every member of space ${space} of ${account}`,
          }),
        ),
        space: args.space,
        users: args.users,
        userGroups: args.userGroups,
        unmanaged: args.unmanaged,
        maxRemovals: args.maxRemovals,
        memberships: undefined,
        added: undefined,
        removed: undefined,
        unmanagedMode: undefined,
      },
      opts,
    );
  }
}
