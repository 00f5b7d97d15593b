import * as pulumi from "@pulumi/pulumi";
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
}

/** A member of a space: a user or user group, and (in `memberships`) the space membership's token. */
export interface SpaceMember {
  /** `User` or `UserGroup`. */
  memberType: "User" | "UserGroup";
  /** The user's or user group's token. */
  memberToken: string;
  /** The space membership's own token (in `memberships`). */
  token?: string;
  /** The user's email, when Mode reported one (in `added` and `removed`, users only). */
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
 * Delete removes the members this resource declared (others in the space stay); set the
 * `retainOnDelete` resource option to stop managing the space without removing anyone.
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
        memberships: undefined,
        added: undefined,
        removed: undefined,
      },
      opts,
    );
  }
}
