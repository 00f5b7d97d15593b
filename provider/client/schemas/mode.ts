/**
 * The Mode API's objects and lists, one JSON Schema each, transcribed from Mode's published OpenAPI
 * description (`mode/api-swagger`, `swagger.yaml`); the definition each one comes from is named
 * beside it (`// swagger: Name`). The same schemas validate the clients' responses and, in
 * `tests/unit/conformance.test.ts`, every response the emulator produces.
 *
 * Transcribed as published: property types and the `required` lists. Widened on purpose, and only
 * here (docs/api-conformance.md lists each case):
 * - a value the published description types as a string while Mode's documentation samples show a
 *   number or a boolean (`inviter_id`, `invitee_id`, `organization_id`, `member_id`, `limited`) accepts
 *   both; a value published as an integer (the Pagination counts) also accepts a string of digits;
 * - a timestamp accepts `null` (the moment has not happened yet: `activated_at` of an invited member,
 *   `accepted_at` of a pending invite), and so does a space membership's `email` (a user group has none);
 * - `type: "object"`, implied by the published `properties`, is stated.
 * The published definitions are open (no `additionalProperties: false`); so are these.
 */

import { flag, integerOrDigits, stringOrBoolean, stringOrNumber, text, timestamp } from "./values";

// swagger: Link
/** A HAL link: `{href, templated?}`. */
export const linkSchema = {
  type: "object",
  properties: { href: text, templated: flag },
  required: ["href"],
} as const;

// swagger: Pagination
/** The `pagination` object of every Mode list: `first_page` and `last_page` are hrefs. */
export const paginationSchema = {
  type: "object",
  properties: {
    first_page: text,
    last_page: text,
    total_pages: integerOrDigits,
    total_count: integerOrDigits,
  },
  required: ["first_page", "last_page", "total_pages", "total_count"],
} as const;

// swagger: MembershipsLinks, SpaceMembershipsLinks, UserGroupsLinks, UserGroupMembershipsLinks,
// SpacesLinks, DataSourcesLinks (all published identically)
/** `_links` of a Mode list: `self`, and `next_page` / `prev_page` around the page. */
export const listLinksSchema = {
  type: "object",
  properties: { self: linkSchema, next_page: linkSchema, prev_page: linkSchema },
  required: ["self"],
} as const;

// swagger: Invite (+ InviteLinks, InviteEmbeds)
/** A workspace invite (`POST /{workspace}/invites`). `_links.invitee` is optional as published. */
export const modeInviteSchema = {
  type: "object",
  properties: {
    email: text,
    message: text,
    inviter_id: stringOrNumber,
    invitee_id: stringOrNumber,
    organization_id: stringOrNumber,
    limited: stringOrBoolean,
    sent_at: timestamp,
    resent_at: timestamp,
    clicked_at: timestamp,
    accepted_at: timestamp,
    expires_at: timestamp,
    created_at: timestamp,
    _links: {
      type: "object",
      properties: { inviter: linkSchema, invitee: linkSchema, web_self_resend: linkSchema },
      required: ["inviter", "web_self_resend"],
    },
    _embedded: { type: "object" },
  },
  required: [
    "_links",
    "email",
    "message",
    "inviter_id",
    "invitee_id",
    "organization_id",
    "limited",
    "expires_at",
    "created_at",
  ],
} as const;

// swagger: Membership (+ MembershipLinks, MembershipEmbeds)
/** A workspace membership; `member_token` is the membership token used in paths. */
export const workspaceMembershipSchema = {
  type: "object",
  properties: {
    admin: flag,
    invited: flag,
    state: text,
    member_username: text,
    member_token: text,
    activated_at: timestamp,
    managed_by_scim: flag,
    // Not in the published definition; Mode's documentation sample shows it (a boolean).
    limited: stringOrBoolean,
    _links: {
      type: "object",
      properties: {
        self: linkSchema,
        web_self: linkSchema,
        web_self_unban: linkSchema,
        web_self_approve: linkSchema,
        organization: linkSchema,
        user: linkSchema,
        web_self_download_profile: linkSchema,
        web_self_confirm_destroy: linkSchema,
        groups: linkSchema,
      },
      required: ["self", "web_self", "organization", "groups"],
    },
    _embedded: { type: "object" },
  },
  required: ["_links", "admin", "state", "member_username", "member_token", "activated_at"],
} as const;

