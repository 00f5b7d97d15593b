/**
 * Local emulator of the Mode API and the organization-invites API, for tests, demos and offline use.
 * `startEmulator()` starts one HTTP server hosting both APIs and the control interface.
 */
import { Faults } from "./faults";
import { EmulatorServer } from "./server";
import { SeedCore, SeedSizes, Store } from "./store";

export type { FaultConfig, RouteFaults, RequestCounts, MalformedKind } from "./faults";
export type {
  SeedCollection,
  SeedDataSource,
  SeedGroup,
  SeedPersonalCollection,
  SeedSizes,
  SeedUser,
  TokenPair,
} from "./store";

/** Start-up options. */
export interface EmulatorOptions {
  /** Port to listen on; default 0 = a free port. */
  port?: number;
  /** Host to bind; default `127.0.0.1`. */
  host?: string;
  /** 0..1, global fraction of API requests given a transient fault. */
  faultRate?: number;
  /** Requests per second over all API routes; excess → 429 + Retry-After. */
  rateLimit?: number;
  /** Added latency on every API request. */
  latencyMs?: number;
  /** JSON state file: loaded at start if present, saved after every mutation and on close. */
  statePath?: string;
  /** Page size of Mode collections (default 50). */
  modePageSize?: number;
  /**
   * Sizes of the default seed (defaults 5 users, 3 spaces (collections), 2 user groups, 3 data
   * sources, 0 personal collections).
   */
  seed?: SeedSizes;
  /** Optional sink for log lines (they never contain secrets, tokens or invite codes). */
  log?: (line: string) => void;
}

/** The seeded data and URLs; the CLI prints this as its first stdout line. */
export interface SeedInfo extends SeedCore {
  /** Base URL of the Mode API. */
  modeApiUrl: string;
  /** Base URL of the organization-invites API. */
  orgApiUrl: string;
  /** Base URL of the control interface. */
  controlUrl: string;
}

/** A running emulator. */
export interface RunningEmulator {
  /** `http://HOST:PORT` */
  url: string;
  /** `{url}/mode/api` */
  modeApiUrl: string;
  /** `{url}/org` */
  orgApiUrl: string;
  /** `{url}/_control` */
  controlUrl: string;
  /** The seeded data. */
  seed: SeedInfo;
  /** Stops the server (saving state). */
  close(): Promise<void>;
}

function checkOptions(o: EmulatorOptions): void {
  const bad = (msg: string): never => {
    throw new Error(`invalid emulator option: ${msg}`);
  };
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) bad("port");
  if (o.faultRate !== undefined && !(o.faultRate >= 0 && o.faultRate <= 1)) bad("faultRate must be 0..1");
  if (o.rateLimit !== undefined && !(o.rateLimit >= 0 && Number.isFinite(o.rateLimit))) bad("rateLimit");
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0 && Number.isFinite(o.latencyMs))) bad("latencyMs");
  if (o.modePageSize !== undefined && !(Number.isInteger(o.modePageSize) && o.modePageSize >= 1))
    bad("modePageSize");
  for (const [k, v] of Object.entries(o.seed ?? {})) {
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) bad(`seed.${k}`);
  }
}

/** Builds the {@link SeedInfo} for a seed and base URLs. */
export function seedInfo(
  core: SeedCore,
  modeApiUrl: string,
  orgApiUrl: string,
  controlUrl: string,
): SeedInfo {
  return { modeApiUrl, orgApiUrl, controlUrl, mode: { ...core.mode }, org: { ...core.org } };
}

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const host = options.host ?? "127.0.0.1";
  const store = new Store(options.seed ?? {}, options.statePath);
  const faults = new Faults({
    faultRate: options.faultRate ?? 0,
    rateLimit: options.rateLimit ?? 0,
    latencyMs: options.latencyMs ?? 0,
  });
  const server = new EmulatorServer({
    store,
    faults,
    modePageSize: options.modePageSize ?? 50,
    log: options.log,
  });
  await new Promise<void>((resolve, reject) => {
    server.http.once("error", reject);
    server.http.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.http.address();
  const port = typeof addr === "object" && addr ? addr.port : options.port;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const url = `http://${hostPart}:${port}`;
  server.urls = { origin: url, mode: `${url}/mode/api`, org: `${url}/org` };
  const controlUrl = `${url}/_control`;
  let closed: Promise<void> | null = null;
  return {
    url,
    modeApiUrl: server.urls.mode,
    orgApiUrl: server.urls.org,
    controlUrl,
    get seed(): SeedInfo {
      return seedInfo(store.data.seed, server.urls.mode, server.urls.org, controlUrl);
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.http.close(() => resolve());
        server.http.closeAllConnections();
        store.save();
      });
      return closed;
    },
  };
}
