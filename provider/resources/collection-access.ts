/**
 * CollectionAccess: exactly who can reach one Mode collection, authoritative. After `up` the
 * collection's permissions (`/{workspace}/spaces/{space}/permissions`) are exactly the declared
 * grants — members by username, groups by token, each with its action: missing ones are granted (a
 * grant the accessor already holds is adopted and its action corrected), undeclared ones revoked —
 * and, when `defaultAccess` is declared, the collection's default access level is set. Drift (grants
 * or the declared level changed outside Pulumi) is an in-place update found from one listing of the
 * collection's permissions, named on one line.
 *
 * The default level: `defaultAccess` absent leaves it alone. The level the collection had when the
 * resource first set it is kept in `previousDefaultAccess`; delete (and dropping `defaultAccess`
 * from the program) puts it back — only while the level is still the one the stack set: a level
 * changed outside Pulumi since is someone's newer decision, left as it is and named on a line.
 *
 * The removal policy (provider/removals.ts): with `unmanaged: "report"` undeclared grants are listed
 * (the output `unmanaged`, and the line) and never revoked, while missing declared ones are still
 * granted; `maxRemovals` caps the revokes of one run, checked in diff and again before the first
 * write. Deleting the resource revokes only its declared grants and is not counted.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { Permission, Space } from "../client";
import { batchError, writeAll } from "../batch";
import {
  accessorName,
  describeAccessor,
  groupNamesByToken,
  memberTokensByUsername,
  type Accessor,
} from "../collections/accessors";
import {
  collectionPermissions,
  grantCollectionPermission,
  markCollectionPermissionPlaced,
  revokeCollectionPermission,
  setCollectionPermissionAction,
  type CollectionRef,
} from "../collections/collection-permissions";
import {
  defaultAccessOf,
  describeCollection,
  lookupCollection,
  markDefaultAccessPlaced,
  updateCollection,
  wasDefaultAccessPlaced,
} from "../collections/collections";
import { accessorOf } from "../collections/permissions";
import { providerContext } from "../context";
import { accessorInputProperties } from "../grants";
import { ObjectSchema, isUnknown, type PropertyBag } from "../inputs";
import {
  checkRemovalLimit,
  counted,
  describeUnmanaged,
  listNames,
  policyOf,
  REMOVAL_STORED_AS,
  removalInputProperties,
  removalRefusal,
  removalStateProperties,
  splitRemovals,
  storedPolicy,
  unmanagedChanged,
  type Noun,
  type RemovalPolicy,
  type RemovalSubject,
} from "../removals";
import { implement, type CheckRefusal, type Created, type Drift } from "../resource";
import {
  ACCESSOR_TYPES,
  COLLECTION_ACTIONS,
  DEFAULT_ACCESS_LEVELS,
  RULES,
  stringSchema,
  type CollectionAction,
  type DefaultAccessLevel,
} from "../rules";

// ---- types ---------------------------------------------------------------------------------------

/** The most grants one collection may declare (a bound for check, far above real collections). */
const MAX_GRANTS = 10_000;

/** One declared grant: a member by username or a group by token, and what they may do. */
const grantSchema = {
  type: "object",
  required: ["action"],
  properties: {
    ...accessorInputProperties,
    action: {
      type: "string",
      enum: COLLECTION_ACTIONS,
      description: "What the member or group may do in the collection: `view` or `edit`.",
    },
  },
  additionalProperties: false,
} as const;

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  collection: {
    ...stringSchema(RULES.token),
    description: "The collection's token (a `space` in Mode's API), e.g. a `mode.Collection`'s `token`.",
  },
  defaultAccess: {
    type: "string",
    enum: DEFAULT_ACCESS_LEVELS,
    description:
      "What every workspace member may do without a grant: `restricted` (only the granted see it), " +
      "`view` or `edit`. Absent: the level is left alone. Delete puts back the level the stack found.",
  },
  grants: {
    type: "array",
    items: grantSchema,
    maxItems: MAX_GRANTS,
    description:
      "Every permission the collection may hold: `{ username, action }` for a member or " +
      "`{ group, action }` for a group (its token, e.g. `analysts.token`); each member or group at " +
      "most once. `up` grants the missing, corrects actions and revokes the rest.",
  },
  ...removalInputProperties,
} as const;

