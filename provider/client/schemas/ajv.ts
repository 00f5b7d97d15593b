import type { ErrorObject, ValidateFunction } from "ajv";
import { ajv } from "../../json-schema";

export { ajv };

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
