/**
 * The rules both kinds of permission share (a collection's, `/{workspace}/spaces/{space}/permissions`,
 * and a data source's, `/{workspace}/data_sources/{data_source}/permissions`): one grant per accessor
 * and target, so a grant that Mode refuses as a second one (400) adopts the existing grant and then
 * sets the declared action; a change of action is a `PATCH`; a revoke of a grant already gone (or of
 * a target gone) is success. collection-permissions.ts and data-source-permissions.ts bind these to
 * their endpoints. Object ids within a collection of grants are permission tokens.
 */
import { ApiError, isNotFound, type Permission, type PermissionInput } from "../client";
import { providerContext } from "../context";
import type { ModeApi } from "../apis";
import { sameAccessor, type Accessor } from "./accessors";
import { createOrAdopt, deleteIfPresent, type Adoption, type Listing } from "./listing";

/** The endpoints of one kind of permission, as calls on the Mode API. */
export interface PermissionEndpoints<A extends string> {
  /** The listing key's collection name, e.g. `collection-permissions`. */
  readonly collection: string;
  /** When a GET of one permission fails upstream (5xx) while the list works, read the list instead. */
  readonly listOn5xx: boolean;
  list(api: ModeApi, workspace: string, target: string): AsyncIterable<Permission>;
  get(api: ModeApi, workspace: string, target: string, token: string): Promise<Permission>;
  create(api: ModeApi, workspace: string, target: string, input: PermissionInput<A>): Promise<Permission>;
  update(api: ModeApi, workspace: string, target: string, token: string, action: A): Promise<Permission>;
  remove(api: ModeApi, workspace: string, target: string, token: string): Promise<unknown>;
}

/** The accessor a permission names. */
export function accessorOf(permission: Permission): Accessor {
  return { type: permission.accessor_type as Accessor["type"], token: permission.accessor_token };
}

/** The operations on one kind of permission (see the file's comment); `target` is the collection's or data source's token. */
export class Permissions<A extends string> {
  constructor(private readonly endpoints: PermissionEndpoints<A>) {}

  /** This run's listing of the target's permissions (empty when the target is gone). */
  listing(workspace: string, target: string): Listing<Permission> {
    const context = providerContext();
    return context.listing(`${this.endpoints.collection}/${workspace}/${target}`, () =>
      this.endpoints.list(context.modeApi(), workspace, target),
    );
  }

  /** The grant to `accessor`, from this run's listing; undefined when there is none. */
  findByAccessor(workspace: string, target: string, accessor: Accessor): Promise<Permission | undefined> {
    return this.listing(workspace, target).find((p) => sameAccessor(accessorOf(p), accessor));
  }

  /** The permission `token`, from this run's listing; undefined when gone. */
  findByToken(workspace: string, target: string, token: string): Promise<Permission | undefined> {
    return this.listing(workspace, target).find((p) => p.token === token);
  }

  /**
   * The permission `token` read now (`GET`); undefined when gone (404). Where a GET can fail upstream
   * while the list works (data sources), a 5xx answer is replaced by a fresh listing's copy.
   */
  async read(workspace: string, target: string, token: string): Promise<Permission | undefined> {
    try {
      return await this.endpoints.get(providerContext().modeApi(), workspace, target, token);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      if (!this.endpoints.listOn5xx || !isServerError(err)) throw err;
      const listing = this.listing(workspace, target);
      listing.invalidate();
      return listing.find((p) => p.token === token);
    }
  }

  /**
   * Grants `action` to `accessor`. Mode allows one grant per accessor and refuses a second with a
   * 400: the existing grant (made outside Pulumi, or by an attempt whose response was lost) is adopted
   * and its action set to `action` when it differs. Records the grant as placed by this run.
   */
  async grant(
    workspace: string,
    target: string,
    accessor: Accessor,
    action: A,
  ): Promise<Adoption<Permission>> {
    const listing = this.listing(workspace, target);
    const input: PermissionInput<A> = { action, accessorType: accessor.type, accessorToken: accessor.token };
    const result = await createOrAdopt(
      listing,
      (p) => p.token,
      () => this.endpoints.create(providerContext().modeApi(), workspace, target, input),
      () => listing.find((p) => sameAccessor(accessorOf(p), accessor)),
      { adoptListedFirst: true },
    );
    if (result.object.action === action) return result;
    return {
      object: await this.setAction(workspace, target, result.object.token, action),
      adopted: result.adopted,
    };
  }

  /** Records that the permission `token` belongs to a resource created in this run. */
  markPlaced(workspace: string, target: string, token: string): void {
    this.listing(workspace, target).markPlaced(token);
  }

  /** Changes the action of the permission `token` (`PATCH`). Throws ApiError not_found when it is gone. */
  setAction(workspace: string, target: string, token: string, action: A): Promise<Permission> {
    return this.listing(workspace, target).write(() =>
      this.endpoints.update(providerContext().modeApi(), workspace, target, token, action),
    );
  }

  /**
   * Revokes the permission `token`; gone (or the target gone), or placed by a create of this run, is
   * success. A permission absent from a listing this run already made is gone (tokens never come
   * back, and every grant this run made is placed): nothing is sent, so the delete half of a
   * replacement whose grant was removed outside Pulumi sends no `DELETE` that can only answer 404.
   */
  async revoke(workspace: string, target: string, token: string): Promise<void> {
    const listing = this.listing(workspace, target);
    const seen = listing.snapshot();
    if (seen && !listing.wasPlaced(token) && !seen.some((p) => p.token === token)) return;
    await deleteIfPresent(listing, token, () =>
      this.endpoints.remove(providerContext().modeApi(), workspace, target, token),
    );
  }
}

function isServerError(err: unknown): boolean {
  return err instanceof ApiError && err.kind === "server";
}
