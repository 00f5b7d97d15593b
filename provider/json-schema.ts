/**
 * The one ajv instance of the provider: it compiles the API clients' response schemas and the
 * resources' input and state schemas alike, so both follow the same JSON Schema settings.
 */
import Ajv from "ajv";

/** The shared ajv instance (all errors, union types allowed, strict schemas). */
export const ajv = new Ajv({ allErrors: true, allowUnionTypes: true, strict: true });
