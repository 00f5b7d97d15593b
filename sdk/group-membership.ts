import * as pulumi from "@pulumi/pulumi";
import { claimed, type Claim } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link GroupMembership}. Every argument identifies the membership: changing one replaces it. */
export interface GroupMembershipArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The group's token, e.g. `group.token` of a {@link Group}, or a token from `getGroups`. */
  group: pulumi.Input<string>;
  /**
   * The member's username (compared case-insensitively). They must be a member of the workspace (an
   * invitee counts): pass `invite.memberUsername` of a {@link WorkspaceInvite} for someone new.
   */
  username: pulumi.Input<string>;
}

/**
 * One workspace member in a Mode user group. The username is resolved through the workspace's
 * member listing (one listing per run, not a request per resource); a username that is not a
 * member fails before anything is sent, pointing at {@link WorkspaceInvite}. When the person is
 * already in the group, that membership is adopted (`adopted`).
 *
 * Drift: a preview replaces the membership, with one line saying which, when it was removed from
 * the group outside Pulumi (`up` adds it again) or when the person left the workspace (Mode removes
 * their group memberships with them; `up` fails until they are a member again).
 *
 * Delete removes the person from the group; already gone is success. Members of a group the
 * identity provider manages (SCIM) change only there: create and delete are refused.
 *
 * A stack may not also declare a {@link GroupMembers} for the same group (it owns the whole member
 * list), nor two GroupMemberships of one person in one group: the preview fails naming them.
 */
export class GroupMembership extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The group's token. */
  declare public readonly group: pulumi.Output<string>;
  /** The member's username, as declared. */
  declare public readonly username: pulumi.Output<string>;
  /** The member's user token (their workspace membership's token). */
  declare public readonly memberToken: pulumi.Output<string>;
  /** The group membership's own token. */
  declare public readonly membershipToken: pulumi.Output<string>;
  /** True when the person already was in the group and that membership was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: GroupMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "GroupMembership",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:GroupMembership "${name}"`,
          [args.workspace, args.group, args.username],
          ([workspace, group, username]) => groupMemberClaim(workspace, group, username),
        ),
        group: args.group,
        username: args.username,
        memberToken: undefined,
        membershipToken: undefined,
        adopted: undefined,
      },
      opts,
    );
  }
}

/**
 * The claim on one person in a group (usernames compare regardless of case); a GroupMembers of the
 * group claims every member, so the two conflict.
 */
export function groupMemberClaim(workspace: string, group: string, username: string): Claim {
  return {
    key: ["group-members", workspace, group, username.trim().toLowerCase()],
    object: `the membership of ${username.trim()} in group ${group} of ${workspace}`,
  };
}
