/**
 * What CollectionPermission and DataSourcePermission share: one permission on one target (a
 * collection, a data source) for one accessor — a member by `username` or a group by its token in
 * `group`, exactly one of the two — with one `action`. Each resource keeps its own schemas and file
 * order and binds these functions to its target's layer (provider/collections/collection-permissions.ts,
 * data-source-permissions.ts) through a {@link GrantTarget}.
 *
 * - check: exactly one of `username` and `group` (an unknown value counts as given).
 * - create: adopts an existing grant to the same accessor and sets the declared action.
 * - drift: the grant removed outside Pulumi is a replace (up grants it again); its action changed
 *   outside Pulumi is an in-place update back to the declared action. Lines name the target and the
 *   person or group by name.
 * - read (refresh): the grant read now (`GET`; for data sources a 5xx falls back to the list).
 * - update: a changed action is one `PATCH` (a grant gone by then is granted again).
 * - delete: revokes the grant; already gone is success.
 */
import type { Permission } from "./client";
import type { Adoption } from "./collections/listing";
import { accessorOf } from "./collections/permissions";
import { accessorName, describeAccessor, resolveAccessor, type Accessor } from "./collections/accessors";
import type { PropertyBag } from "./inputs";
import type { CheckRefusal, Created, Drift } from "./resource";
import { ACCESSOR_TYPES, RULES, stringSchema } from "./rules";

// ---- schemas ---------------------------------------------------------------------------------------

/** The accessor inputs, as JSON Schema fragments to spread into a grant resource's `inputProperties`. */
export const accessorInputProperties = {
  username: {
    ...stringSchema(RULES.accountName),
    description:
      "The member to grant to, by username (compared case-insensitively). Give exactly one of `username` and `group`.",
  },
  group: {
    ...stringSchema(RULES.token),
    description:
      "The group to grant to, by its token, e.g. `analysts.token` of a `mode.Group`. Give exactly one of `username` and `group`.",
  },
} as const;

/** The outputs a grant resource adds to its inputs, as JSON Schema fragments for its state schema. */
export const grantStateProperties = {
  permissionToken: { type: "string", minLength: 1, description: "The permission's own token." },
  accessorType: {
    type: "string",
    enum: ACCESSOR_TYPES,
    description: "`Account` (a member, granted by `username`) or `UserGroup` (a group).",
  },
  accessorToken: { type: "string", description: "The member's user token or the group's token." },
  adopted: {
    type: "boolean",
    description:
      "True when the accessor already held a permission there (made outside Pulumi) and this resource adopted it.",
  },
} as const;

/** What every grant resource's inputs hold. */
export interface GrantInputs<A extends string> {
  readonly workspace: string;
  readonly username?: string;
  readonly group?: string;
  readonly action: A;
}

/** What every grant resource's state holds besides its target. */
export interface GrantOutputs<A extends string> extends GrantInputs<A> {
  readonly permissionToken: string;
  readonly accessorType: Accessor["type"];
  readonly accessorToken: string;
  readonly adopted?: boolean;
}

/** One target's permissions, as a grant resource reaches them (bound to its layer). */
export interface GrantTarget<A extends string> {
  /** What the target is, in words: `collection`, `data source`. */
  readonly noun: string;
  /** The target as lines name it: `collection "Finance" of acme` (from this run's listing). */
  describe(): Promise<string>;
  /** Whether the target exists (from this run's listing, or read when the listing lacks it). */
  exists(): Promise<boolean>;
  /** The grant `token` from this run's listing of the target's permissions. */
  find(token: string): Promise<Permission | undefined>;
  /** The grant `token` read now (`GET`, with the target's fallback); undefined when gone. */
  read(token: string): Promise<Permission | undefined>;
  /** Grants `action` to `accessor`, adopting a grant the accessor already holds. */
  grant(accessor: Accessor, action: A): Promise<Adoption<Permission>>;
  /** `PATCH`es the action; throws ApiError not_found when the grant is gone. */
  setAction(token: string, action: A): Promise<Permission>;
  /** Revokes the grant; gone is success. */
  revoke(token: string): Promise<void>;
}

// ---- check -----------------------------------------------------------------------------------------

/** Exactly one of `username` and `group` (an unknown placeholder counts as given). */
export function validateAccessor<I>(inputs: PropertyBag): CheckRefusal<I> | undefined {
  const given = (key: string): boolean =>
    inputs[key] !== undefined && inputs[key] !== null && inputs[key] !== "";
  if (given("username") && given("group")) {
    return {
      property: "group" as keyof I & string,
      reason:
        "give either username (a member) or group (a group's token), not both: one permission has one accessor",
    };
  }
  if (!given("username") && !given("group")) {
    return {
      property: "username" as keyof I & string,
      reason: "give the member's username or the group's token in group: a permission needs an accessor",
    };
  }
  return undefined;
}

// ---- diff ------------------------------------------------------------------------------------------

/**
 * Drift of one grant, from this run's listing of the target's permissions: gone is a replace (on
 * `permissionToken`); an action changed outside Pulumi (and not already what the program now says)
 * is an in-place update back.
 */
