import * as pulumi from "@pulumi/pulumi";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link WorkspaceInvite}. */
export interface WorkspaceInviteArgs {
  /** The workspace's username (Mode calls it the organization). Changing it replaces the invite. */
  workspace: pulumi.Input<string>;
  /** The invitee's email. Compared case-insensitively and trimmed; changing it replaces the invite. */
  email: pulumi.Input<string>;
  /**
   * The invitation message (at most 1,000 characters). Defaults to a short greeting naming the
   * workspace. Changing it updates the stored value only: Mode cannot edit or re-send an invite.
   */
  message?: pulumi.Input<string>;
}

/**
 * An invite into a Mode workspace (`POST /{workspace}/invites`). A pending invite for the same
 * email is adopted (`adopted` is true) instead of sent twice.
 *
 * Drift: a preview replaces the invite when the invitee's membership was removed, deactivated, or
 * the invite expired unaccepted. An accepted invite is not drift.
 *
 * Delete (removing it from the program, `pulumi destroy`, or the delete half of a replace) takes the
 * access away: a pending or expired invite is revoked and a member who accepted it is removed from
 * the workspace. A SCIM-managed membership and the credentials' own are never removed (the delete
 * fails and says what to do). To keep the person when the resource goes, set the `retainOnDelete`
 * resource option.
 */
export class WorkspaceInvite extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The invitee's email, as declared. */
  declare public readonly email: pulumi.Output<string>;
  /** The invitation message. */
  declare public readonly message: pulumi.Output<string>;
  /** `pending`, `accepted` or `expired`. */
  declare public readonly status: pulumi.Output<"pending" | "accepted" | "expired">;
  /** The raw state of the invitee's workspace membership (`invited`, `active`, `expired`, `deactivated`). */
  declare public readonly membershipState: pulumi.Output<string>;
  /** Mode's id of the invitee. */
  declare public readonly inviteeId: pulumi.Output<string>;
  /** Mode's id of the inviter (the API credentials' user). */
  declare public readonly inviterId: pulumi.Output<string>;
  /** The invitee's username, which ties the invite to its workspace membership. */
  declare public readonly memberUsername: pulumi.Output<string>;
  /** The invitee's membership token, once known (after a refresh or preview). */
  declare public readonly memberToken: pulumi.Output<string | null>;
  /** When the invite was sent. */
  declare public readonly sentAt: pulumi.Output<string | null>;
  /** When the invite expires unless accepted. */
  declare public readonly expiresAt: pulumi.Output<string | null>;
  /** When the invitee accepted (null while pending). */
  declare public readonly acceptedAt: pulumi.Output<string | null>;

  /** True when the object already existed and was adopted rather than created by this stack. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: WorkspaceInviteArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "WorkspaceInvite",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:WorkspaceInvite "${name}"`,
          [args.workspace, args.email],
          ([ws, email]) => ({
            key: ["workspace", ws, "email", email.trim().toLowerCase()],
            object: `the invite of ${email.trim()} to ${ws}`,
          }),
        ),
        email: args.email,
        message: args.message,
        status: undefined,
        membershipState: undefined,
        inviteeId: undefined,
        inviterId: undefined,
        memberUsername: undefined,
        memberToken: undefined,
        sentAt: undefined,
        expiresAt: undefined,
        acceptedAt: undefined,
        adopted: undefined,
      },
      opts,
    );
  }
}
