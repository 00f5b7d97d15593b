/**
 * The provider process's shared state: settings from `configure`, one client per API (so the
 * per-host concurrency and rate limits are shared by every resource), this run's listings of the
 * remote collections and what creates placed in them, and where warnings and reason lines go.
 */
import { modeClientFor, orgClientFor, type ModeApi, type OrgApi } from "./apis";
import { Listing, PlacedObjects } from "./collections/listing";
import { ListingCache } from "./collections/listing-cache";
import { type ConfigLookup, Settings } from "./settings";

/** Writes a warning where the Pulumi engine shows it (the provider's stderr becomes diagnostics). */
export type Warn = (message: string) => void;

/** How a context reaches the APIs and reports; tests pass fakes. */
export interface ProviderContextOptions {
  /** Where warnings and reason lines go (default: the provider's stderr). */
  readonly warn?: Warn;
  /** Builds the Mode API from the settings (default: the real client). */
  readonly modeApi?: (settings: Settings) => ModeApi;
  /** Builds the organization-invites API from the settings (default: the real client). */
  readonly orgApi?: (settings: Settings) => OrgApi;
}

/** Process-wide state of the provider; one instance per provider process. */
export class ProviderContext {
  private settings = new Settings();
  private mode?: ModeApi;
  private org?: OrgApi;
  private readonly listings = new ListingCache();
  private readonly placed = new PlacedObjects();
  private readonly reported = new Set<string>();
  private readonly warnSink: Warn;
  private readonly makeMode: (settings: Settings) => ModeApi;
  private readonly makeOrg: (settings: Settings) => OrgApi;

  constructor(options: ProviderContextOptions = {}) {
    this.warnSink = options.warn ?? ((message) => console.warn(`warning: ${message}`));
    this.makeMode = options.modeApi ?? modeClientFor;
    this.makeOrg = options.orgApi ?? orgClientFor;
  }

  /**
   * This run's listing of the collection `key` (`<collection>/<parent…>`), loaded by `load` when
   * first read. Each collection's layer (provider/collections/) owns its keys and item type.
   */
  listing<T>(key: string, load: () => AsyncIterable<T>): Listing<T> {
    return new Listing(key, this.listings, this.placed, load);
  }

  /** Takes the stack's configuration (from the engine's Configure call); clients are rebuilt lazily. */
  configure(config: ConfigLookup, env: NodeJS.ProcessEnv = process.env): void {
    this.settings = new Settings(config, env);
    this.mode = undefined;
    this.org = undefined;
  }

  /** The Mode API; throws a message naming both ways to set a missing credential. */
  modeApi(): ModeApi {
    this.mode ??= this.makeMode(this.settings);
    return this.mode;
  }

  /** The organization-invites API; its URL has no default and must be configured. */
  orgApi(): OrgApi {
    this.org ??= this.makeOrg(this.settings);
    return this.org;
  }

  /** Shows `message` as a warning of the current operation. */
  warn(message: string): void {
    this.warnSink(message);
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
