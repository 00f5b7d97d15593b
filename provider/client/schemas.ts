import type { ErrorObject, ValidateFunction } from "ajv";
import { ajv } from "../json-schema";
import type { FromSchema } from "json-schema-to-ts";

/**
 * Response schemas of both APIs. Each is declared once, `as const`; its TypeScript type is derived
 * with `FromSchema`, and the same object is compiled by {@link ajv} to validate responses.
 * Schemas are lenient where the documents are vague (ids that are numbers in samples but strings in
 * tables accept both; timestamps that can be absent accept null) and strict where the code relies on a field.
 */

export { ajv };

/** A HAL link: `{href, templated?}`. */
export const halLinkSchema = {
  type: "object",
  properties: { href: { type: "string" }, templated: { type: "boolean" } },
  required: ["href"],
} as const;

/** HAL `_links` of a Mode object: any named links, `self` required. */
const selfLinks = {
  type: "object",
  properties: { self: halLinkSchema },
  required: ["self"],
  additionalProperties: halLinkSchema,
} as const;

const idLike = { type: ["string", "number"] } as const;
const optTime = { type: ["string", "null"] } as const;

/** Mode workspace invite (`POST /{workspace}/invites` response). */
export const modeInviteSchema = {
  type: "object",
  properties: {
    email: { type: "string" },
    message: { type: ["string", "null"] },
    inviter_id: idLike,
    invitee_id: idLike,
    organization_id: idLike,
    limited: { type: ["string", "boolean", "null"] },
    sent_at: optTime,
    resent_at: optTime,
    clicked_at: optTime,
    accepted_at: optTime,
    expires_at: optTime,
    created_at: optTime,
    _links: { type: "object", additionalProperties: halLinkSchema },
    _embedded: { type: "object" },
  },
  required: ["email", "_links"],
} as const;
/** Mode workspace invite, snake_case as on the wire. */
export type ModeInvite = FromSchema<typeof modeInviteSchema>;

/** Mode workspace membership (`GET /{workspace}/memberships/{membership}`). */
export const workspaceMembershipSchema = {
  type: "object",
  properties: {
    admin: { type: "boolean" },
    invited: { type: "boolean" },
    state: { type: "string" },
    member_username: { type: "string" },
    member_token: { type: "string" },
    activated_at: optTime,
    managed_by_scim: { type: "boolean" },
    limited: { type: ["boolean", "string", "null"] },
    _links: selfLinks,
    _embedded: { type: "object" },
  },
  required: ["admin", "state", "member_username", "member_token", "_links"],
} as const;
/** Mode workspace membership; `member_token` is the membership token used in paths. */
export type WorkspaceMembership = FromSchema<typeof workspaceMembershipSchema>;

/** Mode space (collection) membership. */
export const spaceMembershipSchema = {
  type: "object",
  properties: {
    token: { type: "string" },
    member_token: { type: "string" },
    member_type: { type: "string" },
    member_id: idLike,
    email: { type: ["string", "null"] },
    _links: selfLinks,
    _embedded: { type: "object" },
  },
  required: ["token", "member_token", "member_type", "_links"],
} as const;
/** Mode space membership; `token` is the space-membership token used in paths. */
export type SpaceMembership = FromSchema<typeof spaceMembershipSchema>;

const collectionLinks = {
  type: "object",
  properties: { self: halLinkSchema, next: halLinkSchema },
} as const;

/** A page of `GET /{workspace}/memberships`. */
export const workspaceMembershipPageSchema = {
  type: "object",
  properties: {
    _links: collectionLinks,
    _embedded: {
      type: "object",
      properties: { memberships: { type: "array", items: workspaceMembershipSchema } },
      required: ["memberships"],
    },
  },
  required: ["_embedded"],
} as const;
/** A page of workspace memberships. */
export type WorkspaceMembershipPage = FromSchema<typeof workspaceMembershipPageSchema>;

/** A page of `GET /{account}/spaces/{space}/memberships` (items under `memberships` or `space_memberships`). */
export const spaceMembershipPageSchema = {
  type: "object",
  properties: {
    _links: collectionLinks,
    _embedded: {
      type: "object",
      properties: {
        memberships: { type: "array", items: spaceMembershipSchema },
        space_memberships: { type: "array", items: spaceMembershipSchema },
      },
    },
  },
  required: ["_embedded"],
} as const;
/** A page of space memberships. */
export type SpaceMembershipPage = FromSchema<typeof spaceMembershipPageSchema>;

const relationship = {
  type: "object",
  properties: {
    data: {
      anyOf: [
        {
          type: "object",
          properties: { id: { type: "string" }, type: { type: "string" } },
          required: ["id", "type"],
        },
        { type: "null" },
      ],
    },
  },
  required: ["data"],
} as const;

/** An organization invite: the JSON:API resource object. */
export const orgInviteSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    type: { type: "string" },
    attributes: {
      type: "object",
      properties: {
        accepted_at: { type: ["string", "null"] },
        code: { type: "string" },
        created_at: { type: "string" },
        invite_user_as: { type: ["string", "null"] },
        recipient_email: { type: "string" },
        updated_at: { type: "string" },
        updated_in_db_at: { type: ["string", "null"] },
      },
      required: ["accepted_at", "code", "created_at", "recipient_email", "updated_at"],
    },
    relationships: {
      type: "object",
      properties: {
        accepted_by_user: relationship,
        cancelled_by_user: relationship,
        invited_by_user: relationship,
      },
      required: ["accepted_by_user", "cancelled_by_user", "invited_by_user"],
    },
  },
  required: ["id", "type", "attributes", "relationships"],
} as const;
/** An organization invite (JSON:API resource object, snake_case attributes). */
export type OrgInvite = FromSchema<typeof orgInviteSchema>;