export async function grantDrift<A extends string, O extends GrantOutputs<A>>(
  target: GrantTarget<A>,
  olds: O,
  news: GrantInputs<A>,
): Promise<Drift<O> | undefined> {
  const live = await target.find(olds.permissionToken);
  if (!live) {
    const where = await target.describe();
    const who = await accessorWords(olds);
    if (!(await target.exists())) {
      return {
        property: "permissionToken",
        reason: `${where}: the ${target.noun} no longer exists (deleted outside Pulumi), and the ${olds.action} grant to ${who} with it — up fails until this resource names an existing ${target.noun} or is removed`,
      };
    }
    const accessor = { type: olds.accessorType, token: olds.accessorToken };
    if ((await accessorName(olds.workspace, accessor)) === undefined) {
      const gone =
        olds.accessorType === "Account"
          ? `${who} is no longer a member of ${olds.workspace}`
          : `the group no longer exists in ${olds.workspace}`;
      return {
        property: "permissionToken",
        reason: `${where}: the ${olds.action} grant to ${who} was removed outside Pulumi (${gone}) — up fails until the ${olds.accessorType === "Account" ? "member" : "group"} is back or this resource is removed`,
      };
    }
    return {
      property: "permissionToken",
      reason: `${where}: the ${olds.action} grant to ${who} was removed outside Pulumi — up grants it again`,
    };
  }
  if (live.action === olds.action || live.action === news.action) return undefined;
  return {
    property: "action",
    inPlace: true,
    reason:
      `${await target.describe()}: the grant to ${await accessorWords(olds)} was changed from ${olds.action} ` +
      `to ${live.action} outside Pulumi — up sets it to ${news.action}`,
  };
}

// ---- create ----------------------------------------------------------------------------------------

/**
 * Grants the declared action to the declared accessor, adopting a grant it already holds. Fails
 * before any write, saying what to do, when the target or the accessor does not exist.
 */
export async function createGrant<A extends string>(
  target: GrantTarget<A>,
  args: GrantInputs<A>,
): Promise<{ permission: Permission; adopted: boolean }> {
  if (!(await target.exists())) {
    const where = await target.describe();
    throw new Error(
      `Cannot grant ${args.action} on ${where}: Mode has no such ${target.noun} ` +
        "(deleted, or a wrong token). Pass the token of an existing one (the read functions list them).",
    );
  }
  const accessor = await resolveAccessor(args.workspace, args);
  if (!accessor) throw new Error(missingAccessor(args, await target.describe()));
  const { object, adopted } = await target.grant(accessor, args.action);
  return { permission: object, adopted };
}

// ---- read ------------------------------------------------------------------------------------------

/** The grant read now; undefined when it is gone. */
export async function readGrant<A extends string, O extends GrantOutputs<A>>(
  target: GrantTarget<A>,
  id: string,
  olds: O,
): Promise<Created<O> | undefined> {
  const live = await target.read(olds.permissionToken);
  if (!live) return undefined;
  // The state takes the live action: a preview then shows the update back to the declared one.
  const outs: O = { ...olds, ...grantOutputs(live), action: live.action as A };
  return { id, outs };
}

// ---- update ----------------------------------------------------------------------------------------

/**
 * Sets the declared action on the grant (one `PATCH`, none when it already holds); a grant gone
 * since the diff is granted again.
 */
export async function updateGrant<A extends string, O extends GrantOutputs<A>>(
  target: GrantTarget<A>,
  olds: O,
  news: GrantInputs<A>,
): Promise<{ permission: Permission; adopted: boolean }> {
  const live = await target.find(olds.permissionToken);
  if (!live) return createGrant(target, news);
  if (live.action === news.action) return { permission: live, adopted: olds.adopted ?? false };
  return { permission: await target.setAction(live.token, news.action), adopted: olds.adopted ?? false };
}

// ---- helpers ---------------------------------------------------------------------------------------

/** The outputs a grant adds to the inputs, from the live permission. */
export function grantOutputs(
  permission: Permission,
): Pick<GrantOutputs<string>, "permissionToken" | "accessorType" | "accessorToken"> {
  const accessor = accessorOf(permission);
  return { permissionToken: permission.token, accessorType: accessor.type, accessorToken: accessor.token };
}

/** The accessor as lines name it: the declared username, or the group by name (`group "Analysts"`). */
async function accessorWords(olds: GrantOutputs<string>): Promise<string> {
  if (olds.username !== undefined) return olds.username;
  return describeAccessor(olds.workspace, { type: olds.accessorType, token: olds.accessorToken });
}

/** The error of a create whose accessor does not exist, saying what to do. */
function missingAccessor(args: GrantInputs<string>, where: string): string {
  if (args.username !== undefined) {
    return (
      `Cannot grant ${args.action} on ${where} to ${args.username}: ${args.username} is not a member of ` +
      `workspace ${args.workspace}. Invite them first (mode.WorkspaceInvite), or remove this resource.`
    );
  }
  return (
    `Cannot grant ${args.action} on ${where} to group ${args.group ?? ""}: it is not an active group of ` +
    `workspace ${args.workspace}. Pass the token of an existing group (e.g. a mode.Group's token, or getGroups).`
  );
}
