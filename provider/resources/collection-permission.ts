/**
 * CollectionPermission: one permission on one Mode collection (`/{workspace}/spaces/{space}/permissions`)
 * — `view` or `edit`, for a member (by username) or a group (by token). What it shares with
 * DataSourcePermission (adoption, drift, reason lines) is provider/grants.ts; the collection's
 * permission rules are its layer's (provider/collections/collection-permissions.ts).
 */
import type { FromSchema } from "json-schema-to-ts";
import {
  findCollectionPermissionByToken,
  grantCollectionPermission,
  readCollectionPermission,
  revokeCollectionPermission,
  setCollectionPermissionAction,
} from "../collections/collection-permissions";
import { describeCollection, lookupCollection } from "../collections/collections";
import {
  accessorInputProperties,
  createGrant,
  grantDrift,
  grantOutputs,
  grantStateProperties,
  readGrant,
  updateGrant,
  validateAccessor,
  type GrantTarget,
} from "../grants";
import { ObjectSchema, type PropertyBag } from "../inputs";
import { implement, type CheckRefusal, type Created, type Drift } from "../resource";
import { COLLECTION_ACTIONS, RULES, stringSchema, type CollectionAction } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  collection: {
    ...stringSchema(RULES.token),
    description: "The collection's token (a `space` in Mode's API), e.g. a `mode.Collection`'s `token`.",
  },
  ...accessorInputProperties,
  action: {
    type: "string",
    enum: COLLECTION_ACTIONS,
    description: "What the accessor may do in the collection: `view` or `edit`. Changing it is one `PATCH`.",
  },
} as const;

/** The inputs of a CollectionPermission, declared once. */
export const collectionPermissionInputSchema = {
  type: "object",
  required: ["workspace", "collection", "action"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** CollectionPermission inputs. */
export type CollectionPermissionInputs = FromSchema<typeof collectionPermissionInputSchema>;

/** The state of a CollectionPermission: the inputs plus the permission Mode holds. */
export const collectionPermissionStateSchema = {
  type: "object",
  required: ["workspace", "collection", "action", "permissionToken", "accessorType", "accessorToken"],
  properties: { ...inputProperties, ...grantStateProperties },
  additionalProperties: false,
} as const;

/** CollectionPermission outputs. */
export type CollectionPermissionOutputs = FromSchema<typeof collectionPermissionStateSchema>;

const inputs = new ObjectSchema<CollectionPermissionInputs>(
  collectionPermissionInputSchema,
  "inputs of mode:CollectionPermission",
  { trimmed: ["workspace", "collection", "username", "group"] },
);
const state = new ObjectSchema<CollectionPermissionOutputs>(
  collectionPermissionStateSchema,
  "stored outputs of mode:CollectionPermission",
);

// ---- check ---------------------------------------------------------------------------------------

/** Exactly one of `username` and `group`. */
function validate(bag: PropertyBag): CheckRefusal<CollectionPermissionInputs> | undefined {
  return validateAccessor<CollectionPermissionInputs>(bag);
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's listing of the collection's permissions: the grant removed outside Pulumi
 * is a replace (up grants it again); its action changed outside Pulumi is an in-place update back.
 */
function drift(
  olds: CollectionPermissionOutputs,
  news: CollectionPermissionInputs,
): Promise<Drift<CollectionPermissionOutputs> | undefined> {
  return grantDrift(target(olds), olds, news);
}

// ---- create --------------------------------------------------------------------------------------

/** Grants the action; an existing grant to the same accessor is adopted and set to the action. */
async function create(args: CollectionPermissionInputs): Promise<Created<CollectionPermissionOutputs>> {
  const { permission, adopted } = await createGrant(target(args), args);
  return { id: permission.token, outs: { ...args, ...grantOutputs(permission), adopted } };
}

// ---- read ----------------------------------------------------------------------------------------

/** The grant read now (`GET`); undefined when it is gone. */
function read(
  id: string,
  olds: CollectionPermissionOutputs,
): Promise<Created<CollectionPermissionOutputs> | undefined> {
  return readGrant(target(olds), id, olds);
}

// ---- update --------------------------------------------------------------------------------------

/** Sets the declared action (one `PATCH` when it differs). */
async function update(
  _id: string,
  olds: CollectionPermissionOutputs,
  news: CollectionPermissionInputs,
): Promise<CollectionPermissionOutputs> {
  const { permission, adopted } = await updateGrant(target(olds), olds, news);
  return { ...news, ...grantOutputs(permission), adopted };
}

// ---- delete --------------------------------------------------------------------------------------

/** Revokes the grant; already gone (or the collection gone) is success. */
async function del(_id: string, olds: CollectionPermissionOutputs): Promise<void> {
  await revokeCollectionPermission(olds, olds.permissionToken);
}

// ---- helpers -------------------------------------------------------------------------------------

/** The collection's permissions, as the shared grant logic reaches them. */
function target(at: { workspace: string; collection: string }): GrantTarget<CollectionAction> {
  return {
    noun: "collection",
    describe: () => describeCollection(at.workspace, at.collection),
    exists: async () => (await lookupCollection(at.workspace, at.collection)) !== undefined,
    find: (token) => findCollectionPermissionByToken(at, token),
    read: (token) => readCollectionPermission(at, token),
    grant: (accessor, action) => grantCollectionPermission(at, accessor, action),
    setAction: (token, action) => setCollectionPermissionAction(at, token, action),
    revoke: (token) => revokeCollectionPermission(at, token),
  };
}

/** The CollectionPermission implementation. */
export const collectionPermission = implement<CollectionPermissionInputs, CollectionPermissionOutputs>({
  kind: "CollectionPermission",
  inputs,
  state,
  identity: { workspace: "exact", collection: "exact", username: "caseInsensitive", group: "exact" },
  validate,
  // A new collection or accessor is another grant: it is made before the old one is revoked.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
