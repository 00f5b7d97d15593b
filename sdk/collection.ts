import * as pulumi from "@pulumi/pulumi";
import { claimed, register } from "./claims";
import { ModeResource } from "./shim";

/**
 * Arguments of a {@link Collection}. Changing `workspace` replaces it; name, description and
 * default level change in place.
 */
export interface CollectionArgs {
  /** The workspace's username. */
  workspace: pulumi.Input<string>;
  /**
   * The collection's name. Mode's names are not unique: create adopts the active custom collection
   * of this name when there is one (`adopted`). Changing it renames the collection.
   */
  name: pulumi.Input<string>;
  /** The collection's description. Absent: left as it is (empty on a new collection). */
  description?: pulumi.Input<string>;
  /**
   * What every workspace member may do without a grant: `restricted`, `view` or `edit`. Absent: left
   * as it is (Mode's default for a new collection is `view`). To manage it with the grants, declare
   * it on a {@link CollectionAccess} instead (not both).
   */
  defaultAccess?: pulumi.Input<"restricted" | "view" | "edit">;
}

/**
 * A custom Mode collection (a `space` in Mode's API), by name. Create adopts the active custom
 * collection of that name when there is one (Mode's names are not unique and a create has no other
 * idempotency key; `adopted` says so), and fails when two have that name. Who can open it is
 * {@link CollectionAccess}'s or {@link CollectionPermission}'s business: pass this resource's
 * `token` as their `collection`.
 *
 * Drift: deleted outside Pulumi shows in `pulumi preview` as a replace (up creates it again);
 * renamed, or its declared description or default level changed outside Pulumi, as an update back.
 *
 * Delete deletes the collection (with its reports and permissions, in Mode). Mode answers a
 * collection just deleted with a 403, which counts as gone once the listing agrees. Set the
 * `retainOnDelete` resource option to stop managing a collection without deleting it.
 *
 * A stack may not declare two Collections of one name in a workspace, nor declare `defaultAccess`
 * both here and on a {@link CollectionAccess} of this collection: the preview (or, for a collection
 * not created yet, the `up` that creates it) fails naming them.
 */
export class Collection extends ModeResource {
  /** The workspace's username. */
  declare public readonly workspace: pulumi.Output<string>;
  /** The collection's name, as declared. */
  declare public readonly name: pulumi.Output<string>;
  /** The declared description (undefined: left alone). */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** The declared default level (undefined: left alone). */
  declare public readonly defaultAccess: pulumi.Output<"restricted" | "view" | "edit" | undefined>;
  /**
   * The collection's token: what `collection` arguments take. It is also this resource's `id`: the
   * engine keeps the id known while it previews an in-place update (a rename, a new description or
   * default level), so the grants that take `token` preview exactly instead of as replaced.
   */
  declare public readonly token: pulumi.Output<string>;
  /** Mode's numeric id of the collection, as a string (Pulumi reserves `id`: here it is the token). */
  declare public readonly modeId: pulumi.Output<string>;
  /** `custom`. */
  declare public readonly spaceType: pulumi.Output<string>;
  /** `active`. */
  declare public readonly state: pulumi.Output<string>;
  /** Whether only those holding a permission can open it. */
  declare public readonly restricted: pulumi.Output<boolean>;
  /** True when an active custom collection of this name existed and was adopted. */
  declare public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: CollectionArgs, opts?: pulumi.CustomResourceOptions) {
    const owner = `mode:Collection "${name}"`;
    super(
      "Collection",
      name,
      {
        workspace: args.workspace,
        name: claimed(args.name, owner, [args.workspace, args.name], ([workspace, collectionName]) => ({
          key: ["collection-name", workspace, collectionName.trim()],
          object: `the collection named "${collectionName.trim()}" of ${workspace}`,
        })),
        description: args.description,
        defaultAccess: args.defaultAccess,
        token: undefined,
        modeId: undefined,
        spaceType: undefined,
        state: undefined,
        restricted: undefined,
        adopted: undefined,
      },
      opts,
    );
    // The token is the resource's id (create and read make them equal). During a preview the engine
    // makes every output of a resource updated in place unknown, but not its id: so grants taking
    // `collection.token` stay known through a rename. A replace makes the id unknown too, as it should.
    (this as unknown as { token: pulumi.Output<string> }).token = this.id;
    if (args.defaultAccess !== undefined) this.claimDefaultAccess(owner, args);
  }

  /**
   * Claims the collection's default level once its token is known (it is this resource's own
   * output), so a {@link CollectionAccess} declaring the same collection's `defaultAccess` fails
   * instead of fighting over the level on every run. When the CollectionAccess claimed it first
   * (its `collection` a plain token), the conflict is logged as this resource's error, which fails
   * the run.
   */
  private claimDefaultAccess(owner: string, args: CollectionArgs): void {
    pulumi.all([args.workspace, this.token, args.defaultAccess]).apply(([workspace, token, level]) => {
      if (level === undefined || !token) return;
      try {
        register(owner, {
          key: ["collection", workspace, token, "default-access"],
          object: `the default access level of collection ${token} of ${workspace}`,
        });
      } catch (err) {
        void pulumi.log.error(err instanceof Error ? err.message : String(err), this);
      }
    });
  }
}
