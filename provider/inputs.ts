/**
 * Schemas at the provider's boundary. One ajv schema per resource is the source of truth for its
 * inputs and one for its stored state; their TypeScript types are derived from them. Values enter a
 * resource only through {@link ObjectSchema.check} (inputs from the program, with the engine's
 * unknown placeholder allowed) or {@link ObjectSchema.parse} (known values: inputs at create/update,
 * state coming back from the engine), and are typed objects from then on.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type * as pulumi from "@pulumi/pulumi";
import { ajv } from "./json-schema";
import { RULES, type StringRule } from "./rules";

/** The placeholder the engine sends during preview for inputs that depend on unresolved outputs. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A property bag as the dynamic-provider host passes it (plain JSON values). */
export type PropertyBag = Record<string, unknown>;

/** The key under which the dynamic-provider host keeps the serialized provider in inputs and state. */
const PROVIDER_KEY = "__provider";

/** True when `value` is the engine's unknown placeholder. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/**
 * True when `value` is unknown or holds an unknown anywhere inside: an element of a list input, or a
 * field of an object in a list (e.g. `grants: [{ group: analysts.token }]` while the group is not
 * created yet). Either way its final value is not known yet.
 */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

/** The JSON Schema of an object whose properties are declared once (`as const`). */
export interface ObjectSchemaSource {
  readonly type: "object";
  readonly required: readonly string[];
  readonly properties: Readonly<Record<string, object>>;
  readonly additionalProperties: boolean;
}

/** Options of an {@link ObjectSchema}, naming fields by the schema's own keys. */
export interface ObjectSchemaOptions<K extends string> {
  /** String fields whose surrounding whitespace is removed before validation. */
  readonly trimmed?: readonly K[];
  /** Fields whose value never appears in a failure message. */
  readonly secrets?: readonly K[];
}

/**
 * A compiled object schema with its derived type `T`. Validators are compiled on first use, so a
 * provider process only pays for the resources it serves.
 */
export class ObjectSchema<T extends object> {
  private validators?: Map<string, ValidateFunction>;
  private whole?: ValidateFunction;
  private readonly trimmed: ReadonlySet<string>;
  private readonly secrets: ReadonlySet<string>;

  /** `what` names the values in errors, e.g. "inputs of mode:WorkspaceInvite". */
  constructor(
    readonly source: ObjectSchemaSource,
    private readonly what: string,
    options: ObjectSchemaOptions<keyof T & string> = {},
  ) {
    this.trimmed = new Set(options.trimmed ?? []);
    this.secrets = new Set(options.secrets ?? []);
  }

  /** The declared property names. */
  get keys(): (keyof T & string)[] {
    return Object.keys(this.source.properties) as (keyof T & string)[];
  }

  /**
   * Validates inputs from the program for `check`: trims the listed fields, accepts the unknown
   * placeholder in any field, as any element of an array field and inside an element (the wholly
   * known elements are still validated), and reports one failure per bad property. Returns the normalized
   * inputs (the host's `__provider` key preserved).
   */
  check(news: PropertyBag): { inputs: PropertyBag; failures: pulumi.dynamic.CheckFailure[] } {
    const inputs = this.trim({ ...news });
    const failures: pulumi.dynamic.CheckFailure[] = [];
    for (const key of this.source.required) {
      const value = inputs[key];
      if (value === undefined || value === null || value === "") {
        failures.push({ property: key, reason: `${key} is required and must not be empty` });
      }
    }
    for (const [key, value] of Object.entries(inputs)) {
      if (key === PROVIDER_KEY || value === undefined || value === null || isUnknown(value)) continue;
      if (failures.some((failure) => failure.property === key)) continue;
      const validate = this.property(key);
      // Elements of a list that are (or hold) unknowns are validated when known (at `up`); the rest now.
      const known = Array.isArray(value) ? value.filter((item) => !containsUnknown(item)) : value;
      if (!validate) {
        failures.push({ property: key, reason: `${key} is not an argument of this resource` });
      } else if (!validate(known)) {
        failures.push({ property: key, reason: this.describe(key, known, validate.errors ?? []) });
      }
    }
    return { inputs, failures };
  }