// swagger: Memberships (+ MembershipsLinks, MembershipsEmbeds)
/**
 * A page of `GET /{workspace}/memberships`. The published `MembershipsEmbeds` names no key; the items
 * are under `memberships` (API-CONTRACT.md).
 */
export const workspaceMembershipsSchema = {
  type: "object",
  properties: {
    pagination: paginationSchema,
    _links: listLinksSchema,
    _embedded: {
      type: "object",
      properties: { memberships: { type: "array", items: workspaceMembershipSchema } },
    },
  },
  required: ["_links"],
} as const;

// swagger: SpaceMembership (+ SpaceMembershipLinks, SpaceMembershipEmbeds)
/** A space (collection) membership; `token` is the space-membership token used in paths. */
export const spaceMembershipSchema = {
  type: "object",
  properties: {
    token: text,
    member_token: text,
    member_type: text,
    member_id: stringOrNumber,
    email: { type: ["string", "null"] },
    _links: {
      type: "object",
      properties: { self: linkSchema, member: linkSchema, creator: linkSchema },
      required: ["self", "member"],
    },
    _embedded: { type: "object" },
  },
  required: ["_links", "token", "member_token", "member_type", "member_id"],
} as const;

// swagger: SpaceMemberships (+ SpaceMembershipsLinks, SpaceMembershipsEmbeds)
/**
 * A page of `GET /{account}/spaces/{space}/memberships`. The published `SpaceMembershipsEmbeds` names
 * no key: the items are under `memberships` (what the emulator serves) or `space_memberships`.
 */
export const spaceMembershipsSchema = {
  type: "object",
  properties: {
    pagination: paginationSchema,
    _links: listLinksSchema,
    _embedded: {
      type: "object",
      properties: {
        memberships: { type: "array", items: spaceMembershipSchema },
        space_memberships: { type: "array", items: spaceMembershipSchema },
      },
    },
  },
  required: ["_links"],
} as const;

/** The error ids of Mode's published error definitions, in the order they are published. */
export const MODE_ERROR_IDS = [
  "bad_request",
  "forbidden",
  "internal_server_error",
  "not_found",
  "param_missing",
  "payload_too_large",
  "rate_limited",
  "service_unavailable",
  "unauthorized",
] as const;

/** A Mode error id (the `id` of an error body). */
export type ModeErrorId = (typeof MODE_ERROR_IDS)[number];

/** One published error definition: `{id, message}`, both required, `id` the one value of its enum. */
function errorBody<const Id extends ModeErrorId>(id: Id) {
  return {
    type: "object",
    properties: { id: { type: "string", enum: [id] }, message: text },
    required: ["id", "message"],
  } as const;
}

/** swagger: BadRequest */
export const badRequestSchema = errorBody("bad_request");
/** swagger: Forbidden */
export const forbiddenSchema = errorBody("forbidden");
/** swagger: InternalServerError */
export const internalServerErrorSchema = errorBody("internal_server_error");
/** swagger: NotFound */
export const notFoundSchema = errorBody("not_found");
/** swagger: ParamMissing */
export const paramMissingSchema = errorBody("param_missing");
/** swagger: PayloadTooLarge */
export const payloadTooLargeSchema = errorBody("payload_too_large");
/** swagger: RateLimited */
export const rateLimitedSchema = errorBody("rate_limited");
/** swagger: ServiceUnavailable */
export const serviceUnavailableSchema = errorBody("service_unavailable");
/** swagger: Unauthorized */
export const unauthorizedSchema = errorBody("unauthorized");

/** Any of the published error bodies: `{id, message}` with `id` one of {@link MODE_ERROR_IDS}. */
export const modeErrorSchema = {
  type: "object",
  properties: { id: { type: "string", enum: MODE_ERROR_IDS }, message: text },
  required: ["id", "message"],
} as const;

/**
 * The published error definition of each status the Mode API answers with (the statuses the
 * published description names, plus 413/429/503 whose definitions it publishes without naming a
 * route; 400 may also be ParamMissing). Statuses without a definition (405, 415, 502, 504) carry any
 * published id: see docs/api-conformance.md for which.
 */
export const MODE_ERROR_SCHEMAS: Readonly<Record<number, readonly object[]>> = {
  400: [badRequestSchema, paramMissingSchema],
  401: [unauthorizedSchema],
  403: [forbiddenSchema],
  404: [notFoundSchema],
  413: [payloadTooLargeSchema],
  429: [rateLimitedSchema],
  500: [internalServerErrorSchema],
  503: [serviceUnavailableSchema],
};
