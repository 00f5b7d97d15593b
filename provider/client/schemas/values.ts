/**
 * The value types of Mode's schemas, declared once: where Mode's published OpenAPI description and
 * its documentation samples disagree on a value's type, the clients accept both (API-CONTRACT.md).
 */

/** A value published as a string that Mode's samples show as a number (ids, counts). */
export const stringOrNumber = { type: ["string", "number"] } as const;
/** A value published as a string that Mode's samples show as a boolean (`limited`, `managed`). */
export const stringOrBoolean = { type: ["string", "boolean"] } as const;
/** A value published as an integer; a string of digits is accepted too (Pagination counts). */
export const integerOrDigits = { type: ["integer", "string"], pattern: "^[0-9]+$" } as const;
/** An id published as an integer here and as a string elsewhere in Mode (a Space's `id`). */
export const integerOrString = { type: ["integer", "string"] } as const;
/** A timestamp (published as a string); `null` while the moment has not happened. */
export const timestamp = { type: ["string", "null"] } as const;
/** A string. */
export const text = { type: "string" } as const;
/** A boolean. */
export const flag = { type: "boolean" } as const;
