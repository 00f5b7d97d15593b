/**
 * The organization-invites API's documents (JSON:API), one JSON Schema each, from its documentation
 * page (api-reference/003): the invite resource object, the single and list documents, the error
 * document. Mode's published OpenAPI description does not cover this API.
 */

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

/** `{data: invite}` document (get, create, accept). */
export const orgInviteDocumentSchema = {
  type: "object",
  properties: { data: orgInviteSchema },
  required: ["data"],
} as const;

/** A HAL-style link object, accepted where the org API's `links.next` is an object. */
const hrefLink = {
  type: "object",
  properties: { href: { type: "string" } },
  required: ["href"],
} as const;

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
        next: { anyOf: [{ type: "string" }, { type: "null" }, hrefLink] },
      },
    },
  },
  required: ["data"],
} as const;

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
