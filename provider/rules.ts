/**
 * Every rule a value must meet before anything is sent, defined once. Resource `check` builds its
 * JSON Schemas from these rules and the API clients test their arguments with the same rules, so
 * `pulumi preview` and `pulumi up` can never disagree about a value.
 */

/** A rule for a string value: length bounds, an optional pattern, and how to describe it to a user. */
export interface StringRule {
  readonly minLength: number;
  readonly maxLength: number;
  /** A JavaScript regular expression source, matched with the `u` flag (as ajv does). */
  readonly pattern?: string;
  /** What a valid value looks like, completing "<field> must be …". */
  readonly expected: string;
}

/** Characters that never appear in an email address: whitespace, `@` and control characters. */
const EMAIL_CHAR = "[^\\s@\\u0000-\\u001f\\u007f]";
/** The same, also excluding `.`: one label of an email domain. */
const EMAIL_LABEL = "[^\\s@.\\u0000-\\u001f\\u007f]+";

/** Text without control characters that neither starts nor ends with whitespace (a name). */
const VISIBLE_TEXT =
  "[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f])?";

/** The rules, by what the value is. */
export const RULES = {
  /** A Mode workspace or user username (used as a path segment). */
  accountName: {
    minLength: 1,
    maxLength: 100,
    pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    expected: "a Mode username (letters, digits, '_', '-', '.')",
  },
  /** An opaque token or id used as a path segment (space, member, organization, invite). */
  token: {
    minLength: 1,
    maxLength: 128,
    pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$",
    expected: "a token (letters, digits, '_', '-')",
  },
  /**
   * An email address: `local@domain.tld`, one `@`, a domain of non-empty dot-separated labels (so
   * `a@b..c` and `a@b.c.` are refused), no whitespace or control characters, unicode allowed.
   */
  email: {
    minLength: 3,
    maxLength: 254,
    pattern: `^${EMAIL_CHAR}+@${EMAIL_LABEL}(\\.${EMAIL_LABEL})+$`,
    expected: "an email address like name@example.com",
  },
  /** An organization invite's acceptance code. */
  inviteCode: {
    minLength: 1,
    maxLength: 256,
    pattern: "^[A-Za-z0-9_-]+$",
    expected: "the invite's code (letters, digits, '_', '-')",
  },
  /** A workspace invite's message (Mode refuses more than 1,000 characters). */
  inviteMessage: {
    minLength: 0,
    maxLength: 1000,
    expected: "at most 1,000 characters",
  },
  /**
   * A group's name: 1..255 characters (Mode's limit), no control characters, no leading or trailing
   * whitespace (Mode trims names, so a padded name would differ from Mode's copy on every read).
   */
  groupName: {
    minLength: 1,
    maxLength: 255,
    pattern: `^${VISIBLE_TEXT}$`,
    expected: "a name of 1 to 255 characters without control characters or leading/trailing spaces",
  },
  /** A collection's (space's) name: the same shape as a group's name (Mode trims it; 1..255 characters). */
  collectionName: {
    minLength: 1,
    maxLength: 255,
    pattern: `^${VISIBLE_TEXT}$`,
    expected: "a name of 1 to 255 characters without control characters or leading/trailing spaces",
  },
  /**
   * A collection's description: at most 10,000 characters (Mode publishes no limit; this one keeps
   * requests small), line breaks and tabs allowed, no other control characters.
   */
  collectionDescription: {
    minLength: 0,
    maxLength: 10_000,
    pattern: "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
    expected: "at most 10,000 characters without control characters other than line breaks and tabs",
  },
} as const satisfies Record<string, StringRule>;

/** What a space member can be. */
export const MEMBER_TYPES = ["User", "UserGroup"] as const;

/** What a permission's accessor can be: a member (`Account`, by user token) or a group (`UserGroup`). */
export const ACCESSOR_TYPES = ["Account", "UserGroup"] as const;

/** An accessor type. */
export type AccessorType = (typeof ACCESSOR_TYPES)[number];

/** What a permission on a collection (space) allows. */
export const COLLECTION_ACTIONS = ["view", "edit"] as const;

/** A collection permission's action. */
export type CollectionAction = (typeof COLLECTION_ACTIONS)[number];

/** What a permission on a data source (database connection) allows. */
export const DATA_SOURCE_ACTIONS = ["view", "query", "manage"] as const;

/** A data-source permission's action. */
export type DataSourceAction = (typeof DATA_SOURCE_ACTIONS)[number];

/** A collection's default access level (`restricted`: only those granted a permission see it). */
export const DEFAULT_ACCESS_LEVELS = ["restricted", "view", "edit"] as const;

/** A collection's default access level. */
export type DefaultAccessLevel = (typeof DEFAULT_ACCESS_LEVELS)[number];

/** The roles an organization invite can grant besides a plain member. */
export const INVITE_ROLES = ["admin"] as const;

/** The name of a rule. */
export type RuleName = keyof typeof RULES;

const compiled = new Map<string, RegExp>();

/** True when `value` meets `rule` (length and pattern). */
export function meets(rule: StringRule, value: string): boolean {
  // Lengths count code points, as ajv's minLength/maxLength do.
  const length = [...value].length;
  if (length < rule.minLength || length > rule.maxLength) return false;
  if (rule.pattern === undefined) return true;
  let regexp = compiled.get(rule.pattern);
  if (!regexp) {
    regexp = new RegExp(rule.pattern, "u");
    compiled.set(rule.pattern, regexp);
  }
  return regexp.test(value);
}

/** The JSON Schema of a string that meets `rule` (what resource input schemas are built from). */
export function stringSchema<R extends StringRule>(
  rule: R,
): {
  readonly type: "string";
  readonly minLength: number;
  readonly maxLength: number;
  readonly pattern?: string;
} {
  return rule.pattern === undefined
    ? { type: "string", minLength: rule.minLength, maxLength: rule.maxLength }
    : { type: "string", minLength: rule.minLength, maxLength: rule.maxLength, pattern: rule.pattern };
}

/**
 * Mode usernames are unique regardless of case (the emulator follows this; see emulator/README.md), so
 * `Ada` and `ada` name the same member.
 */
export function sameUsername(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Emails compare case-insensitively (Mode and the organization-invites API both do). */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Group names are unique among a workspace's active groups regardless of case (Mode refuses a
 * duplicate with a 400), so `Analysts` and `analysts` name the same group.
 */
export function sameGroupName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Marks a resource input that the program replaced by a claim conflict (see sdk/claims.ts): the
 * rest of the value is the message, and `check` reports it as that input's failure, so the resource
 * fails in preview and up before anything is sent.
 */
export const CLAIM_CONFLICT = "[pulumi-mode claim conflict] ";

/** Mode's public API base URL, the default of `mode:apiUrl` (the organization-invites API has none). */
export const DEFAULT_MODE_API_URL = "https://app.mode.com/api";