  /**
   * Narrows a bag of known values (no unknowns) to `T`: trims, keeps only declared fields (so
   * `__provider`, and state written by another version of this package, pass), drops nulls where
   * the schema has none, and
   * validates the whole object. Throws an error naming every bad field when it does not fit.
   */
  parse(bag: PropertyBag): T {
    const value: PropertyBag = {};
    const trimmed = this.trim({ ...bag });
    for (const [key, schema] of Object.entries(this.source.properties)) {
      const field = trimmed[key];
      if (field !== undefined && (field !== null || acceptsNull(schema))) value[key] = field;
    }
    this.whole ??= ajv.compile(this.source);
    if (this.whole(value)) return value as T;
    const reasons = (this.whole.errors ?? []).map((error) => {
      const key = error.instancePath.split("/")[1] || String(error.params.missingProperty ?? "");
      return error.keyword === "required" ? `${key} is missing` : this.describe(key, value[key], [error]);
    });
    throw new Error(`The ${this.what} are not valid: ${[...new Set(reasons)].join("; ")}.`);
  }

  private trim(bag: PropertyBag): PropertyBag {
    const trim = (value: unknown): unknown =>
      typeof value === "string" && !isUnknown(value) ? value.trim() : value;
    for (const key of this.trimmed) {
      const value = bag[key];
      if (value !== undefined) bag[key] = Array.isArray(value) ? value.map(trim) : trim(value);
    }
    return bag;
  }

  private property(key: string): ValidateFunction | undefined {
    if (!this.validators) {
      this.validators = new Map();
      for (const [name, schema] of Object.entries(this.source.properties)) {
        this.validators.set(name, ajv.compile(schema));
      }
    }
    return this.validators.get(key);
  }

  private describe(key: string, value: unknown, errors: ErrorObject[]): string {
    const first = errors[0];
    if (!first) return `${key} is invalid`;
    const schema = this.source.properties[key];
    // An element of a list (or a field of one): name it by its index (and field) and describe it by
    // the items' schema (or the field's).
    const element = /^\/(\d+)(?:\/([^/]+))?$/.exec(first.instancePath);
    if (element && Array.isArray(value)) {
      const index = Number(element[1]);
      const items = (schema as { items?: { properties?: Record<string, object> } } | undefined)?.items;
      const field = element[2];
      if (field === undefined)
        return this.explain(key, `${key}[${String(index)}]`, value[index], first, items);
      const item: unknown = value[index];
      const fieldValue = typeof item === "object" && item !== null ? (item as PropertyBag)[field] : undefined;
      const label = `${key}[${String(index)}].${field}`;
      return this.explain(key, label, fieldValue, first, items?.properties?.[field]);
    }
    return this.explain(key, key, value, first, schema);
  }

  private explain(
    key: string,
    label: string,
    value: unknown,
    first: ErrorObject,
    schema: object | undefined,
  ): string {
    const shown = (v: unknown): string => (this.secrets.has(key) ? "a secret value" : quote(v));
    if (first.keyword === "type")
      return `${label} must be ${article(String(first.params.type))}, got ${typeName(value)}`;
    if (first.keyword === "enum") {
      const allowed = (first.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(" or ");
      return `${label} must be ${allowed}, got ${shown(value)}`;
    }
    if (first.keyword === "maxLength") {
      const length = typeof value === "string" ? `, got ${String([...value].length)}` : "";
      return `${label} must be at most ${String(first.params.limit)} characters${length}`;
    }
    if (first.keyword === "minLength" && typeof value === "string" && value.trim() === "") {
      return `${label} must not be empty`;
    }
    if (first.keyword === "maxItems") {
      return `${label} must have at most ${String(first.params.limit)} elements`;
    }
    const rule = ruleOf(schema);
    return rule
      ? `${label} must be ${rule.expected}, got ${shown(value)}`
      : `${label} ${first.message ?? "is invalid"}`;
  }
}

/** The rule a property schema was built from (matched by its pattern), if any. */
function ruleOf(schema: object | undefined): StringRule | undefined {
  const pattern = (schema as { pattern?: unknown } | undefined)?.pattern;
  return Object.values(RULES).find(
    (rule: StringRule) => rule.pattern !== undefined && rule.pattern === pattern,
  );
}

/** True when a property schema's `type` admits null. */
function acceptsNull(schema: object): boolean {
  const type = (schema as { type?: unknown }).type;
  return type === "null" || (Array.isArray(type) && type.includes("null"));
}

/** `a string`, `an array`. */
function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return article(typeof value);
}

/** A short, quoted rendering of a bad value for error messages (never used for secret fields). */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}
