#!/usr/bin/env node
/**
 * `mode-emulator`: starts the emulator and prints one JSON line (URLs and seeded data) on stdout.
 * Log lines go to stderr. SIGINT/SIGTERM close the server (saving state) and exit 0.
 */
import { EmulatorOptions, RunningEmulator, startEmulator } from "./index";

const HELP = `Usage: mode-emulator [options]

Local emulator of the Mode API and the organization-invites API.
The first stdout line is a JSON object with the URLs and the seeded data.

Options:
  --port N             port to listen on (default 0 = a free port)
  --host HOST          host to bind (default 127.0.0.1)
  --fault-rate R       fraction 0..1 of API requests given a transient fault
  --rate-limit N       API requests per second (excess gets 429 + Retry-After)
  --latency MS         latency added to every API request
  --state FILE         keep all data in FILE across restarts
  --users N            seeded users (default 5)
  --spaces N           seeded spaces (default 3)
  --user-groups N      seeded user groups (default 2)
  --mode-page-size N   page size of Mode collections (default 50)
  --help               show this help
`;

class UsageError extends Error {}

function num(flag: string, v: string | undefined, check: (n: number) => boolean, what: string): number {
  const n = v === undefined || v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(n) || !check(n))
    throw new UsageError(`${flag} expects ${what}, got ${v ?? "nothing"}`);
  return n;
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** Parses the command line into options. @throws UsageError */
export function parseArgs(argv: string[]): EmulatorOptions | "help" {
  const o: EmulatorOptions = {};
  const seed: NonNullable<EmulatorOptions["seed"]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : argv[++i]);
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--port":
        o.port = num(flag, value(), (n) => isCount(n) && n <= 65535, "a port 0..65535");
        break;
      case "--host": {
        const h = value();
        if (!h) throw new UsageError("--host expects a host name or address");
        o.host = h;
        break;
      }
      case "--fault-rate":
        o.faultRate = num(flag, value(), (n) => n >= 0 && n <= 1, "a number between 0 and 1");
        break;
      case "--rate-limit":
        o.rateLimit = num(flag, value(), (n) => n > 0, "a number of requests per second > 0");
        break;
      case "--latency":
        o.latencyMs = num(flag, value(), (n) => n >= 0, "milliseconds >= 0");
        break;
      case "--state": {
        const f = value();
        if (!f) throw new UsageError("--state expects a file path");
        o.statePath = f;
        break;
      }
      case "--users":
        seed.users = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--spaces":
        seed.spaces = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--user-groups":
        seed.userGroups = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--mode-page-size":
        o.modePageSize = num(flag, value(), (n) => isCount(n) && n >= 1, "a whole number >= 1");
        break;
      default:
        throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  if (Object.keys(seed).length > 0) o.seed = seed;
  return o;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions | "help";
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`mode-emulator: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (opts === "help") {
    process.stdout.write(HELP);
    return;
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  // Signal handlers go in first, so a signal right after the first line still closes cleanly.
  let emu: RunningEmulator | null = null;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing`);
    if (!emu) process.exit(0);
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  emu = await startEmulator({ ...opts, log });
  process.stdout.write(`${JSON.stringify(emu.seed)}\n`);
  log(`mode-emulator listening on ${emu.url} (control: ${emu.controlUrl})`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`mode-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
