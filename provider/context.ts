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
import { Listing } from "./listing";
import { ListingCache } from "./listing-cache";
import { type ConfigLookup, Settings } from "./settings";

/** Writes a warning where the Pulumi engine shows it (the provider's stderr becomes diagnostics). */
export type Warn = (message: string) => void;

/** Process-wide state of the provider; one instance per provider process. */
export class ProviderContext {
  private settings = new Settings();
  private mode?: ModeClient;
  private org?: OrgClient;

  private readonly workspaceMemberships = new ListingCache<WorkspaceMembership>();
  private readonly spaceMemberships = new ListingCache<SpaceMembership>();
  private readonly organizationInvites = new ListingCache<OrgInvite>();
  private readonly reported = new Set<string>();
  private readonly placed = new Set<string>();

  constructor(private readonly warnSink: Warn = (message) => console.warn(`warning: ${message}`)) {}

  /** This run's listing of a workspace's memberships. */
  workspaceMembers(workspace: string): Listing<WorkspaceMembership> {
    return new Listing(this.workspaceMemberships, workspace, () =>
      this.modeClient().listMemberships(workspace),
    );
  }

  /** This run's listing of a space's memberships. */
  spaceMembers(account: string, space: string): Listing<SpaceMembership> {
    return new Listing(this.spaceMemberships, `${account}/${space}`, () =>
      this.modeClient().listSpaceMemberships(account, space),
    );
  }

  /** This run's listing of an organization's invites. */
  orgInvites(organizationId: string): Listing<OrgInvite> {
    return new Listing(this.organizationInvites, organizationId, () =>
      this.orgClient().listInvites(organizationId, { perPage: 100 }),
    );
  }

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

  /**
   * Records that a create in this run produced or adopted the remote object `key` (e.g.
   * `workspace/acme/ada`), which now belongs to the resource being created.
   */
  markPlaced(key: string): void {
    this.placed.add(key);
  }

  /**
   * True when a create in this run produced or adopted `key`. The delete half of a replacement that
   * runs after its create (the engine does so when resuming an interrupted delete-before-replace)
   * must then leave the object to its new owner instead of removing what was just adopted.
   */
  wasPlaced(key: string): boolean {
    return this.placed.has(key);
  }

  /**
   * Shows `line` once per provider process, however often the engine asks the same question
   * (a drift finding is reported by every `diff` of the object, but a reviewer needs it once).
   */
  reportOnce(line: string): void {
    if (this.reported.has(line)) return;
    this.reported.add(line);
    this.warnSink(line);
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
