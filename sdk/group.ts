import * as pulumi from "@pulumi/pulumi";
import { claimed, type Claim } from "./claims";
import { ModeResource } from "./shim";

/** Arguments of a {@link Group}. Changing `workspace` replaces it; a new `name` renames it in place. */
export interface GroupArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /**
   * The group's name, unique among the workspace's active groups regardless of case. Changing it
   * renames the group (`PATCH`), keeping its token, members and grants.
   */
  name: pulumi.Input<string>;
}

/**
 * A user group of a Mode workspace. Create adopts the active group of the same name (compared
 * regardless of case, as Mode does) instead of failing on Mode's duplicate refusal, and says so in
 * `adopted`; a retried create whose first response was lost never yields two groups.
 *
 * Drift: a group deleted outside Pulumi is replaced (created again); a group renamed outside Pulumi
 * is renamed back in place. A preview shows one line naming the group for each.
 *
 * Delete deletes the group (an adopted one too) and reads it back: Mode answers a delete of a group
 * whose name an earlier deleted group had with success yet keeps it, and the delete then fails
 * saying to rename it first. A group the identity provider manages (SCIM, `managed`) is never
 * renamed or deleted: rename it there, and set the `retainOnDelete` resource option to stop managing
 * it without deleting it.
 */
export class Group extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The group's name, as declared. */
  declare public readonly name: pulumi.Output<string>;
  /** The group's token: what the `group` argument of {@link GroupMembership} and {@link GroupMembers} takes. */
  declare public readonly token: pulumi.Output<string>;
  /** `active`. */
  declare public readonly state: pulumi.Output<string>;
  /** `custom` for groups made through the API or the product. */
  declare public readonly groupType: pulumi.Output<string>;
  /** Whether the identity provider manages the group (SCIM): then pulumi-mode never renames or deletes it. */
  declare public readonly managed: pulumi.Output<boolean>;
  /** How many members the group had at the last run (absent when Mode did not say). */
  declare public readonly memberCount: pulumi.Output<number | undefined>;
  /** True when an active group of this name already existed and was adopted, not created. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: GroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "Group",
      name,
      {
        workspace: claimed(
          args.workspace,
          `mode:Group "${name}"`,
          [args.workspace, args.name],
          ([workspace, groupName]) => groupClaim(workspace, groupName),
        ),
        name: args.name,
        token: undefined,
        state: undefined,
        groupType: undefined,
        managed: undefined,
        memberCount: undefined,
        adopted: undefined,
      },
      opts,
    );
    // The token is the resource's id (create and read make them equal). During a preview the engine
    // treats every output of a dynamic resource being updated as unknown, but it knows the id of a
    // resource updated in place: so a rename does not show as a replace of everything that takes
    // `group.token`. A replace makes the id unknown too, as it should.
    (this as unknown as { token: pulumi.Output<string> }).token = this.id;
  }
}

/** The claim on a group, by name (names are unique among active groups regardless of case). */
export function groupClaim(workspace: string, name: string): Claim {
  return {
    key: ["group", workspace, name.trim().toLowerCase()],
    object: `group "${name.trim()}" in ${workspace}`,
  };
}
