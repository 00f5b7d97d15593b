import * as pulumi from "@pulumi/pulumi";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link SpaceMembership}. Every argument identifies the membership: changing one replaces it. */
export interface SpaceMembershipArgs {
  /** The account (workspace or user) username that owns the space. */
  account: pulumi.Input<string>;
  /** The space (Collection) token. */
  space: pulumi.Input<string>;
  /** `User` or `UserGroup`. */
  memberType: pulumi.Input<"User" | "UserGroup">;
  /** The token of the user or user group to add. */
  memberToken: pulumi.Input<string>;
}

/** The warning shown once per run when a program declares a SpaceMembership, naming the replacement. */
export const SPACE_MEMBERSHIP_DEPRECATION =
  "Mode has deprecated the Space Memberships endpoint (/{account}/spaces/{space}/memberships) used by " +
  "mode.SpaceMembership, and it no longer decides who can open a collection: Mode's collection permissions do. " +
  "Use mode.CollectionPermission (one grant) or mode.CollectionAccess (every grant on a collection) instead.";

let deprecationShown = false;

/**
 * A user or user group in a Mode space (Collection), through Mode's deprecated Space Memberships
 * endpoint. When the member is already in the space, the existing membership is adopted.
 *
 * Deprecated: that endpoint no longer decides who can open a collection; Mode's collection
 * permissions do. Use {@link CollectionPermission} (one grant) or {@link CollectionAccess} (every
 * grant on a collection) instead.
 *
 * Drift: a preview replaces the membership when it was removed from the space behind Pulumi's back.
 */
export class SpaceMembership extends ModeResource {
  /** The account username. */
  declare public readonly account: pulumi.Output<string>;
  /** The space token. */
  declare public readonly space: pulumi.Output<string>;
  /** `User` or `UserGroup`. */
  declare public readonly memberType: pulumi.Output<"User" | "UserGroup">;
  /** The member's token. */
  declare public readonly memberToken: pulumi.Output<string>;
  /** The space membership's own token. */
  declare public readonly token: pulumi.Output<string>;
  /** Mode's id of the member. */
  declare public readonly memberId: pulumi.Output<string>;
  /** The member's email (users only; null for user groups). */
  declare public readonly email: pulumi.Output<string | null>;

  /** True when the object already existed and was adopted rather than created by this stack. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: SpaceMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "SpaceMembership",
      name,
      {
        account: claimed(
          args.account,
          `mode:SpaceMembership "${name}"`,
          [args.account, args.space, args.memberType, args.memberToken],
          ([account, space, type, token]) => spaceMemberClaim(account, space, type, token),
        ),
        space: args.space,
        memberType: args.memberType,
        memberToken: args.memberToken,
        token: undefined,
        memberId: undefined,
        email: undefined,
        adopted: undefined,
      },
      opts,
    );
    if (!deprecationShown) {
      deprecationShown = true;
      void pulumi.log.warn(SPACE_MEMBERSHIP_DEPRECATION, this);
    }
  }
}

/** The claim on one member of a space (shared with SpaceMembers, which claims the whole space). */
export function spaceMemberClaim(account: string, space: string, type: string, token: string) {
  const member = type === "UserGroup" ? `user group ${token}` : `user ${token}`;
  return { key: ["space", account, space, type, token], object: `${member} in space ${space} of ${account}` };
}
