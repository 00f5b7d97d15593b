/**
 * SpaceMembership: a user or user group in a Mode space (Collection), through the deprecated
 * `/{account}/spaces/{space}/memberships` endpoints.
 */
import type { FromSchema } from "json-schema-to-ts";
import { ApiError, type SpaceMembership, isNotFound } from "../client";
import { providerContext } from "../context";
import { checkInputs, compileInputSchema, fragments, type PropertyBag } from "../inputs";
import { compareInputs, diffResult, GONE, pick, type ResourceImplementation, same, str } from "../resource";

// ---- types ---------------------------------------------------------------------------------------

/** The inputs of a SpaceMembership, declared once. */
export const spaceMembershipInputSchema = {
  type: "object",
  required: ["account", "space", "memberType", "memberToken"],
  properties: {
    account: fragments.accountName,
    space: fragments.token,
    memberType: { type: "string", enum: ["User", "UserGroup"] },
    memberToken: fragments.token,
  },
  additionalProperties: false,
} as const;

/** SpaceMembership inputs. */
export type SpaceMembershipInputs = FromSchema<typeof spaceMembershipInputSchema>;

/** SpaceMembership outputs: the inputs plus what Mode assigns. */
export interface SpaceMembershipOutputs extends PropertyBag {
  account: string;
  space: string;
  memberType: string;
  memberToken: string;
  token: string;
  memberId: string;
  email: string | null;
}

const INPUT_KEYS = ["account", "space", "memberType", "memberToken"] as const;
const IDENTITY = INPUT_KEYS.map((name) => ({ name, compare: "exact" as const }));
const compiled = compileInputSchema(spaceMembershipInputSchema, {
  trimmed: ["account", "space", "memberToken"],
  messages: {
    account: "account must be a Mode workspace or user username (letters, digits, '_', '-', '.')",
    space: "space must be a space token (letters, digits, '_', '-')",
    memberToken: "memberToken must be a user or user-group token (letters, digits, '_', '-')",
  },
});

// ---- check ---------------------------------------------------------------------------------------

async function check(_olds: PropertyBag, news: PropertyBag) {
  return checkInputs(compiled, news);
}

// ---- diff ----------------------------------------------------------------------------------------

async function diff(_id: string, olds: PropertyBag, news: PropertyBag) {
  const changes = compareInputs(olds, news, IDENTITY);
  // The same member twice in one space is refused, so a replacement that keeps the member and the
  // space must delete the old membership first.
  const sameMemberAndSpace = (["account", "space", "memberToken"] as const).every((key) =>
    same(olds[key], news[key], "exact"),
  );
  if (changes.hasUnknowns || changes.replaces.length > 0)
    return diffResult(changes, undefined, sameMemberAndSpace);
  const live = await findMembership(str(olds, "account"), str(olds, "space"), (m) => m.token === olds.token);
  return diffResult(changes, live ? undefined : "token", true);
}

// ---- create --------------------------------------------------------------------------------------

async function create(inputs: PropertyBag) {
  const context = providerContext();
  const account = str(inputs, "account");
  const space = str(inputs, "space");
  const memberType = str(inputs, "memberType") === "UserGroup" ? "UserGroup" : "User";
  const memberToken = str(inputs, "memberToken");
  let membership: SpaceMembership;
  try {
    membership = await context
      .modeClient()
      .createSpaceMembership(account, space, { memberType, memberToken });
  } catch (err) {
    // Mode refuses the same member twice with a 400; if the member is already there (created
    // outside Pulumi, or by an attempt whose response was lost), adopt that membership.
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    context.spaceMemberships.invalidate(collectionKey(account, space));
    const existing = await findMembership(
      account,
      space,
      (m) => m.member_token === memberToken && m.member_type === memberType,
    );
    if (!existing) throw err;
    membership = existing;
  } finally {
    context.spaceMemberships.invalidate(collectionKey(account, space));
  }
  const outs = outputsOf(account, space, memberType, memberToken, membership);
  return { id: membership.token, outs };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(id: string, props: PropertyBag) {
  const token = str(props, "token") || id;
  const live = await findMembership(str(props, "account"), str(props, "space"), (m) => m.token === token);
  if (!live) return GONE;
  const outs = outputsOf(
    str(props, "account"),
    str(props, "space"),
    live.member_type,
    live.member_token,
    live,
  );
  return { id: live.token, props: outs, inputs: pick(outs, INPUT_KEYS) };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the membership, so diff never asks for an in-place update. */
async function update(_id: string, olds: PropertyBag) {
  return { outs: olds };
}

// ---- delete --------------------------------------------------------------------------------------

async function del(id: string, props: PropertyBag) {
  const context = providerContext();
  const account = str(props, "account");
  const space = str(props, "space");
  try {
    await context.modeClient().deleteSpaceMembership(account, space, str(props, "token") || id);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  } finally {
    context.spaceMemberships.invalidate(collectionKey(account, space));
  }
}

// ---- helpers -------------------------------------------------------------------------------------

function collectionKey(account: string, space: string): string {
  return `${account}/${space}`;
}

function outputsOf(
  account: string,
  space: string,
  memberType: string,
  memberToken: string,
  membership: SpaceMembership,
): SpaceMembershipOutputs {
  return {
    account,
    space,
    memberType,
    memberToken,
    token: membership.token,
    memberId: String(membership.member_id),
    email: membership.email ?? null,
  };
}

/** A membership of the space matching `predicate`, from the run's shared listing; undefined when gone. */
async function findMembership(
  account: string,
  space: string,
  predicate: (membership: SpaceMembership) => boolean,
): Promise<SpaceMembership | undefined> {
  const context = providerContext();
  try {
    const memberships = await context.spaceMemberships.get(collectionKey(account, space), () =>
      context.modeClient().listSpaceMemberships(account, space),
    );
    return memberships.find(predicate);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The SpaceMembership implementation. */
export const spaceMembership: ResourceImplementation = { check, diff, create, read, update, delete: del };
