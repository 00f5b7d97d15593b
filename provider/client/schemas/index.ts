/**
 * Response schemas of both APIs. Each is declared once, `as const`; its TypeScript type is derived
 * with `FromSchema`, and the same object is compiled by {@link ajv} to validate responses. The Mode
 * schemas are transcribed from Mode's published OpenAPI description (./mode.ts says where they are
 * widened); the organization-invites schemas follow that API's documentation (./org.ts).
 */
import type { FromSchema } from "json-schema-to-ts";
import { compile } from "./ajv";
import {
  modeErrorSchema,
  modeInviteSchema,
  spaceMembershipSchema,
  spaceMembershipsSchema,
  workspaceMembershipSchema,
  workspaceMembershipsSchema,
} from "./mode";
import {
  jsonApiErrorSchema,
  orgInviteDocumentSchema,
  orgInviteListDocumentSchema,
  orgInviteSchema,
} from "./org";

export * from "./access";
export * from "./ajv";
export * from "./mode";
export * from "./org";

/** Mode workspace invite, snake_case as on the wire. */
export type ModeInvite = FromSchema<typeof modeInviteSchema>;
/** Mode workspace membership; `member_token` is the membership token used in paths. */
export type WorkspaceMembership = FromSchema<typeof workspaceMembershipSchema>;
/** A page of workspace memberships. */
export type WorkspaceMemberships = FromSchema<typeof workspaceMembershipsSchema>;
/** Mode space membership; `token` is the space-membership token used in paths. */
export type SpaceMembership = FromSchema<typeof spaceMembershipSchema>;
/** A page of space memberships. */
export type SpaceMemberships = FromSchema<typeof spaceMembershipsSchema>;
/** A Mode error body as published. */
export type ModeErrorBody = FromSchema<typeof modeErrorSchema>;
/** An organization invite (JSON:API resource object, snake_case attributes). */
export type OrgInvite = FromSchema<typeof orgInviteSchema>;
/** A single-invite JSON:API document. */
export type OrgInviteDocument = FromSchema<typeof orgInviteDocumentSchema>;
/** A page of organization invites. */
export type OrgInviteListDocument = FromSchema<typeof orgInviteListDocumentSchema>;
/** JSON:API error document. */
export type JsonApiErrorBody = FromSchema<typeof jsonApiErrorSchema>;

/** The year-−4712 sentinel the org API reports for "not accepted" (any timestamp in year -4712). */
const NOT_ACCEPTED_SENTINEL = /^-0*4712-/;

/** True when the invite has been accepted (`accepted_at` is neither null, empty nor the -4712 sentinel). */
export function isOrgInviteAccepted(invite: OrgInvite): boolean {
  const at = invite.attributes.accepted_at;
  return typeof at === "string" && at.trim() !== "" && !NOT_ACCEPTED_SENTINEL.test(at.trim());
}

/**
 * Compiled validators of the response schemas, shared by the clients. Each is compiled on first use
 * (ajv caches it by schema), so a provider process only pays for the schemas its resources touch.
 */
export const validators = {
  get modeInvite() {
    return compile<ModeInvite>(modeInviteSchema);
  },
  get workspaceMembership() {
    return compile<WorkspaceMembership>(workspaceMembershipSchema);
  },
  get workspaceMemberships() {
    return compile<WorkspaceMemberships>(workspaceMembershipsSchema);
  },
  get spaceMembership() {
    return compile<SpaceMembership>(spaceMembershipSchema);
  },
  get spaceMemberships() {
    return compile<SpaceMemberships>(spaceMembershipsSchema);
  },
  get modeError() {
    return compile<ModeErrorBody>(modeErrorSchema);
  },
  get orgInviteDocument() {
    return compile<OrgInviteDocument>(orgInviteDocumentSchema);
  },
  get orgInviteListDocument() {
    return compile<OrgInviteListDocument>(orgInviteListDocumentSchema);
  },
  get jsonApiError() {
    return compile<JsonApiErrorBody>(jsonApiErrorSchema);
  },
};
