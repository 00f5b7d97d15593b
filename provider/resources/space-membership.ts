/**
 * SpaceMembership: a user or user group in a Mode space (Collection), through the deprecated
 * `/{account}/spaces/{space}/memberships` endpoints.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { SpaceMembership } from "../client";
import { addSpaceMember, removeSpaceMembership, spaceMemberships } from "../collections/space-memberships";
import { ObjectSchema, type PropertyBag } from "../inputs";
import { implement, same, type Created, type Drift } from "../resource";
import { MEMBER_TYPES, RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  account: {
    ...stringSchema(RULES.accountName),
    description: "The username of the workspace (or user) that owns the space, e.g. `acme-analytics`.",
  },
  space: { ...stringSchema(RULES.token), description: "The space's (Collection's) token." },
  memberType: {
    type: "string",
    enum: MEMBER_TYPES,
    description: "Whether the member is a user or a user group.",
  },
  memberToken: {
    ...stringSchema(RULES.token),
    description: "The token of the user or user group (for users, their workspace membership token).",
  },
} as const;

/** The inputs of a SpaceMembership, declared once. */
export const spaceMembershipInputSchema = {
  type: "object",
  required: ["account", "space", "memberType", "memberToken"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** SpaceMembership inputs. */
export type SpaceMembershipInputs = FromSchema<typeof spaceMembershipInputSchema>;

/** The state of a SpaceMembership: the inputs plus what Mode assigns. */
export const spaceMembershipStateSchema = {
  type: "object",
  required: ["account", "space", "memberType", "memberToken", "token"],
  properties: {
    ...inputProperties,
    token: { type: "string", minLength: 1, description: "The space membership's own token." },
    memberId: { type: "string", description: "Mode's id of the member." },
    email: {
      type: ["string", "null"],
      description: "The member's email (users only; null for user groups).",
    },
    adopted: {
      type: "boolean",
      description: "True when the member was already in the space and that membership was adopted.",
    },
  },
  additionalProperties: false,
} as const;

/** SpaceMembership outputs. */
export type SpaceMembershipOutputs = FromSchema<typeof spaceMembershipStateSchema>;

const inputs = new ObjectSchema<SpaceMembershipInputs>(
  spaceMembershipInputSchema,
  "inputs of mode:SpaceMembership",
  { trimmed: ["account", "space", "memberToken"] },
);
const state = new ObjectSchema<SpaceMembershipOutputs>(
  spaceMembershipStateSchema,
  "stored outputs of mode:SpaceMembership",
);

// ---- diff ----------------------------------------------------------------------------------------

/** The same member twice in one space is refused, so a replacement that keeps both deletes first. */
function deleteBeforeReplace(olds: SpaceMembershipOutputs, news: PropertyBag): boolean {
  return (
    same(olds.account, news.account, "exact") &&
    same(olds.space, news.space, "exact") &&
    same(olds.memberToken, news.memberToken, "exact")
  );
}

async function drift(olds: SpaceMembershipOutputs): Promise<Drift<SpaceMembershipOutputs> | undefined> {
  const live = await spaceMemberships(olds).find((m) => m.token === olds.token);
  if (live) return undefined;
  return {
    property: "token",
    reason: `${describe(olds)}: the membership was removed outside Pulumi — up adds it again`,
  };
}

// ---- create --------------------------------------------------------------------------------------

async function create(args: SpaceMembershipInputs): Promise<Created<SpaceMembershipOutputs>> {
  // A member already there (added outside Pulumi, or by a lost response) is adopted.
  const { object, adopted } = await addSpaceMember(args, args);
  return { id: object.token, outs: outputsOf(args, object, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(
  _id: string,
  olds: SpaceMembershipOutputs,
): Promise<Created<SpaceMembershipOutputs> | undefined> {
  const live = await spaceMemberships(olds).find((m) => m.token === olds.token);
  if (!live) return undefined;
  const memberType = live.member_type === "UserGroup" ? "UserGroup" : "User";
  return {
    id: live.token,
    outs: outputsOf({ ...olds, memberType, memberToken: live.member_token }, live, olds.adopted),
  };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the membership, so diff never asks for an in-place update. */
async function update(_id: string, olds: SpaceMembershipOutputs): Promise<SpaceMembershipOutputs> {
  return olds;
}

// ---- delete --------------------------------------------------------------------------------------

async function del(_id: string, olds: SpaceMembershipOutputs): Promise<void> {
  await removeSpaceMembership(olds, olds.token);
}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(
  args: SpaceMembershipInputs,
  membership: SpaceMembership,
  adopted: boolean | undefined,
): SpaceMembershipOutputs {
  return {
    account: args.account,
    space: args.space,
    memberType: args.memberType,
    memberToken: args.memberToken,
    token: membership.token,
    memberId: String(membership.member_id),
    email: membership.email ?? null,
    adopted: adopted ?? false,
  };
}

/** The membership by what the API knows: `user alice@example.com (u1) in space s1 of acme`. */
function describe(olds: SpaceMembershipOutputs): string {
  const member =
    olds.memberType === "UserGroup"
      ? `user group ${olds.memberToken}`
      : `user ${olds.email ? `${olds.email} (${olds.memberToken})` : olds.memberToken}`;
  return `${member} in space ${olds.space} of ${olds.account}`;
}

/** The SpaceMembership implementation. */
export const spaceMembership = implement<SpaceMembershipInputs, SpaceMembershipOutputs>({
  kind: "SpaceMembership",
  inputs,
  state,
  identity: { account: "exact", space: "exact", memberType: "exact", memberToken: "exact" },
  deleteBeforeReplace,
  drift,
  create,
  read,
  update,
  delete: del,
});
