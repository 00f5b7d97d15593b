import * as pulumi from "@pulumi/pulumi";
import type { UnmanagedMode } from "../provider/removals";
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
  /**
   * What `up` does with members and invitees the program does not declare (admins, SCIM-managed
   * members and the API user always stay): `remove` (the default) removes them and revokes their
   * invites; `report` never removes anyone, and names them on the preview's line and in
   * the output `unmanaged`. Start with `report` on a live workspace, review, then switch to `remove`
   * (docs/guides/removals.md).
   */
  unmanaged?: pulumi.Input<UnmanagedMode>;
  /**
   * The most members (and pending invites) one `up` may remove: a `pulumi preview` or `up` that
   * would remove more fails before anything is sent, naming how many and who. Unset: no limit; `0`:
   * never remove anyone. Deleting the resource removes nobody, so it is never counted.
   */
  maxRemovals?: pulumi.Input<number>;
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
 * Removals that cannot run away: `unmanaged: "report"` keeps everyone the program does not declare
 * (named on the preview's line, e.g. `workspace acme: 2 members are not in the program — kept,
 * unmanaged is report: carol, dave (pending invite)`, and listed in the output `unmanaged`), and
 * `maxRemovals` makes a preview or `up` that would remove more than that many fail before anything
 * is sent. See docs/guides/removals.md.
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
  /** The `unmanaged` argument as declared: `remove` (also when unset) or `report`. */
  declare public readonly unmanagedMode: pulumi.Output<UnmanagedMode | undefined>;
  /** The most members one `up` may remove (unset: no limit). */
  declare public readonly maxRemovals: pulumi.Output<number | undefined>;
  /**
   * Usernames of the undeclared members and invitees that stay because `unmanaged` is `report`
   * (empty with `remove`), as of the last `up` or refresh. Absent on a resource last written by a
   * version of pulumi-mode without the removal policy, until its next update or refresh.
   */
  declare public readonly unmanaged: pulumi.Output<string[] | undefined>;

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
        unmanaged: args.unmanaged,
        maxRemovals: args.maxRemovals,
        members: undefined,
        removed: undefined,
        kept: undefined,
        missing: undefined,
        unmanagedMode: undefined,
      },
      opts,
    );
  }
}
