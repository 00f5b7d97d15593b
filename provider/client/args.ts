import { invalidArgument, type ApiName } from "./errors";

/**
 * Argument checks run before any request (go-tfe `valid()` style). Each throws ApiError
 * `invalid_argument` (status 0) naming the argument; none ever echoes a credential.
 */
export class ArgChecker {
  /** Creates a checker for one call; `method` and `path` (a template like `/{workspace}/invites`) go into errors. */
  constructor(
    private readonly api: ApiName,
    private readonly method: string,
    private readonly path: string,
  ) {}

  /** Fails with `name: why`. */
  fail(name: string, why: string): never {
    throw invalidArgument(this.api, this.method, this.path, `${name} ${why}`);
  }

  /**
   * Checks a value used as one path segment and returns it percent-encoded. Rejects empty strings,
   * whitespace-only strings and the segments `.` and `..` (which URL normalisation would remove).
   */
  segment(name: string, value: unknown): string {
    if (typeof value !== "string") this.fail(name, "must be a string");
    if (value.trim() === "") this.fail(name, "must be a non-empty string");
    if (value === "." || value === "..") this.fail(name, `must not be "${value}"`);
    if (value.length > 1024) this.fail(name, "is too long (over 1024 characters)");
    return encodeURIComponent(value);
  }

  /** Checks a non-empty string that is not a path segment (e.g. a body field). */
  nonEmpty(name: string, value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") this.fail(name, "must be a non-empty string");
    return value;
  }

  /** Checks a well-formed email address (one `@`, a dot in the domain, no spaces, at most 254 chars). */
  email(name: string, value: unknown): string {
    if (typeof value !== "string" || value.trim() === "")
      this.fail(name, "must be a non-empty email address");
    if (value.length > 254 || !isEmail(value))
      this.fail(name, `must be a well-formed email address (got ${JSON.stringify(value)})`);
    return value;
  }

  /** Checks that `value` is one of `allowed`. */
  oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      this.fail(name, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    }
    return value as T;
  }

  /** Checks an integer in [min, max]. */
  intRange(name: string, value: unknown, min: number, max: number): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(name, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }
}

/** A pragmatic email check: `local@domain.tld`, no whitespace, no second `@`. */
export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);
}

/** Checks a credential: non-empty, no whitespace/control characters (never echoes the value). */
export function checkCredential(api: ApiName, name: string, value: unknown, forbidColon = false): string {
  const fail = (why: string) => {
    throw invalidArgument(api, "", "", `${name} ${why}`);
  };
  if (typeof value !== "string" || value.trim() === "") fail("must be a non-empty string");
  const v = value as string;
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(v)) fail("must not contain whitespace or control characters");
  if (forbidColon && v.includes(":")) fail('must not contain ":"');
  return v;
}
