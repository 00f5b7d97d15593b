/**
 * Credentials and endpoints, read inside the provider process at run time: Pulumi config first
 * (`mode:*`, secrets allowed), then the environment. They are never resource inputs or outputs and
 * are never captured by the serialized provider.
 */
import { DEFAULT_MODE_API_URL } from "./rules";

/** One setting: its Pulumi config key and its environment variable. */
export interface SettingSource {
  /** Pulumi config key, e.g. `mode:apiToken`. */
  readonly configKey: string;
  /** Environment variable, e.g. `MODE_API_TOKEN`. */
  readonly envVar: string;
  /** Whether the value is a credential (shown as `--secret` in the how-to-set hint). */
  readonly secret: boolean;
  /** What the setting is, for error messages. */
  readonly description: string;
}

/** Every setting the provider reads. */
export const SETTINGS = {
  apiUrl: {
    configKey: "mode:apiUrl",
    envVar: "MODE_API_URL",
    secret: false,
    description: "Mode API base URL",
  },
  apiToken: {
    configKey: "mode:apiToken",
    envVar: "MODE_API_TOKEN",
    secret: true,
    description: "Mode API token",
  },
  apiSecret: {
    configKey: "mode:apiSecret",
    envVar: "MODE_API_SECRET",
    secret: true,
    description: "Mode API secret",
  },
  orgApiUrl: {
    configKey: "mode:orgApiUrl",
    envVar: "MODE_ORG_API_URL",
    secret: false,
    description: "organization-invites API base URL",
  },
  orgApiToken: {
    configKey: "mode:orgApiToken",
    envVar: "MODE_ORG_API_TOKEN",
    secret: true,
    description: "organization-invites API bearer token",
  },
} as const satisfies Record<string, SettingSource>;

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;

/** How to set a setting: "run `pulumi config set [--secret] <key> <value>` or set the <VAR> environment variable". */
export function howToSet(source: SettingSource): string {
  const secretFlag = source.secret ? "--secret " : "";
  return `run \`pulumi config set ${secretFlag}${source.configKey} <value>\` or set the ${source.envVar} environment variable`;
}

/** Looks a config key up; returns undefined when it is not set. */
export type ConfigLookup = (key: string) => string | undefined;

/** Raised when a required setting is missing; the message names both ways to set it. */
export class MissingSettingError extends Error {
  /** The missing setting. */
  readonly setting: SettingName;
  constructor(setting: SettingName) {
    const source = SETTINGS[setting];
    super(`The ${source.description} is not set: ${howToSet(source)}.`);
    this.name = "MissingSettingError";
    this.setting = setting;
  }
}

/**
 * Resolves settings from Pulumi config, then the environment. Empty or whitespace-only values
 * count as unset.
 */
export class Settings {
  constructor(
    private readonly config: ConfigLookup = () => undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The value of a setting, or undefined. */
  get(name: SettingName): string | undefined {
    const source = SETTINGS[name];
    for (const value of [this.config(source.configKey), this.env[source.envVar]]) {
      if (typeof value === "string" && value.trim() !== "") return value.trim();
    }
    return undefined;
  }

  /** The value of a setting; throws {@link MissingSettingError} when it is missing. */
  require(name: SettingName): string {
    const value = this.get(name);
    if (value === undefined) throw new MissingSettingError(name);
    return value;
  }

  /** The Mode API base URL, defaulting to Mode's public API. */
  modeApiUrl(): string {
    return this.get("apiUrl") ?? DEFAULT_MODE_API_URL;
  }
}

/** The settings that hold each API's credentials. */
const CREDENTIALS = {
  mode: ["apiToken", "apiSecret"],
  org: ["orgApiToken"],
} as const satisfies Record<string, readonly SettingName[]>;

/** How to set an API's credentials, from the settings table: `pulumi config set …` or the variable. */
export function credentialsHint(api: keyof typeof CREDENTIALS): string {
  return CREDENTIALS[api].map((name) => howToSet(SETTINGS[name])).join("; ");
}
