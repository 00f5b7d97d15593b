/**
 * OrgInviteAcceptance: accepts an organization invite with its code
 * (`PUT .../invites/{id}/accept`). Acceptance cannot be undone through the API.
 */
import type { FromSchema } from "json-schema-to-ts";
import { ApiError, isOrgInviteAccepted, type OrgInvite } from "../client";
import { providerContext } from "../context";
import { checkInputs, compileInputSchema, fragments, type PropertyBag } from "../inputs";
import { compareInputs, diffResult, GONE, pick, type ResourceImplementation, str } from "../resource";
import { findInvite } from "./org-invite";

// ---- types ---------------------------------------------------------------------------------------

/** The inputs of an OrgInviteAcceptance, declared once. */
export const orgInviteAcceptanceInputSchema = {
  type: "object",
  required: ["organizationId", "inviteId", "code"],
  properties: {
    organizationId: fragments.token,
    inviteId: fragments.token,
    code: { type: "string", minLength: 1, maxLength: 256, pattern: "^[A-Za-z0-9_-]+$" },
  },
  additionalProperties: false,
} as const;

/** OrgInviteAcceptance inputs. */
export type OrgInviteAcceptanceInputs = FromSchema<typeof orgInviteAcceptanceInputSchema>;

/** OrgInviteAcceptance outputs (`code` is stored as a secret). */
export interface OrgInviteAcceptanceOutputs extends PropertyBag {
  organizationId: string;
  inviteId: string;
  code: string;
  acceptedAt: string | null;
  acceptedByUserId: string | null;
}

const INPUT_KEYS = ["organizationId", "inviteId", "code"] as const;
const IDENTITY = INPUT_KEYS.map((name) => ({ name, compare: "exact" as const }));
const compiled = compileInputSchema(orgInviteAcceptanceInputSchema, {
  trimmed: ["organizationId", "inviteId", "code"],
  secrets: ["code"],
  messages: {
    organizationId: "organizationId must be an organization id (letters, digits, '_', '-')",
    inviteId: "inviteId must be an invite id (letters, digits, '_', '-')",
    code: "code must be the invite's code (letters, digits, '_', '-')",
  },
});

// ---- check ---------------------------------------------------------------------------------------

async function check(_olds: PropertyBag, news: PropertyBag) {
  return checkInputs(compiled, news);
}

// ---- diff ----------------------------------------------------------------------------------------

async function diff(_id: string, olds: PropertyBag, news: PropertyBag) {
  const changes = compareInputs(olds, news, IDENTITY);
  if (changes.hasUnknowns || changes.replaces.length > 0) return diffResult(changes, undefined, false);
  const live = await findInvite(str(olds, "organizationId"), str(olds, "inviteId"));
  return diffResult(changes, live && isOrgInviteAccepted(live) ? undefined : "acceptedAt", false);
}

// ---- create --------------------------------------------------------------------------------------

async function create(inputs: PropertyBag) {
  const context = providerContext();
  const organizationId = str(inputs, "organizationId");
  const inviteId = str(inputs, "inviteId");
  let invite: OrgInvite;
  try {
    invite = await context.orgClient().acceptInvite(organizationId, inviteId, str(inputs, "code"));
  } catch (err) {
    // Accepting twice is refused (422). When an earlier attempt's response was lost, the invite is
    // already accepted: adopt that acceptance.
    if (!(err instanceof ApiError) || err.kind !== "validation") throw err;
    context.orgInvites.invalidate(organizationId);
    const existing = await findInvite(organizationId, inviteId);
    if (!existing || !isOrgInviteAccepted(existing)) throw err;
    invite = existing;
  } finally {
    context.orgInvites.invalidate(organizationId);
  }
  return { id: inviteId, outs: outputsOf(inputs, invite) };
}

// ---- read ----------------------------------------------------------------------------------------

async function read(id: string, props: PropertyBag) {
  const live = await findInvite(str(props, "organizationId"), str(props, "inviteId") || id);
  if (!live || !isOrgInviteAccepted(live)) return GONE;
  const outs = outputsOf(props, live);
  return { id, props: outs, inputs: pick(outs, INPUT_KEYS) };
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the acceptance, so diff never asks for an in-place update. */
async function update(_id: string, olds: PropertyBag) {
  return { outs: olds };
}

// ---- delete --------------------------------------------------------------------------------------

/** An acceptance cannot be undone through the API: deleting only removes it from the stack. */
async function del() {}

// ---- helpers -------------------------------------------------------------------------------------

function outputsOf(props: PropertyBag, invite: OrgInvite): OrgInviteAcceptanceOutputs {
  return {
    organizationId: str(props, "organizationId"),
    inviteId: invite.id,
    code: str(props, "code"),
    acceptedAt: isOrgInviteAccepted(invite) ? (invite.attributes.accepted_at ?? null) : null,
    acceptedByUserId: invite.relationships?.accepted_by_user?.data?.id ?? null,
  };
}

/** The OrgInviteAcceptance implementation. */
export const orgInviteAcceptance: ResourceImplementation = { check, diff, create, read, update, delete: del };
