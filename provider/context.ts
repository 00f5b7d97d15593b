/**
 * The provider process's shared state: settings from `configure`, one client per API (so the
 * per-host concurrency and rate limits are shared by every resource), the listing caches used for
 * drift detection, and where warnings go.
 */
import {
  ModeClient,
  OrgClient,
  type OrgInvite,
  type SpaceMembership,
  type WorkspaceMembership,
} from "./client";
import { ListingCache } from "./listing-cache";
import { type ConfigLookup, Settings } from "./settings";

/** Writes a warning where the Pulumi engine shows it (the provider's stderr becomes diagnostics). */
export type Warn = (message: string) => void;

/** Process-wide state of the provider; one instance per provider process. */
export class ProviderContext {
  private settings = new Settings();
  private mode?: ModeClient;
  private org?: OrgClient;

  /** Workspace memberships per workspace. */
  readonly workspaceMemberships = new ListingCache<WorkspaceMembership>();
  /** Space memberships per `account/space`. */
  readonly spaceMemberships = new ListingCache<SpaceMembership>();
  /** Organization invites per organization id. */
  readonly orgInvites = new ListingCache<OrgInvite>();

  constructor(private readonly warnSink: Warn = (message) => console.warn(`warning: ${message}`)) {}

  /** Takes the stack's configuration (from the engine's Configure call); clients are rebuilt lazily. */
  configure(config: ConfigLookup, env: NodeJS.ProcessEnv = process.env): void {
    this.settings = new Settings(config, env);
    this.mode = undefined;
    this.org = undefined;
  }

  /** The Mode API client; throws a message naming both ways to set a missing credential. */
  modeClient(): ModeClient {
    this.mode ??= new ModeClient({
      apiUrl: this.settings.modeApiUrl(),
      token: this.settings.require("apiToken"),
      secret: this.settings.require("apiSecret"),
    });
    return this.mode;
  }

  /** The organization-invites API client; its URL has no default and must be configured. */
  orgClient(): OrgClient {
    this.org ??= new OrgClient({
      apiUrl: this.settings.require("orgApiUrl"),
      token: this.settings.require("orgApiToken"),
    });
    return this.org;
  }

  /** Shows `message` as a warning of the current operation. */
  warn(message: string): void {
    this.warnSink(message);
  }
}

let current: ProviderContext | undefined;

/** The provider process's context (created on first use). */
export function providerContext(): ProviderContext {
  current ??= new ProviderContext();
  return current;
}

/** Replaces the process's context (tests only). */
export function setProviderContext(context: ProviderContext | undefined): void {
  current = context;
}
