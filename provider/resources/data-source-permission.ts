/**
 * DataSourcePermission: one permission on one Mode data source, a database connection
 * (`/{workspace}/data_sources/{data_source}/permissions`) — `view`, `query` or `manage`, for a member
 * (by username) or a group (by token). What it shares with CollectionPermission (adoption, drift,
 * reason lines) is provider/grants.ts; the data source's permission rules, including the fallback to
 * the list when Mode answers a GET of one permission with a 500, are its layer's
 * (provider/collections/data-source-permissions.ts).
 */
import type { FromSchema } from "json-schema-to-ts";
import {
  findDataSourcePermissionByToken,
  grantDataSourcePermission,
  readDataSourcePermission,
  revokeDataSourcePermission,
  setDataSourcePermissionAction,
} from "../collections/data-source-permissions";
import { describeDataSource, findDataSource } from "../collections/data-sources";
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
import { DATA_SOURCE_ACTIONS, RULES, stringSchema, type DataSourceAction } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  dataSource: {
    ...stringSchema(RULES.token),
    description: "The data source's (database connection's) token, e.g. from `getDataSources`.",
  },
  ...accessorInputProperties,
  action: {
    type: "string",
    enum: DATA_SOURCE_ACTIONS,
    description:
      "What the accessor may do with the data source: `view`, `query` or `manage`. Changing it is one `PATCH`.",
  },
} as const;

/** The inputs of a DataSourcePermission, declared once. */
export const dataSourcePermissionInputSchema = {
  type: "object",
  required: ["workspace", "dataSource", "action"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** DataSourcePermission inputs. */
export type DataSourcePermissionInputs = FromSchema<typeof dataSourcePermissionInputSchema>;

/** The state of a DataSourcePermission: the inputs plus the permission Mode holds. */
export const dataSourcePermissionStateSchema = {
  type: "object",
  required: ["workspace", "dataSource", "action", "permissionToken", "accessorType", "accessorToken"],
  properties: { ...inputProperties, ...grantStateProperties },
  additionalProperties: false,
} as const;

/** DataSourcePermission outputs. */
export type DataSourcePermissionOutputs = FromSchema<typeof dataSourcePermissionStateSchema>;

const inputs = new ObjectSchema<DataSourcePermissionInputs>(
  dataSourcePermissionInputSchema,
  "inputs of mode:DataSourcePermission",
  { trimmed: ["workspace", "dataSource", "username", "group"] },
);
const state = new ObjectSchema<DataSourcePermissionOutputs>(
  dataSourcePermissionStateSchema,
  "stored outputs of mode:DataSourcePermission",
);

// ---- check ---------------------------------------------------------------------------------------

/** Exactly one of `username` and `group`. */
function validate(bag: PropertyBag): CheckRefusal<DataSourcePermissionInputs> | undefined {
  return validateAccessor<DataSourcePermissionInputs>(bag);
}

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's listing of the data source's permissions: the grant removed outside Pulumi
 * is a replace (up grants it again); its action changed outside Pulumi is an in-place update back.
 */
function drift(
  olds: DataSourcePermissionOutputs,
  news: DataSourcePermissionInputs,
): Promise<Drift<DataSourcePermissionOutputs> | undefined> {
  return grantDrift(target(olds), olds, news);
}

// ---- create --------------------------------------------------------------------------------------

/** Grants the action; an existing grant to the same accessor is adopted and set to the action. */
async function create(args: DataSourcePermissionInputs): Promise<Created<DataSourcePermissionOutputs>> {
  const { permission, adopted } = await createGrant(target(args), args);
  return { id: permission.token, outs: { ...args, ...grantOutputs(permission), adopted } };
}

// ---- read ----------------------------------------------------------------------------------------

/**
 * The grant read now (`GET`; when Mode answers it with a 500 while the list works, the list's copy);
 * undefined when it is gone.
 */
function read(
  id: string,
  olds: DataSourcePermissionOutputs,
): Promise<Created<DataSourcePermissionOutputs> | undefined> {
  return readGrant(target(olds), id, olds);
}

// ---- update --------------------------------------------------------------------------------------

/** Sets the declared action (one `PATCH` when it differs). */
async function update(
  _id: string,
  olds: DataSourcePermissionOutputs,
  news: DataSourcePermissionInputs,
): Promise<DataSourcePermissionOutputs> {
  const { permission, adopted } = await updateGrant(target(olds), olds, news);
  return { ...news, ...grantOutputs(permission), adopted };
}

// ---- delete --------------------------------------------------------------------------------------

/** Revokes the grant; already gone (or the data source gone) is success. */
async function del(_id: string, olds: DataSourcePermissionOutputs): Promise<void> {
  await revokeDataSourcePermission(olds, olds.permissionToken);
}

// ---- helpers -------------------------------------------------------------------------------------

/** The data source's permissions, as the shared grant logic reaches them. */
function target(at: { workspace: string; dataSource: string }): GrantTarget<DataSourceAction> {
  return {
    noun: "data source",
    describe: () => describeDataSource(at.workspace, at.dataSource),
    exists: async () => (await findDataSource(at.workspace, at.dataSource)) !== undefined,
    find: (token) => findDataSourcePermissionByToken(at, token),
    read: (token) => readDataSourcePermission(at, token),
    grant: (accessor, action) => grantDataSourcePermission(at, accessor, action),
    setAction: (token, action) => setDataSourcePermissionAction(at, token, action),
    revoke: (token) => revokeDataSourcePermission(at, token),
  };
}

/** The DataSourcePermission implementation. */
export const dataSourcePermission = implement<DataSourcePermissionInputs, DataSourcePermissionOutputs>({
  kind: "DataSourcePermission",
  inputs,
  state,
  identity: { workspace: "exact", dataSource: "exact", username: "caseInsensitive", group: "exact" },
  validate,
  // A new data source or accessor is another grant: it is made before the old one is revoked.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
