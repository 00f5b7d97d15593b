/**
 * Collection: a custom Mode collection (`/{workspace}/spaces`) by name. Mode's collection names are
 * not unique and a create has no idempotency key, so create adopts the active custom collection of
 * that name (`adopted`), and the collections layer (provider/collections/collections.ts) guards
 * against duplicates from retried creates. Name, description and default access level change in
 * place; delete deals with Mode's 403 on a collection just deleted.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { Space, SpaceUpdate } from "../client";
import {
  createCollection,
  defaultAccessOf,
  deleteCollection,
  findCollection,
  readCollection,
  updateCollection,
} from "../collections/collections";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { DEFAULT_ACCESS_LEVELS, RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  name: {
    ...stringSchema(RULES.collectionName),
    description:
      "The collection's name. Mode's names are not unique: create adopts the active custom collection of this name when there is one. Changing it renames the collection in place.",
  },
  description: {
    ...stringSchema(RULES.collectionDescription),
    description: "The collection's description. Absent: left as it is (empty on a new collection).",
  },
  defaultAccess: {
    type: "string",
    enum: DEFAULT_ACCESS_LEVELS,
    description:
      "What every workspace member may do without a grant: `restricted`, `view` or `edit`. Absent: left as it is (Mode's default on a new collection is `view`). Use `mode.CollectionAccess` instead to manage it together with the grants.",
  },
} as const;

/** The inputs of a Collection, declared once. */
export const collectionInputSchema = {
  type: "object",
  required: ["workspace", "name"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** Collection inputs. */
export type CollectionInputs = FromSchema<typeof collectionInputSchema>;

/** The state of a Collection: the inputs plus what Mode reports. */
export const collectionStateSchema = {
  type: "object",
  required: ["workspace", "name", "token", "id", "spaceType", "state", "restricted", "adopted"],
  properties: {
    ...inputProperties,
    token: {
      type: "string",
      minLength: 1,
      description: "The collection's token: what `collection` arguments take.",
    },
    id: {
      type: "string",
      description: "Mode's numeric id of the collection, as a string (also the resource's id in the stack).",
    },
    spaceType: { type: "string", description: "`custom` (a collection made by people or this package)." },
    state: { type: "string", description: "`active` (a deleted collection is gone)." },
    restricted: {
      type: "boolean",
      description: "Whether only those holding a permission can open it (the default level is `restricted`).",
    },
    adopted: {
      type: "boolean",
      description:
        "True when an active custom collection of this name existed and was adopted instead of created.",
    },
  },
  additionalProperties: false,
} as const;

/** Collection outputs. */
export type CollectionOutputs = FromSchema<typeof collectionStateSchema>;

const inputs = new ObjectSchema<CollectionInputs>(collectionInputSchema, "inputs of mode:Collection", {
  trimmed: ["workspace", "name"],
});
const state = new ObjectSchema<CollectionOutputs>(collectionStateSchema, "stored outputs of mode:Collection");

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's listing of the workspace's collections: the collection deleted outside
 * Pulumi is a replace (up creates it again, or adopts a collection of that name); its name, or its
 * declared description or default level changed outside Pulumi, is an in-place update back.
 */
async function drift(
  olds: CollectionOutputs,
  news: CollectionInputs,
): Promise<Drift<CollectionOutputs> | undefined> {
  const live = await findCollection(olds.workspace, olds.token);
  const where = `collection "${olds.name}" of ${olds.workspace}`;
  if (!live) {
    return {
      property: "token",
      reason: `${where} (${olds.token}) was deleted outside Pulumi — up creates it again`,
    };
  }
  const changed: { property: keyof CollectionOutputs & string; words: string }[] = [];
  if (outside(live.name, olds.name, news.name))
    changed.push({ property: "name", words: `renamed to "${live.name}"` });
  if (news.description !== undefined && outside(live.description, olds.description, news.description))
    changed.push({ property: "description", words: "its description changed" });
  const level = defaultAccessOf(live);
  if (news.defaultAccess !== undefined && outside(level, olds.defaultAccess, news.defaultAccess))
    changed.push({ property: "defaultAccess", words: `its default level set to ${level}` });
  const first = changed[0];
  if (!first) return undefined;
  return {
    property: first.property,
    inPlace: true,
    reason: `${where}: ${changed.map((c) => c.words).join(", ")} outside Pulumi — up sets it back as declared`,
  };
}

// ---- create --------------------------------------------------------------------------------------

/** Creates the collection, or adopts the active custom collection of that name and sets what is declared. */
async function create(args: CollectionInputs): Promise<Created<CollectionOutputs>> {
  const { object, adopted } = await createCollection(args.workspace, {
    name: args.name,
    ...(args.description === undefined ? {} : { description: args.description }),
    ...(args.defaultAccess === undefined ? {} : { defaultAccessLevel: args.defaultAccess }),
  });
  // The resource's id is Mode's id of the collection, so the SDK's `id` (Pulumi's own) is that id.
  return { id: String(object.id), outs: outputsOf(args, object, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

/** The collection read now (`GET`; Mode's 403 on a deleted collection counts as gone). */
async function read(_id: string, olds: CollectionOutputs): Promise<Created<CollectionOutputs> | undefined> {
  const live = await readCollection(olds.workspace, olds.token);
  if (!live) return undefined;
  // What the program leaves alone stays undeclared; what it declares takes the live value.
  const level = DEFAULT_ACCESS_LEVELS.find((l) => l === defaultAccessOf(live));
  const declared: CollectionInputs = {
    workspace: olds.workspace,
    name: live.name,
    ...(olds.description === undefined ? {} : { description: live.description }),
    ...(olds.defaultAccess === undefined || level === undefined ? {} : { defaultAccess: level }),
  };
  return { id: String(live.id), outs: outputsOf(declared, live, olds.adopted) };
}

// ---- update --------------------------------------------------------------------------------------

/** Renames, and sets the declared description and default level, sending only what differs. */
async function update(
  _id: string,
  olds: CollectionOutputs,
  news: CollectionInputs,
): Promise<CollectionOutputs> {
  const live =
    (await findCollection(olds.workspace, olds.token)) ?? (await readCollection(olds.workspace, olds.token));
  const fields: SpaceUpdate = {};
  if (live?.name !== news.name) fields.name = news.name;
  if (news.description !== undefined && live?.description !== news.description)
    fields.description = news.description;
  if (
    news.defaultAccess !== undefined &&
    (live === undefined || defaultAccessOf(live) !== news.defaultAccess)
  )
    fields.defaultAccessLevel = news.defaultAccess;
  const result =
    live !== undefined && Object.keys(fields).length === 0
      ? live
      : await updateCollection(olds.workspace, olds.token, fields);
  return outputsOf(news, result, olds.adopted);
}

// ---- delete --------------------------------------------------------------------------------------

/** Deletes the collection (its permissions go with it); already gone is success. */
async function del(_id: string, olds: CollectionOutputs): Promise<void> {
  await deleteCollection(olds.workspace, olds.token);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(args: CollectionInputs, live: Space, adopted: boolean): CollectionOutputs {
  return {
    workspace: args.workspace,
    name: args.name,
    ...(args.description === undefined ? {} : { description: args.description }),
    ...(args.defaultAccess === undefined ? {} : { defaultAccess: args.defaultAccess }),
    token: live.token,
    id: String(live.id),
    spaceType: live.space_type,
    state: live.state,
    restricted: live.restricted,
    adopted,
  };
}

/** True when the live value differs from the stored one (changed outside) and from the declared one. */
function outside(live: unknown, stored: unknown, declared: unknown): boolean {
  return live !== stored && live !== declared;
}

/** The Collection implementation. */
export const collection = implement<CollectionInputs, CollectionOutputs>({
  kind: "Collection",
  inputs,
  state,
  identity: { workspace: "exact" },
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
