import * as pulumi from "@pulumi/pulumi";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link WorkspaceMembership}. Both identify the membership: changing one replaces it. */
export interface WorkspaceMembershipArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The member's username (compared case-insensitively, as Mode's usernames are). */
  username: pulumi.Input<string>;
}

/**
 * An existing member of a Mode workspace, brought under management. Create sends nothing: it adopts
 * the live membership of `username` (active or invited) and fails with a clear message when there
 * is none; new people are invited with {@link WorkspaceInvite}.
 *
 * Drift: a preview shows it when the member was removed or deactivated outside Pulumi.
 *
 * Delete removes the member from the workspace (`DELETE /{workspace}/memberships/{membership}`).
 * A SCIM-managed membership and the credentials' own are never removed: the delete fails and says
 * what to do. Set the `retainOnDelete` resource option to stop managing a member without removing them.
 */
export class WorkspaceMembership extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The member's username, as declared. */
  declare public readonly username: pulumi.Output<string>;
  /** The membership token (the member's token). */
  declare public readonly memberToken: pulumi.Output<string>;
  /** `active`, `invited`, `expired` or `deactivated`. */
  declare public readonly state: pulumi.Output<string>;
  /** Whether the member is a workspace admin. */
  declare public readonly admin: pulumi.Output<boolean>;
  /** Whether SCIM manages the membership (then only the identity provider can remove it). */
  declare public readonly managedByScim: pulumi.Output<boolean>;
  /** When the membership became active (null while invited). */
  declare public readonly activatedAt: pulumi.Output<string | null>;
  /** Always true: a WorkspaceMembership adopts an existing member, it never creates one. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: WorkspaceMembershipArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "WorkspaceMembership",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:WorkspaceMembership "${name}"`,
          [args.workspace, args.username],
          ([workspace, username]) => ({
            key: ["workspace", workspace, "username", username.trim().toLowerCase()],
            object: `the membership of ${username.trim()} in ${workspace}`,
          }),
        ),
        username: args.username,
        memberToken: undefined,
        state: undefined,
        admin: undefined,
        managedByScim: undefined,
        activatedAt: undefined,
        adopted: undefined,
      },
      opts,
    );
  }
}