/** The inputs of a CollectionAccess, declared once. */
export const collectionAccessInputSchema = {
  type: "object",
  required: ["workspace", "collection", "grants"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** CollectionAccess inputs. */
export type CollectionAccessInputs = FromSchema<typeof collectionAccessInputSchema>;

/** A grant as the outputs list it: who (type, token, name) and the action. */
const resolvedSchema = {
  type: "object",
  required: ["accessorType", "accessorToken", "name", "action"],
  properties: {
    accessorType: {
      type: "string",
      enum: ACCESSOR_TYPES,
      description: "`Account` (a member) or `UserGroup` (a group).",
    },
    accessorToken: { type: "string", description: "The member's user token or the group's token." },
    name: {
      type: "string",
      description: "The member's username or the group's name (the token when Mode no longer lists them).",
    },
    action: { type: "string", description: "What they may do: `view` or `edit`." },
  },
  additionalProperties: false,
} as const;

/** The state of a CollectionAccess: the inputs plus the grants as resolved and what is reported. */
export const collectionAccessStateSchema = {
  type: "object",
  required: ["workspace", "collection", "grants", "resolvedGrants", "missing"],
  properties: {
    ...inputProperties,
    resolvedGrants: {
      type: "array",
      items: resolvedSchema,
      description:
        "The declared grants as Mode holds them after the last run (after a refresh: as live, a declared grant that is gone is absent).",
    },
    missing: {
      type: "array",
      items: { type: "string" },
      description:
        "Declared usernames that are not members of the workspace, so not granted (invite them with mode.WorkspaceInvite).",
    },
    previousDefaultAccess: {
      type: ["string", "null"],
      enum: [...DEFAULT_ACCESS_LEVELS, null],
      description:
        "The collection's default level before this resource first set it: what delete puts back. Null while `defaultAccess` is not declared.",
    },
    ...removalStateProperties(resolvedSchema),
  },
  additionalProperties: false,
} as const;

/** CollectionAccess outputs. */
export type CollectionAccessOutputs = FromSchema<typeof collectionAccessStateSchema>;

/** A grant as the outputs list it. */
export type ResolvedGrant = FromSchema<typeof resolvedSchema>;

/** A declared grant. */
type DeclaredGrant = FromSchema<typeof grantSchema>;

const inputs = new ObjectSchema<CollectionAccessInputs>(
  collectionAccessInputSchema,
  "inputs of mode:CollectionAccess",
  { trimmed: ["workspace", "collection"] },
);
const state = new ObjectSchema<CollectionAccessOutputs>(
  collectionAccessStateSchema,
  "stored outputs of mode:CollectionAccess",
);

/** How lines and the maxRemovals error count grants. */
const GRANTS: Noun = { one: "grant", many: "grants" };

/** Who is who in the workspace, from this run's listings: what resolving declared grants needs. */
export interface Directory {
  /** User tokens by lower-cased username. */
  readonly members: ReadonlyMap<string, string>;
  /** Active groups' names by token. */
  readonly groups: ReadonlyMap<string, string>;
}

/** A change of the collection's default level that `up` makes. */
export interface LevelChange {
  /** The level now. */
  readonly from: string;
  /** The level `up` sets. */
  readonly to: DefaultAccessLevel;
  /** True when `defaultAccess` was dropped from the program: the level the stack found goes back. */
  readonly handBack: boolean;
}

/** What `up` must do to a collection so its permissions are exactly the declared grants. */
export interface AccessPlan {
  /** Declared grants the collection lacks. */
  readonly grant: { readonly accessor: Accessor; readonly action: CollectionAction }[];
  /** Declared grants held with another action. */
  readonly change: { readonly permission: Permission; readonly action: CollectionAction }[];
  /** Declared grants held as declared (adopted when the stack did not make them). */
  readonly keep: Permission[];
  /** Undeclared grants that are revoked (none with `report`). */
  readonly remove: Permission[];
  /** Undeclared grants that stay because `unmanaged` is `report`. */
  readonly unmanaged: Permission[];
  /** Declared usernames that are not members of the workspace. */
  readonly missing: string[];
  /** Declared group tokens that are not active groups of the workspace. */
  readonly unknownGroups: string[];
  /** The default level to set, when it changes. */
  readonly level?: LevelChange;
}

// ---- check ---------------------------------------------------------------------------------------

/** Each grant names exactly one of `username` and `group`; each member or group at most once. */
function validate(bag: PropertyBag): CheckRefusal<CollectionAccessInputs> | undefined {
  const grants = bag.grants;
  if (!Array.isArray(grants)) return undefined;
  const seen = new Map<string, number>();
  for (const [index, item] of grants.entries()) {
    if (typeof item !== "object" || item === null) continue;
    const { username, group } = item as { username?: unknown; group?: unknown };
    const given = (v: unknown): boolean => v !== undefined && v !== null && v !== "";
    const at = `grants[${String(index)}]`;
    if (given(username) && given(group)) {
      return {
        property: "grants",
        reason: `${at} gives both username and group: give one (a member, or a group's token) per grant`,
      };
    }
    if (!given(username) && !given(group)) {
      return {
        property: "grants",
        reason: `${at} gives neither username nor group: say who the grant is for`,
      };
    }
    const value = given(username) ? username : group;
    if (typeof value !== "string" || isUnknown(value)) continue;
    const key = given(username) ? `user/${value.trim().toLowerCase()}` : `group/${value.trim()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const who = given(username) ? value : `group ${value}`;
      return {
        property: "grants",
        reason: `grants[${String(first)}] and ${at} both grant to ${who}: a member or group holds one permission per collection, declare it once`,
      };
    }
    seen.set(key, index);
  }
  return undefined;
}

/**
 * Before a new CollectionAccess is created (a preview shows it as a bare `+ create`): one line
 * saying what `up` grants, changes and revokes and which level it sets; more revokes than
 * `maxRemovals`, or a collection that does not exist, refuse it.
 */
async function inspectCreate(
  args: CollectionAccessInputs,
): Promise<CheckRefusal<CollectionAccessInputs> | undefined> {
  const space = await lookupCollection(args.workspace, args.collection);
  if (!space) return { property: "collection", reason: collectionGone(args) };
  const plan = await planFor(undefined, args, space);
  const removals = await removalNames(args.workspace, plan);
  const where = await subject(args);
  const refusal = removalRefusal(() => checkRemovalLimit(args, removals, where));
  if (refusal) return refusal;
  await report(args, plan);
  return undefined;
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's one listing of the collection's permissions (and of the workspace's
 * members and groups, for names): grants added, removed or changed, or the declared level changed,
 * outside Pulumi or by a change of the program — an in-place update naming every difference on one
 * line. More revokes than `maxRemovals` fail the preview. With `unmanaged: "report"`, a changed set
 * of undeclared grants (or of declared usernames that are not members) is an update that writes
 * nothing and refreshes the outputs.
 */
async function drift(
  olds: CollectionAccessOutputs,
  news: CollectionAccessInputs,
): Promise<Drift<CollectionAccessOutputs> | undefined> {
  const space = await lookupCollection(news.workspace, news.collection);
  if (!space) {
    return {
      property: "resolvedGrants",
      inPlace: true,
      reason: `${await describeCollection(news.workspace, news.collection)}: ${collectionGoneWords(news)}`,
    };
  }
  const plan = await planFor(olds, news, space);
  checkRemovalLimit(news, await removalNames(news.workspace, plan), await subject(news));
  const writes = plan.grant.length + plan.change.length + plan.remove.length;
  if (writes > 0 || plan.level || plan.unknownGroups.length > 0) {
    return { property: "resolvedGrants", inPlace: true, reason: await describePlan(news, plan) };
  }
  const unmanaged = await resolvedOf(news.workspace, plan.unmanaged);
  if (unmanagedChanged(olds.unmanaged, unmanaged, grantKey)) {
    return { property: "unmanaged", inPlace: true, reason: await describePlan(news, plan) };
  }
  if (unmanagedChanged(olds.missing, plan.missing, (name) => name.toLowerCase())) {
    return { property: "missing", inPlace: true, reason: await describePlan(news, plan) };
  }
  await report(news, plan);
  return undefined;
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: CollectionAccessInputs): Promise<Created<CollectionAccessOutputs>> {
  const space = await liveCollection(args);
  const plan = await planFor(undefined, args, space);
  // No diff ran before a create: the line check showed (or, when the inputs were unknown then, now).
  // Said before the writes, while this run's listings still name everything in it.
  await report(args, plan);
  const outs = await enforce(args, plan, previousOf(undefined, args, space));
  if (args.defaultAccess !== undefined) markDefaultAccessPlaced(args.workspace, args.collection);
  return { id: `${args.workspace}/${args.collection}`, outs };
}

// ---- read ----------------------------------------------------------------------------------------

/**
 * The declared grants as live (a declared grant that is gone is absent), who of the undeclared is
 * unmanaged now, and which declared usernames are not members; the declared inputs stay as they
 * were. Gone when the collection is gone.
 */
async function read(
  id: string,
  olds: CollectionAccessOutputs,
): Promise<Created<CollectionAccessOutputs> | undefined> {
  const space = await lookupCollection(olds.workspace, olds.collection);
  if (!space) return undefined;
  const declared = { grants: olds.grants, ...policyOf(olds) };
  const live = await collectionPermissions(olds).all();
  const plan = planAccess(declared, live, await directoryFor(olds.workspace, olds.grants));
  const held = [...plan.keep, ...plan.change.map((c) => c.permission)];
  return {
    id,
    outs: {
      ...olds,
      resolvedGrants: await resolvedOf(olds.workspace, held),
      unmanaged: await resolvedOf(olds.workspace, plan.unmanaged),
      missing: plan.missing,
    },
  };
}

// ---- update --------------------------------------------------------------------------------------

/** Brings the collection to the new declaration, from the listings `diff` already made in this run. */
async function update(
  _id: string,
  olds: CollectionAccessOutputs,
  news: CollectionAccessInputs,
): Promise<CollectionAccessOutputs> {
  const space = await liveCollection(news);
  const plan = await planFor(olds, news, space);
  return enforce(news, plan, previousOf(olds, news, space));
}

// ---- delete --------------------------------------------------------------------------------------

/**
 * Revokes the declared grants (others stay) and puts the default level back to
 * `previousDefaultAccess` while the level is still the one the stack set; gone counts as done.
 */
async function del(_id: string, olds: CollectionAccessOutputs): Promise<void> {
  const space = await lookupCollection(olds.workspace, olds.collection);
  if (!space) return; // the collection is gone, and its permissions with it
  const directory = await directoryFor(olds.workspace, olds.grants);
  const declared = planAccess({ grants: olds.grants }, await collectionPermissions(olds).all(), directory);
  const held = [...declared.keep, ...declared.change.map((c) => c.permission)];
  const failures = await writeAll(held, (p) => revokeCollectionPermission(olds, p.token));
  const where = await describeCollection(olds.workspace, olds.collection);
  if (failures.length > 0) {
    const names = new Map(
      await Promise.all(
        held.map(async (p) => [p.token, await describeAccessor(olds.workspace, accessorOf(p))] as const),
      ),
    );
    throw batchError(
      `Revoking the declared grants of ${where}`,
      held.length,
      failures,
      (p) => names.get(p.token) ?? p.token,
    );
  }
  await handBackLevel(olds, space, where);
}

// ---- helpers -------------------------------------------------------------------------------------

/**
 * The plan that turns the `live` permissions into exactly the declared grants, under the removal
 * policy (default: revoke the undeclared; `report` keeps them as unmanaged and still grants the
 * missing), with the declared accessors resolved through `directory`.
 */
export function planAccess(
  args: { grants: readonly DeclaredGrant[] } & RemovalPolicy,
  live: readonly Permission[],
  directory: Directory,
  level?: LevelChange,
): AccessPlan {
  const wanted = new Map<string, { accessor: Accessor; action: CollectionAction }>();
  const missing: string[] = [];
  const unknownGroups: string[] = [];
  for (const g of args.grants) {
    let accessor: Accessor | undefined;
    if (g.username !== undefined) {
      const token = directory.members.get(g.username.toLowerCase());
      if (token === undefined) {
        if (!missing.some((m) => m.toLowerCase() === g.username?.toLowerCase())) missing.push(g.username);
        continue;
      }
      accessor = { type: "Account", token };
    } else if (g.group !== undefined) {
      if (!directory.groups.has(g.group)) {
        if (!unknownGroups.includes(g.group)) unknownGroups.push(g.group);
        continue;
      }
      accessor = { type: "UserGroup", token: g.group };
    }
    if (accessor && !wanted.has(keyOf(accessor))) wanted.set(keyOf(accessor), { accessor, action: g.action });
  }
  const present = new Set<string>();
  const keep: Permission[] = [];
  const change: AccessPlan["change"] = [];
  const undeclared: Permission[] = [];
  for (const p of live) {
    const key = keyOf(accessorOf(p));
    const want = wanted.get(key);
    if (!want || present.has(key)) {
      undeclared.push(p);
      continue;
    }
    present.add(key);
    if (p.action === want.action) keep.push(p);
    else change.push({ permission: p, action: want.action });
  }
  const { remove, unmanaged } = splitRemovals(args, undeclared);
  const grant = [...wanted.entries()].filter(([key]) => !present.has(key)).map(([, w]) => w);
  return { grant, change, keep, remove, unmanaged, missing, unknownGroups, ...(level ? { level } : {}) };
}

/** The plan for `news` on the live collection, from this run's listings. */
async function planFor(
  olds: CollectionAccessOutputs | undefined,
  news: CollectionAccessInputs,
  space: Space,
): Promise<AccessPlan> {
  const live = await collectionPermissions(news).all();
  const directory = await directoryFor(news.workspace, news.grants);
  return planAccess(news, live, directory, levelChange(olds, news, space));
}

/** The listings resolving `grants` needs (members only when a username is declared, groups only for a group). */
async function directoryFor(workspace: string, grants: readonly DeclaredGrant[]): Promise<Directory> {
  const none: ReadonlyMap<string, string> = new Map();
  const [members, groups] = await Promise.all([
    grants.some((g) => g.username !== undefined) ? memberTokensByUsername(workspace) : none,
    grants.some((g) => g.group !== undefined) ? groupNamesByToken(workspace) : none,
  ]);
  return { members, groups };
}

/**
 * The default level `up` sets: the declared one when it differs from the live one; when the program
 * dropped `defaultAccess`, the level the stack found (while the live level is still the stack's).
 */
export function levelChange(
  olds: Pick<CollectionAccessOutputs, "defaultAccess" | "previousDefaultAccess"> | undefined,
  news: Pick<CollectionAccessInputs, "defaultAccess">,
  space: Space,
): LevelChange | undefined {
  const now = defaultAccessOf(space);
  if (news.defaultAccess !== undefined) {
    return now === news.defaultAccess ? undefined : { from: now, to: news.defaultAccess, handBack: false };
  }
  const previous = olds?.previousDefaultAccess;
  if (olds?.defaultAccess === undefined || previous == null) return undefined;
  if (now !== olds.defaultAccess || now === previous) return undefined;
  return { from: now, to: previous, handBack: true };
}

/**
 * What `previousDefaultAccess` holds after a run: null while `defaultAccess` is not declared;
 * otherwise the level found when the resource first set it (kept from the state), or the live level
 * now, before this run sets it.
 */
function previousOf(
  olds: CollectionAccessOutputs | undefined,
  news: CollectionAccessInputs,
  space: Space,
): DefaultAccessLevel | null {
  if (news.defaultAccess === undefined) return null;
  if (olds?.defaultAccess !== undefined && olds.previousDefaultAccess != null)
    return olds.previousDefaultAccess;
  const now = defaultAccessOf(space);
  return (DEFAULT_ACCESS_LEVELS as readonly string[]).includes(now) ? (now as DefaultAccessLevel) : null;
}

/**
 * Carries out `plan` (grants, action changes and revokes with bounded concurrency, then the level)
 * and returns every output. More revokes than `maxRemovals`, or a declared group that does not
 * exist, fail before anything is sent. When some writes fail, throws after all ran: the next `up`
 * finds what is left.
 */
async function enforce(
  args: CollectionAccessInputs,
  plan: AccessPlan,
  previousDefaultAccess: DefaultAccessLevel | null,
): Promise<CollectionAccessOutputs> {
  checkRemovalLimit(args, await removalNames(args.workspace, plan), await subject(args));
  const where = await describeCollection(args.workspace, args.collection);
  if (plan.unknownGroups.length > 0) {
    throw new Error(
      `${where}: grants names ${listNames(plan.unknownGroups.map((g) => `group ${g}`))}, not an active group of ` +
        `${args.workspace}. Nothing was changed. Pass the token of an existing group (a mode.Group's token, or getGroups).`,
    );
  }
  // The grants already there belong to this resource now, like the ones it makes: the delete half of
  // a replacement (or of a renamed resource) later in this run must leave them alone.
  for (const p of [...plan.keep, ...plan.change.map((c) => c.permission)]) {
    markCollectionPermissionPlaced(args, p.token);
  }
  const held: Permission[] = [...plan.keep];
  type Write =
    | { grant: AccessPlan["grant"][number] }
    | { change: AccessPlan["change"][number] }
    | { remove: Permission };
  const writes: Write[] = [
    ...plan.grant.map((grant) => ({ grant })),
    ...plan.change.map((change) => ({ change })),
    ...plan.remove.map((remove) => ({ remove })),
  ];
  const failures = await writeAll(writes, async (write) => {
    if ("grant" in write) {
      held.push((await grantCollectionPermission(args, write.grant.accessor, write.grant.action)).object);
    } else if ("change" in write) {
      held.push(
        await setCollectionPermissionAction(args, write.change.permission.token, write.change.action),
      );
    } else {
      await revokeCollectionPermission(args, write.remove.token);
    }
  });
  let levelFailure: unknown;
  if (plan.level) {
    try {
      await updateCollection(args.workspace, args.collection, { defaultAccessLevel: plan.level.to });
    } catch (err) {
      levelFailure = err;
    }
  }
  if (failures.length > 0 || levelFailure !== undefined) {
    const describeWrite = async (w: Write): Promise<string> => {
      if ("grant" in w) return `granting ${await describeAccessor(args.workspace, w.grant.accessor)}`;
      if ("change" in w)
        return `changing ${await describeAccessor(args.workspace, accessorOf(w.change.permission))}`;
      return `revoking ${await describeAccessor(args.workspace, accessorOf(w.remove))}`;
    };
    const named = new Map(
      await Promise.all(failures.map(async (f) => [f.item, await describeWrite(f.item)] as const)),
    );
    const all = [
      ...failures,
      ...(levelFailure === undefined ? [] : [{ item: undefined, error: levelFailure }]),
    ];
    throw batchError(
      `Making ${where} hold exactly the declared grants`,
      writes.length + (plan.level ? 1 : 0),
      all,
      (w) => (w === undefined ? "setting the default level" : (named.get(w) ?? "a write")),
    );
  }
  return {
    workspace: args.workspace,
    collection: args.collection,
    ...(args.defaultAccess === undefined ? {} : { defaultAccess: args.defaultAccess }),
    grants: args.grants,
    ...storedPolicy(args),
    resolvedGrants: await resolvedOf(args.workspace, held),
    missing: plan.missing,
    previousDefaultAccess,
    unmanaged: await resolvedOf(args.workspace, plan.unmanaged),
  };
}

/**
 * Puts the default level back to `previousDefaultAccess` on delete, while the live level is still
 * the one the stack set (and no create of this run took the level over); a level changed outside
 * Pulumi since is left as it is, on a line.
 */
async function handBackLevel(olds: CollectionAccessOutputs, space: Space, where: string): Promise<void> {
  const previous = olds.previousDefaultAccess;
  if (olds.defaultAccess === undefined || previous == null) return;
  if (wasDefaultAccessPlaced(olds.workspace, olds.collection)) return;
  const now = defaultAccessOf(space);
  if (now === previous) return;
  if (now !== olds.defaultAccess) {
    providerContext().reportOnce(
      `mode:CollectionAccess ${where}: the default level is ${now}, changed outside Pulumi since the stack ` +
        `set ${olds.defaultAccess} — delete leaves it (the stack found ${previous})`,
    );
    return;
  }
  await updateCollection(olds.workspace, olds.collection, { defaultAccessLevel: previous });
}

/** The live collection for create and update; a collection that is gone fails saying what to do. */
async function liveCollection(args: CollectionAccessInputs): Promise<Space> {
  const space = await lookupCollection(args.workspace, args.collection);
  if (!space) throw new Error(collectionGone(args));
  return space;
}

/** The error of a collection that does not exist. */
function collectionGone(args: { workspace: string; collection: string }): string {
  return `Collection ${args.collection} of ${args.workspace} does not exist (deleted, or a wrong token). Pass the token of an existing collection (a mode.Collection's token, or getCollections), or remove this resource.`;
}

/** The words of a line for a collection that is gone. */
function collectionGoneWords(args: { collection: string }): string {
  return `the collection ${args.collection} no longer exists (deleted outside Pulumi) — up fails until collection names an existing one or this resource is removed`;
}

/** The grants as the outputs list them (by type, then name). */
async function resolvedOf(workspace: string, permissions: readonly Permission[]): Promise<ResolvedGrant[]> {
  const resolved = await Promise.all(
    permissions.map(async (p): Promise<ResolvedGrant> => {
      const accessor = accessorOf(p);
      return {
        accessorType: accessor.type,
        accessorToken: accessor.token,
        name: (await accessorName(workspace, accessor)) ?? accessor.token,
        action: p.action,
      };
    }),
  );
  return resolved.sort((a, b) => `${a.accessorType}/${a.name}`.localeCompare(`${b.accessorType}/${b.name}`));
}

function keyOf(accessor: Accessor): string {
  return `${accessor.type}/${accessor.token}`;
}

function grantKey(g: ResolvedGrant): string {
  return `${g.accessorType}/${g.accessorToken}/${g.action}`;
}

/** What the removal policy counts in: the collection's grants. */
async function subject(at: CollectionRef): Promise<RemovalSubject> {
  return { where: await describeCollection(at.workspace, at.collection), noun: GRANTS };
}

/** A permission as lines name it: `ada (edit)`, `group "Analysts" (view)`. */
async function grantWords(workspace: string, p: Permission): Promise<string> {
  return `${await describeAccessor(workspace, accessorOf(p))} (${p.action})`;
}

/** The grants the plan revokes, as the line and the maxRemovals error name them. */
function removalNames(workspace: string, plan: AccessPlan): Promise<string[]> {
  return Promise.all(plan.remove.map((p) => grantWords(workspace, p)));
}

/** Shows the plan's line once per provider process, when it says anything. */
async function report(args: CollectionAccessInputs, plan: AccessPlan): Promise<void> {
  const writes = plan.grant.length + plan.change.length + plan.remove.length;
  const said = writes + plan.unmanaged.length + plan.missing.length + plan.unknownGroups.length;
  if (said === 0 && !plan.level) return;
  providerContext().reportOnce(`mode:CollectionAccess ${await describePlan(args, plan)}`);
}

/**
 * The reviewer's line, every difference by name, e.g. `collection "Finance" of acme: 3 grants differ
 * from the program — up grants ada (view); sets group "Analysts" to view (edit now); revokes grace
 * (edit); the default level is view, the program says restricted — up sets restricted`. With
 * `unmanaged: "report"`, the undeclared part reads `2 grants are not in the program — kept,
 * unmanaged is report: …`; usernames that are not members and groups that do not exist are named too.
 */
export async function describePlan(args: CollectionAccessInputs, plan: AccessPlan): Promise<string> {
  const ws = args.workspace;
  const parts: string[] = [];
  const count = plan.grant.length + plan.change.length + plan.remove.length;
  if (count > 0) {
    const grants = await Promise.all(
      plan.grant.map(async (g) => `${await describeAccessor(ws, g.accessor)} (${g.action})`),
    );
    const changes = await Promise.all(
      plan.change.map(
        async (c) =>
          `${await describeAccessor(ws, accessorOf(c.permission))} to ${c.action} (${c.permission.action} now)`,
      ),
    );
    const removes = await removalNames(ws, plan);
    const actions = [
      ...(grants.length > 0 ? [`grants ${listNames(grants)}`] : []),
      ...(changes.length > 0 ? [`sets ${listNames(changes)}`] : []),
      ...(removes.length > 0 ? [`revokes ${listNames(removes)}`] : []),
    ];
    const verb = count === 1 ? "differs" : "differ";
    parts.push(`${counted(count, GRANTS)} ${verb} from the program — up ${actions.join("; ")}`);
  }
  if (plan.unmanaged.length > 0) {
    const names = await Promise.all(plan.unmanaged.map((p) => grantWords(ws, p)));
    parts.push(describeUnmanaged(names, GRANTS));
  }
  if (plan.level) {
    parts.push(
      plan.level.handBack
        ? `the program no longer declares the default level (${plan.level.from}) — up puts back ${plan.level.to}, the level the stack found`
        : `the default level is ${plan.level.from}, the program says ${plan.level.to} — up sets ${plan.level.to}`,
    );
  }
  if (plan.missing.length > 0) {
    const verb = plan.missing.length === 1 ? "is not a member" : "are not members";
    parts.push(
      `${listNames(plan.missing)} ${verb} of ${ws}, so not granted — invite them with mode.WorkspaceInvite`,
    );
  }
  if (plan.unknownGroups.length > 0) {
    const groups = listNames(plan.unknownGroups.map((g) => `group ${g}`));
    parts.push(
      `${groups} ${plan.unknownGroups.length === 1 ? "is not an active group" : "are not active groups"} of ${ws} — up fails until grants names existing groups`,
    );
  }
  return `${await describeCollection(ws, args.collection)}: ${parts.join("; ")}`;
}

/** The CollectionAccess implementation. */
export const collectionAccess = implement<CollectionAccessInputs, CollectionAccessOutputs>({
  kind: "CollectionAccess",
  inputs,
  state,
  identity: { workspace: "exact", collection: "exact" },
  storedAs: REMOVAL_STORED_AS,
  validate,
  inspectCreate,
  // A new collection is a new resource: the old one's delete touches only the old collection.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
