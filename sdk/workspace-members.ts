import * as pulumi from "@pulumi/pulumi";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link WorkspaceMembers}. Changing `workspace` replaces it; `usernames` updates in place. */
export interface WorkspaceMembersArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /**
   * Usernames who may be members (a set, compared case-insensitively), e.g.
   * `[...invites.map((i) => i.memberUsername), "bob"]`. A pending invitee counts by their username.
   */
  usernames: pulumi.Input<pulumi.Input<string>[]>;
}

/** A member of the workspace, as Mode reports them. */
export interface WorkspaceMember {
  /** The member's username. */
  username: string;
  /** The membership token. */
  memberToken: string;
  /** `active`, `invited`, `expired` or `deactivated`. */
  state: string;
  /** Whether the member is a workspace admin. */
  admin: boolean;
  /** Whether SCIM manages the membership. */
  managedByScim: boolean;
}

/** An undeclared member who stays, and why. */
export interface KeptMember {
  /** The member's username. */
  username: string;
  /** `admin`, `managedByScim`, or `self` (Mode refused to remove the credentials' own user). */
  because: "admin" | "managedByScim" | "self";
}

/**
 * Who may stay in a Mode workspace, authoritative: after `pulumi up` the workspace has no member
 * or invitee outside `usernames`. Undeclared members are removed and undeclared pending invites
 * revoked (`DELETE /{workspace}/memberships/{membership}`), except members pulumi-mode never
 * removes: admins (the API user among them: only admin credentials can remove anyone),
 * SCIM-managed members, and the credentials' own user. Those are reported (`kept`, and the
 * preview's line), never deleted.
 *
 * No API adds a member by username: a declared username that is not a member is reported
 * (`missing`, and the preview's line) and not created; invite new people with {@link WorkspaceInvite}
 * and declare their `memberUsername` here.
 *
 * Drift: anyone who joined or was invited outside Pulumi shows in `pulumi preview` as an update of
 * this resource, with one line naming who `up` removes.
 *
 * Delete removes nobody: deleting this resource (or the stack) only stops enforcing the list.
 */
export class WorkspaceMembers extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The declared usernames. */
  declare public readonly usernames: pulumi.Output<string[]>;
  /** The workspace's members after the last run (declared and kept; after a refresh: everyone live). */
  declare public readonly members: pulumi.Output<WorkspaceMember[]>;
  /** Who the last run removed (an `invited` or `expired` state means the invite was revoked). */
  declare public readonly removed: pulumi.Output<{ username: string; memberToken: string; state: string }[]>;
  /** Undeclared members who stay, and why. */
  declare public readonly kept: pulumi.Output<KeptMember[]>;
  /** Declared usernames that are not members of the workspace. */
  declare public readonly missing: pulumi.Output<string[]>;

  constructor(name: string, args: WorkspaceMembersArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "WorkspaceMembers",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:WorkspaceMembers "${name}"`,
          [args.workspace],
          ([workspace]) => ({
            key: ["workspace-members", workspace],
            object: `the member list of workspace ${workspace}`,
          }),
        ),
        usernames: args.usernames,
        members: undefined,
        removed: undefined,
        kept: undefined,
        missing: undefined,
      },
      opts,
    );
  }
}
