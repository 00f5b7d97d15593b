/**
 * Input validation shared by every resource's `check`: one ajv schema per resource is the source
 * of truth, its TypeScript type is derived from it, and this module turns it into Pulumi check
 * failures (one per bad property) while letting preview-time unknowns through.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type * as pulumi from "@pulumi/pulumi";
import { ajv } from "./client/schemas";

/** The placeholder the engine sends during preview for inputs that depend on unresolved outputs. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A property bag as the dynamic-provider host passes it (plain JSON values). */
export type PropertyBag = Record<string, unknown>;

/** True when `value` is the engine's unknown placeholder. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** The names of `props` (restricted to `keys`) whose value is unknown. */
export function unknownKeys(props: PropertyBag, keys: readonly string[]): string[] {
  return keys.filter((key) => isUnknown(props[key]));
}

/**
 * Schema fragments reused by the resource schemas. Path segments are restricted to characters an
 * account name, token or id can really hold, so `/`, `?`, `#`, `%`, `..` and spaces are refused in
 * `check` with a message naming the field, before anything is sent.
 */
export const fragments = {
  /** A Mode workspace/account username. */
  accountName: {
    type: "string",
    minLength: 1,
    maxLength: 100,
    pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$",
  },
  /** An opaque token or id used as a path segment (space, member, organization, invite). */
  token: {
    type: "string",
    minLength: 1,
    maxLength: 128,
    pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$",
  },
  /** An email address (trimmed before validation). */
  email: {
    type: "string",
    minLength: 3,
    maxLength: 254,
    pattern:
      "^[^\\s@\\u0000-\\u001f\\u007f]+@[^\\s@\\u0000-\\u001f\\u007f]+\\.[^\\s@\\u0000-\\u001f\\u007f]+$",
  },
} as const;

/** What a schema's fields look like to `checkInputs`: one validator per declared property. */
interface CompiledInputSchema {
  required: readonly string[];
  properties: Map<string, ValidateFunction>;
  trimmed: ReadonlySet<string>;
  secrets: ReadonlySet<string>;
  messages: Readonly<Record<string, string>>;
}

/** The shape of an input schema accepted by {@link compileInputSchema}. */
export interface InputSchema {
  readonly type: "object";
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, object>>;
  readonly additionalProperties: false;
}

/**
 * Compiles an input schema once. `trimmed` lists string properties whose surrounding whitespace
 * is removed before validation; `messages` gives a friendlier reason per property for pattern
 * failures (the raw ajv text is used otherwise); `secrets` lists properties whose value never
 * appears in a failure message.
 */
export function compileInputSchema(
  schema: InputSchema,
  options: {
    trimmed?: readonly string[];
    secrets?: readonly string[];
    messages?: Record<string, string>;
  } = {},
): CompiledInputSchema {
  const properties = new Map<string, ValidateFunction>();
  for (const [name, propertySchema] of Object.entries(schema.properties)) {
    properties.set(name, ajv.compile(propertySchema));
  }
  return {
    required: schema.required,
    properties,
    trimmed: new Set(options.trimmed ?? []),
    secrets: new Set(options.secrets ?? []),
    messages: options.messages ?? {},
  };
}

/**
 * Validates `news` against a compiled schema: trims the listed string fields, drops the reserved
 * `__provider` key from consideration, accepts the unknown placeholder in any field, and reports one
 * failure per bad property. Returns the normalized inputs (with `__provider` preserved).
 */
export function checkInputs(compiled: CompiledInputSchema, news: PropertyBag): pulumi.dynamic.CheckResult {
  const inputs: PropertyBag = { ...news };
  const failures: pulumi.dynamic.CheckFailure[] = [];
  for (const key of compiled.trimmed) {
    const value = inputs[key];
    if (typeof value === "string" && !isUnknown(value)) inputs[key] = value.trim();
  }
  for (const key of compiled.required) {
    const value = inputs[key];
    if (value === undefined || value === null || (typeof value === "string" && value === "")) {
      failures.push({ property: key, reason: `${key} is required and must not be empty` });
    }
  }
  for (const [key, value] of Object.entries(inputs)) {
    if (key === "__provider" || value === undefined || value === null || isUnknown(value)) continue;
    if (failures.some((failure) => failure.property === key)) continue;
    const validate = compiled.properties.get(key);
    if (!validate) {
      failures.push({ property: key, reason: `${key} is not an argument of this resource` });
      continue;
    }
    if (!validate(value)) {
      const reason = describe(
        key,
        value,
        validate.errors ?? [],
        compiled.messages,
        compiled.secrets.has(key),
      );
      failures.push({ property: key, reason });
    }
  }
  return { inputs, failures };
}

function describe(
  key: string,
  value: unknown,
  errors: ErrorObject[],
  messages: Readonly<Record<string, string>>,
  secret: boolean,
): string {
  const preview = (v: unknown): string => (secret ? "a secret value" : quote(v));
  const first = errors[0];
  if (!first) return `${key} is invalid`;
  if (first.keyword === "type")
    return `${key} must be a ${String(first.params.type)}, got ${typeName(value)}`;
  if (first.keyword === "enum") {
    const allowed = (first.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(" or ");
    return `${key} must be ${allowed}, got ${preview(value)}`;
  }
  if (first.keyword === "maxLength") {
    const length = typeof value === "string" ? `, got ${String(value.length)}` : "";
    return `${key} must be at most ${String(first.params.limit)} characters${length}`;
  }
  if (first.keyword === "minLength" && typeof value === "string" && value.trim() === "") {
    return `${key} must not be empty`;
  }
  return messages[key]
    ? `${messages[key]}, got ${preview(value)}`
    : `${key} ${first.message ?? "is invalid"}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

/** A short, quoted rendering of a bad value for error messages (never used for secret fields). */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
