/**
 * The command line's credentials and endpoint: the provider's settings table (`provider/settings.ts`:
 * the same environment variables, read the same way), with a flag for each instead of Pulumi config,
 * which does not exist outside a program. A flag wins over its variable. A missing credential names
 * both; no message ever contains a credential's value.
 */
import { ModeClient } from "../provider/client";
import { SETTINGS, Settings, type SettingName } from "../provider/settings";

/** The Mode settings the command line reads, and their flags. */
export const CLI_SETTINGS = [
  { name: "apiUrl", flag: "--api-url", placeholder: "url" },
  { name: "apiToken", flag: "--api-token", placeholder: "token" },
  { name: "apiSecret", flag: "--api-secret", placeholder: "secret" },
] as const satisfies readonly { name: SettingName; flag: string; placeholder: string }[];

/** The values of the credential flags, by setting name (commander's camelCase option names). */
export type CredentialFlags = Partial<Record<(typeof CLI_SETTINGS)[number]["name"], string>>;

/** Raised when a credential is set neither by its flag nor by its variable (a usage error). */
export class MissingCredentialError extends Error {
  constructor(name: (typeof CLI_SETTINGS)[number]["name"]) {
    const entry = CLI_SETTINGS.find((s) => s.name === name);
    const source = SETTINGS[name];
    super(
      `The ${source.description} is not set: pass ${entry?.flag ?? ""} <${entry?.placeholder ?? "value"}> or set ` +
        `the ${source.envVar} environment variable.`,
    );
    this.name = "MissingCredentialError";
  }
}

/** How to set the Mode credentials, for the advice of a 401 or 403. */
export function cliCredentialsHint(): string {
  return CLI_SETTINGS.filter((s) => s.name !== "apiUrl")
    .map((s) => `${s.flag} or ${SETTINGS[s.name].envVar}`)
    .join(", ");
}

/**
 * The Mode client for the flags and environment, built as the provider's `modeClientFor` builds it
 * (same client, same per-host limiter and retries).
 */
export function cliModeClient(flags: CredentialFlags, env: NodeJS.ProcessEnv): ModeClient {
  const settings = new Settings((key) => {
    const entry = CLI_SETTINGS.find((s) => SETTINGS[s.name].configKey === key);
    return entry === undefined ? undefined : flags[entry.name];
  }, env);
  const required = (name: "apiToken" | "apiSecret"): string => {
    const value = settings.get(name);
    if (value === undefined) throw new MissingCredentialError(name);
    return value;
  };
  return new ModeClient({
    apiUrl: settings.modeApiUrl(),
    token: required("apiToken"),
    secret: required("apiSecret"),
    credentialsHint: cliCredentialsHint(),
  });
}
