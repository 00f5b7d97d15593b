import * as pulumi from "@pulumi/pulumi";
import type { UnmanagedMode } from "../provider/removals";
import { claimed } from "./claims";
import { ModeResource } from "./shim";

/** One declared grant of a {@link CollectionAccess}: a member by username or a group by token, and its action. */
export interface CollectionGrant {
  /** The member, by username (compared case-insensitively). Give exactly one of `username` and `group`. */
  username?: pulumi.Input<string>;
  /** The group, by its token, e.g. `analysts.token` of a `mode.Group`. Give exactly one of `username` and `group`. */
  group?: pulumi.Input<string>;
  /** What they may do in the collection: `view` or `edit`. */
  action: pulumi.Input<"view" | "edit">;
}

/** A grant as a {@link CollectionAccess} reports it. */
export interface ResolvedGrant {
  /** `Account` (a member) or `UserGroup` (a group). */
  accessorType: "Account" | "UserGroup";
  /** The member's user token or the group's token. */
  accessorToken: string;
  /** The member's username or the group's name (the token when Mode no longer lists them). */
  name: string;
  /** `view` or `edit`. */
  action: string;
}

/**
 * Arguments of a {@link CollectionAccess}. Changing `workspace` or `collection` replaces it; the
 * rest updates in place.
 */
export interface CollectionAccessArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /** The collection's token (a `space` in Mode's API), e.g. a {@link Collection}'s `token`. */
  collection: pulumi.Input<string>;
  /**
   * What every workspace member may do without a grant: `restricted` (only the granted see the
   * collection), `view` or `edit`. Absent: the level is left alone. Delete puts back the level the
   * stack found.
   */
  defaultAccess?: pulumi.Input<"restricted" | "view" | "edit">;
  /**
   * Every permission the collection may hold: `{ username, action }` or `{ group, action }`, each
   * member or group at most once. `[]` revokes every grant.
   */
  grants: pulumi.Input<pulumi.Input<CollectionGrant>[]>;
  /**
   * What `up` does with grants the program does not declare: `remove` (the default) revokes them;
   * `report` never revokes them (missing declared grants are still made), and names them on the
   * preview's line and in the output `unmanaged`. Start with `report` on a live collection, review,
   * then switch to `remove` (docs/guides/removals.md).
   */
  unmanaged?: pulumi.Input<UnmanagedMode>;
  /**
   * The most grants one `up` may revoke: a `pulumi preview` or `up` that would revoke more fails
   * before anything is sent, naming how many and whose. Unset: no limit; `0`: never revoke. Deleting
   * the resource (which revokes its declared grants) is not counted.
   */
  maxRemovals?: pulumi.Input<number>;
}

/**
 * Exactly who can reach one Mode collection, authoritative: after `pulumi up` the collection's
 * permissions are exactly the declared grants (missing ones granted — a grant the member or group
 * already holds is adopted and its action corrected — and every other grant revoked), and its
 * default access level is `defaultAccess` when declared.
 *
 * Drift: grants added, removed or changed, or the declared default level changed, outside Pulumi
 * show in `pulumi preview` as an update of this resource with one line naming every difference by
 * name (people by username, groups by name, the collection by name); `up` sends only the needed
 * writes. Declared usernames that are not members are reported (`missing`), never an error.
 *
 * Removals that cannot run away: `unmanaged: "report"` and `maxRemovals`, as on
 * {@link SpaceMembers} (docs/guides/removals.md).
 *
 * Delete revokes the declared grants (others stay) and puts the default level back to
 * `previousDefaultAccess` — unless the level was changed outside Pulumi since the stack set it, which
 * is left as it is and named on a line.
 *
 * One owner per object: a stack may not also declare a {@link CollectionPermission} on the same
 * collection, a second CollectionAccess for it, or — when `defaultAccess` is declared — a
 * {@link Collection} declaring the same collection's `defaultAccess`: the preview (or the `up` that
 * creates the collection) fails naming them.
 */
export class CollectionAccess extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The collection's token. */
  declare public readonly collection: pulumi.Output<string>;
  /** The declared default level (undefined: left alone). */
  declare public readonly defaultAccess: pulumi.Output<"restricted" | "view" | "edit" | undefined>;
  /** The declared grants. */
  declare public readonly grants: pulumi.Output<
    { username?: string; group?: string; action: "view" | "edit" }[]
  >;
  /** The most grants one `up` may revoke (unset: no limit). */
  declare public readonly maxRemovals: pulumi.Output<number | undefined>;
  /** The declared grants as Mode holds them after the last run (after a refresh: as live). */
  declare public readonly resolvedGrants: pulumi.Output<ResolvedGrant[]>;
  /** Declared usernames that are not members of the workspace (not granted). */
  declare public readonly missing: pulumi.Output<string[]>;
  /** The default level before this resource first set it: what delete puts back (null while `defaultAccess` is absent). */
  declare public readonly previousDefaultAccess: pulumi.Output<"restricted" | "view" | "edit" | null>;
  /** The `unmanaged` argument as declared: `remove` (also when unset) or `report`. */
  declare public readonly unmanagedMode: pulumi.Output<UnmanagedMode | undefined>;
  /** The undeclared grants that stay because `unmanaged` is `report` (empty with `remove`). */
  declare public readonly unmanaged: pulumi.Output<ResolvedGrant[] | undefined>;

  constructor(name: string, args: CollectionAccessArgs, opts?: pulumi.CustomResourceOptions) {
    const owner = `mode:CollectionAccess "${name}"`;
    super(
      "CollectionAccess",
      name,
      {
        workspace: args.workspace,
        collection: claimed(
          args.collection,
          owner,
          [args.workspace, args.collection],
          ([workspace, collection]) => ({
            key: ["collection", workspace, collection, "grants"],
            object: `every grant on collection ${collection} of ${workspace}`,
          }),
        ),
        defaultAccess:
          args.defaultAccess === undefined
            ? undefined
            : claimed(
                args.defaultAccess,
                owner,
                [args.workspace, args.collection],
                ([workspace, collection]) => ({
                  key: ["collection", workspace, collection, "default-access"],
                  object: `the default access level of collection ${collection} of ${workspace}`,
                }),
              ),
        grants: args.grants,
        unmanaged: args.unmanaged,
        maxRemovals: args.maxRemovals,
        resolvedGrants: undefined,
        missing: undefined,
        previousDefaultAccess: undefined,
        unmanagedMode: undefined,
      },
      opts,
    );
  }
}
