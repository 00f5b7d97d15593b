/**
 * Group: a user group of a Mode workspace (`/{workspace}/groups`). Create adopts the active group of
 * the same name (Mode keeps names unique regardless of case) instead of failing on Mode's duplicate
 * refusal; a changed `name` renames the group in place (`PATCH`). Drift: deleted outside Pulumi (the
 * group is no longer listed) → replace; renamed outside → an in-place rename back. Delete reads the
 * group back (Mode's rename-before-delete quirk). A group the identity provider manages (SCIM) is
 * never renamed or deleted: the groups' layer refuses, saying why and what to do.
 */
import type { FromSchema } from "json-schema-to-ts";
import { countOf, type UserGroup } from "../client";
import { createGroup, deleteGroup, findGroup, isManaged, renameGroup } from "../collections/groups";
import { providerContext } from "../context";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  name: {
    ...stringSchema(RULES.groupName),
    description:
      "The group's name, unique among the workspace's active groups regardless of case. Create adopts " +
      "the active group of this name when there is one; a new name renames the group (`PATCH`).",
  },
} as const;

/** The inputs of a Group, declared once. */
export const groupInputSchema = {
  type: "object",
  required: ["workspace", "name"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** Group inputs. */
export type GroupInputs = FromSchema<typeof groupInputSchema>;

/** The state of a Group: the inputs plus what Mode reports. */
export const groupStateSchema = {
  type: "object",
  required: ["workspace", "name", "token"],
  properties: {
    ...inputProperties,
    token: {
      type: "string",
      minLength: 1,
      description: "The group's token: what the `group` argument of GroupMembership and GroupMembers takes.",
    },
    state: { type: "string", description: "The group's state: `active` (a deleted group is gone)." },
    groupType: { type: "string", description: "`custom` for groups made through the API or the product." },
    managed: {
      type: "boolean",
      description:
        "Whether the identity provider manages the group (SCIM): then it owns the group's name, members " +
        "and life, and pulumi-mode never renames or deletes it.",
    },
    memberCount: { type: "number", description: "How many members the group had at the last run." },
    adopted: {
      type: "boolean",
      description: "True when an active group of this name already existed and was adopted, not created.",
    },
  },
  additionalProperties: false,
} as const;

/** Group outputs. */
export type GroupOutputs = FromSchema<typeof groupStateSchema>;

const inputs = new ObjectSchema<GroupInputs>(groupInputSchema, "inputs of mode:Group", {
  trimmed: ["workspace", "name"],
});
const state = new ObjectSchema<GroupOutputs>(groupStateSchema, "stored outputs of mode:Group");

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's one listing of the workspace's groups: the group is no longer listed
 * (deleted outside Pulumi: Mode soft-deletes, and lists leave it out) → replace; its live name is
 * not the declared one → an in-place rename, except for a managed group, which `up` refuses to
 * rename (the line says so). A name the program alone changed needs no line: the preview shows it.
 */
async function drift(olds: GroupOutputs, news: GroupInputs): Promise<Drift<GroupOutputs> | undefined> {
  const live = await findGroup(olds.workspace, olds.token);
  if (!live) {
    return {
      property: "token",
      reason: `${described(olds.workspace, olds.name)} was deleted outside Pulumi — up creates it again`,
    };
  }
  if (live.name === news.name) return undefined;
  if (isManaged(live)) {
    return {
      property: "name",
      inPlace: true,
      reason:
        `${described(olds.workspace, live.name)} is managed by your identity provider (SCIM), which owns its ` +
        `name — up cannot rename it to "${news.name}": rename it there, or declare "${live.name}"`,
    };
  }
  if (live.name === olds.name) return undefined;
  const back = news.name === olds.name ? "renames it back" : `renames it to "${news.name}"`;
  return {
    property: "name",
    inPlace: true,
    reason: `${described(olds.workspace, olds.name)} was renamed outside Pulumi to "${live.name}" — up ${back}`,
  };
}

// ---- create --------------------------------------------------------------------------------------

/**
 * Creates the group, or adopts the active group of that name (made outside Pulumi, or by an attempt
 * whose response was lost: never two groups). An adopted group whose name differs from the declared
 * one only in case is renamed to the declared name, unless the identity provider manages it.
 */
async function create(args: GroupInputs): Promise<Created<GroupOutputs>> {
  const { object, adopted } = await createGroup(args.workspace, args.name);
  let group = object;
  if (adopted && isManaged(group)) {
    providerContext().reportOnce(
      `mode:Group ${described(args.workspace, group.name)} already existed and is managed by your identity ` +
        "provider (SCIM): adopted; pulumi-mode never renames or deletes it",
    );
  } else if (adopted && group.name !== args.name) {
    group = await renameGroup(args.workspace, group.token, args.name);
  }
  return { id: group.token, outs: outputsOf(args, group, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

/** The live group (its live name: a rename outside Pulumi shows as a change after a refresh). */
async function read(_id: string, olds: GroupOutputs): Promise<Created<GroupOutputs> | undefined> {
  const live = await findGroup(olds.workspace, olds.token);
  if (!live) return undefined;
  return {
    id: live.token,
    outs: outputsOf({ workspace: olds.workspace, name: live.name }, live, olds.adopted),
  };
}

// ---- update --------------------------------------------------------------------------------------

/** Renames the group to the declared name (nothing is sent when it already has it). */
async function update(_id: string, olds: GroupOutputs, news: GroupInputs): Promise<GroupOutputs> {
  const live = await findGroup(olds.workspace, olds.token);
  const group =
    live && live.name === news.name ? live : await renameGroup(olds.workspace, olds.token, news.name);
  return outputsOf(news, group, olds.adopted);
}

// ---- delete --------------------------------------------------------------------------------------

/**
 * Deletes the group; already gone is success. A managed group is refused, and a group Mode keeps
 * after a 200 (its name was an earlier deleted group's) fails saying to rename it first.
 */
async function del(_id: string, olds: GroupOutputs): Promise<void> {
  await deleteGroup(olds.workspace, olds.token, olds.name);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(args: GroupInputs, live: UserGroup, adopted: boolean | undefined): GroupOutputs {
  const members = countOf(live.member_count);
  return {
    workspace: args.workspace,
    name: args.name,
    token: live.token,
    state: live.state,
    groupType: live.group_type,
    managed: isManaged(live),
    ...(Number.isFinite(members) ? { memberCount: members } : {}),
    adopted: adopted ?? false,
  };
}

/** The group by what the API knows: `group "Analysts" in acme`. */
function described(workspace: string, name: string): string {
  return `group "${name}" in ${workspace}`;
}

/** The Group implementation. */
export const group = implement<GroupInputs, GroupOutputs>({
  kind: "Group",
  inputs,
  state,
  identity: { workspace: "exact" },
  // A replacement is in another workspace, or of a group deleted outside Pulumi: nothing to free first.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
