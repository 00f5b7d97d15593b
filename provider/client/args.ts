import { meets, RULES, type StringRule } from "../rules";
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
   * Checks a value used as one path segment against its rule (the same rule the resource's `check`
   * applies) and returns it percent-encoded. The rules admit no `/`, `?`, `#`, `%`, spaces or `..`,
   * and the encoding keeps any value on the endpoint it was meant for.
   */
  segment(name: string, value: unknown, rule: StringRule): string {
    return encodeURIComponent(this.rule(name, value, rule));
  }

  /**
   * Checks a string against `rule`; fails with the rule's description of a valid value, quoting the
   * value unless it is `secret`.
   */
  rule(name: string, value: unknown, rule: StringRule, secret = false): string {
    if (typeof value !== "string") this.fail(name, "must be a string");
    if (rule.minLength > 0 && value.trim() === "") this.fail(name, "must be a non-empty string");
    if (!meets(rule, value)) {
      this.fail(name, `must be ${rule.expected} (got ${secret ? "a secret value" : describe(value)})`);
    }
    return value;
  }

  /** Checks an email address with {@link RULES.email}. */
  email(name: string, value: unknown): string {
    return this.rule(name, value, RULES.email);
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

/** A value as shown in an argument error: quoted, and cut after 60 characters. */
function describe(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
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