/** `{data: invite}` document (get, create, accept). */
export const orgInviteDocumentSchema = {
  type: "object",
  properties: { data: orgInviteSchema },
  required: ["data"],
} as const;
/** A single-invite JSON:API document. */
export type OrgInviteDocument = FromSchema<typeof orgInviteDocumentSchema>;

/** `{data: [invite], meta.pagination, links.next}` document (list). */
export const orgInviteListDocumentSchema = {
  type: "object",
  properties: {
    data: { type: "array", items: orgInviteSchema },
    meta: {
      type: "object",
      properties: {
        pagination: {
          type: "object",
          properties: {
            page: { type: "integer" },
            per_page: { type: "integer" },
            total_count: { type: "integer" },
            total_pages: { type: "integer" },
          },
        },
      },
    },
    links: {
      type: "object",
      properties: {
        next: { anyOf: [{ type: "string" }, { type: "null" }, halLinkSchema] },
      },
    },
  },
  required: ["data"],
} as const;
/** A page of organization invites. */
export type OrgInviteListDocument = FromSchema<typeof orgInviteListDocumentSchema>;

/** Mode error body `{id, message}`. */
export const modeErrorSchema = {
  type: "object",
  properties: { id: { type: "string" }, message: { type: "string" } },
} as const;
/** Mode error body. */
export type ModeErrorBody = FromSchema<typeof modeErrorSchema>;

/** JSON:API error document. */
export const jsonApiErrorSchema = {
  type: "object",
  properties: {
    errors: {
      type: "array",
      items: {
        type: "object",
        properties: {
          status: { type: ["string", "number"] },
          title: { type: "string" },
          detail: { type: "string" },
          source: { type: "object", properties: { pointer: { type: "string" } } },
        },
      },
    },
  },
  required: ["errors"],
} as const;
/** JSON:API error document. */
export type JsonApiErrorBody = FromSchema<typeof jsonApiErrorSchema>;

/** The year-−4712 sentinel the org API reports for "not accepted" (any timestamp in year -4712). */
const NOT_ACCEPTED_SENTINEL = /^-0*4712-/;

/** True when the invite has been accepted (`accepted_at` is neither null, empty nor the -4712 sentinel). */
export function isOrgInviteAccepted(invite: OrgInvite): boolean {
  const at = invite.attributes.accepted_at;
  return typeof at === "string" && at.trim() !== "" && !NOT_ACCEPTED_SENTINEL.test(at.trim());
}

/** One schema violation: a JSON pointer into the data and what is wrong there. */
export interface SchemaFailure {
  /** JSON pointer of the offending value (`""` for the root). */
  pointer: string;
  /** ajv's message, e.g. `must be string`. */
  message: string;
}

/** Result of {@link validate}: the typed value, or the failures. */
export type ValidationResult<T> =
  { valid: true; value: T } | { valid: false; failures: SchemaFailure[]; message: string };

/** Compiles (once, cached by ajv) a schema with the shared {@link ajv} instance. */
export function compile<T>(schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema);
}

/** Turns ajv errors into failures; `required` errors point at the missing property itself. */
export function schemaFailures(errors: ErrorObject[] | null | undefined): SchemaFailure[] {
  return (errors ?? []).map((e) => {
    let pointer = e.instancePath;
    let message = e.message ?? "is invalid";
    if (e.keyword === "required" && typeof e.params.missingProperty === "string") {
      pointer = `${pointer}/${e.params.missingProperty}`;
      message = "is required";
    } else if (e.keyword === "enum" && Array.isArray(e.params.allowedValues)) {
      message = `must be one of ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(", ")}`;
    }
    return { pointer, message };
  });
}

/** Formats failures as `"<prefix> /x/y must be string"`, at most `max` of them joined by "; ". */
export function formatFailures(failures: SchemaFailure[], prefix = "field", max = 3): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const f of failures) {
    const line = `${prefix} ${f.pointer || "(root)"} ${f.message}`;
    if (!seen.has(line)) {
      seen.add(line);
      parts.push(line);
    }
  }
  const shown = parts.slice(0, max).join("; ");
  return parts.length > max ? `${shown}; and ${parts.length - max} more` : shown;
}

/** Validates `data` with a compiled schema; on failure returns the failures and a formatted message. */
export function validate<T>(fn: ValidateFunction<T>, data: unknown, prefix = "field"): ValidationResult<T> {
  if (fn(data)) return { valid: true, value: data };
  const failures = schemaFailures(fn.errors);
  return { valid: false, failures, message: formatFailures(failures, prefix) };
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
  get workspaceMembershipPage() {
    return compile<WorkspaceMembershipPage>(workspaceMembershipPageSchema);
  },
  get spaceMembership() {
    return compile<SpaceMembership>(spaceMembershipSchema);
  },
  get spaceMembershipPage() {
    return compile<SpaceMembershipPage>(spaceMembershipPageSchema);
  },
  get orgInviteDocument() {
    return compile<OrgInviteDocument>(orgInviteDocumentSchema);
  },
  get orgInviteListDocument() {
    return compile<OrgInviteListDocument>(orgInviteListDocumentSchema);
  },
  get modeError() {
    return compile<ModeErrorBody>(modeErrorSchema);
  },
  get jsonApiError() {
    return compile<JsonApiErrorBody>(jsonApiErrorSchema);
  },
};
