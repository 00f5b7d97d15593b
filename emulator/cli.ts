#!/usr/bin/env node
/**
 * `mode-emulator`: starts the emulator and prints one JSON line (URLs and seeded data) on stdout.
 * Log lines go to stderr. SIGINT/SIGTERM close the server (saving state) and exit 0. `--daemon`
 * leaves it running in the background. `mode-emulator env` prints the shell lines that point Pulumi
 * at a running emulator (see cli-env.ts).
 */
import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EMULATOR_APIS, EmulatorApi, envLines, fetchSeed, isEmulatorApi } from "./cli-env";
import { EmulatorOptions, RunningEmulator, startEmulator } from "./index";

const HELP = `Usage: mode-emulator [options]
       mode-emulator env [env options]

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
  --spaces N           seeded spaces, i.e. collections (default 3); alias --collections
  --user-groups N      seeded user groups (default 2); alias --groups
  --data-sources N     seeded data sources (default 3)
  --personal-collections N
                       seeded users (the first N) who get a personal collection (default 0)
  --mode-page-size N   page size of Mode collections (default 50)
  --daemon             start in the background: print the first line, then return
                       (stop it with: kill <pid>, printed on stderr)
  --log FILE           with --daemon: where its log lines go (default: a file in the temp dir)
  --help               show this help

mode-emulator env: print shell lines for eval "$(mode-emulator env ...)" that point the
Pulumi CLI and the provider at a running emulator: the MODE_* endpoints and seeded admin
credentials, PULUMI_BACKEND_URL (the directory is made), PULUMI_CONFIG_PASSPHRASE and
PULUMI_SKIP_UPDATE_CHECK. Nothing else: no PATH line, no cd, no stack or config commands
(select your stack and set your program's config yourself).
  --port N             the emulator's port (or --url)
  --host HOST          its host (default 127.0.0.1)
  --url URL            its base URL, http://HOST:PORT
  --api mode|org       only that API's endpoint and credentials (default both)
  --backend DIR        local Pulumi backend directory (default ~/.pulumi-mode-state)
  --passphrase TEXT    PULUMI_CONFIG_PASSPHRASE (default emulator)
`;

class UsageError extends Error {}

function num(flag: string, v: string | undefined, check: (n: number) => boolean, what: string): number {
  const n = v === undefined || v.trim() === "" ? NaN : Number(v);
  if (!Number.isFinite(n) || !check(n))
    throw new UsageError(`${flag} expects ${what}, got ${v ?? "nothing"}`);
  return n;
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** Command-line options: the emulator's, plus running it in the background. */
export interface CliOptions extends EmulatorOptions {
  /** Start in the background, print the first line and return. */
  daemon?: boolean;
  /** Log file of a daemon. */
  logFile?: string;
}

/** Parses the command line into options. @throws UsageError */
export function parseArgs(argv: string[]): CliOptions | "help" {
  const o: CliOptions = {};
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
      case "--collections":
        seed.spaces = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--user-groups":
      case "--groups":
        seed.userGroups = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--data-sources":
        seed.dataSources = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--personal-collections":
        seed.personalCollections = num(flag, value(), isCount, "a whole number >= 0");
        break;
      case "--mode-page-size":
        o.modePageSize = num(flag, value(), (n) => isCount(n) && n >= 1, "a whole number >= 1");
        break;
      case "--daemon":
        o.daemon = true;
        break;
      case "--log": {
        const f = value();
        if (!f) throw new UsageError("--log expects a file path");
        o.logFile = f;
        break;
      }
      default:
        throw new UsageError(`unknown option ${arg} (see --help)`);
    }
  }
  if (Object.keys(seed).length > 0) o.seed = seed;
  return o;
}

/** Options of `mode-emulator env`. */
export interface EnvArgs {
  /** Base URL of the running emulator. */
  url: string;
  /** Backend directory. */
  backendDir: string;
  /** Passphrase of the passphrase secrets provider (default in envLines). */
  passphrase?: string;
  /** The one API asked for with `--api`; undefined: both. */
  api?: EmulatorApi;
}

/** Parses `mode-emulator env` arguments (after `env`). @throws UsageError */
export function parseEnvArgs(argv: string[]): EnvArgs | "help" {
  let port: number | undefined;
  let host = "127.0.0.1";
  let url: string | undefined;
  const out: Omit<EnvArgs, "url"> = { backendDir: join(homedir(), ".pulumi-mode-state") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      const v = eq > 0 && arg.startsWith("--") ? arg.slice(eq + 1) : argv[++i];
      if (!v) throw new UsageError(`${flag} expects a value`);
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        return "help";
      case "--port":
        port = num(flag, value(), (n) => isCount(n) && n >= 1 && n <= 65535, "a port 1..65535");
        break;
      case "--host":
        host = value();
        break;
      case "--url":
        url = value().replace(/\/+$/, "");
        if (!/^https?:\/\/[^/]+$/.test(url)) throw new UsageError("--url expects http://HOST:PORT");
        break;
      case "--api": {
        const api = value();
        if (!isEmulatorApi(api))
          throw new UsageError(`--api expects ${EMULATOR_APIS.join(" or ")}, got ${api}`);
        out.api = api;
        break;
      }
      case "--backend":
        out.backendDir = resolve(value());
        break;
      case "--passphrase":
        out.passphrase = value();
        break;
      default:
        throw new UsageError(`unknown env option ${arg} (see --help)`);
    }
  }
  if (url === undefined) {
    if (port === undefined) throw new UsageError("env needs --port N or --url URL of the running emulator");
    url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }
  return { ...out, url };
}

async function envCommand(argv: string[]): Promise<void> {
  const args = parseEnvArgs(argv);
  if (args === "help") {
    process.stdout.write(HELP);
    return;
  }
  const seed = await fetchSeed(args.url);
  const lines = envLines(seed, {
    backendDir: args.backendDir,
    passphrase: args.passphrase,
    apis: args.api === undefined ? undefined : [args.api],
  });
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Starts the emulator as a detached background process; prints its first line and returns. */
async function daemonize(argv: string[], logFile: string | undefined): Promise<void> {
  const log = resolve(logFile ?? join(tmpdir(), `mode-emulator-${process.pid}.log`));
  const fd = openSync(log, "w");
  // The child parses the same flags; `--log` without `--daemon` is ignored there.
  const child = spawn(process.execPath, [__filename, ...argv.filter((a) => a !== "--daemon")], {
    detached: true,
    stdio: ["ignore", "pipe", fd],
  });
  closeSync(fd);
  const first = await new Promise<string>((resolveLine, reject) => {
    let out = "";
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolveLine(out.slice(0, nl));
    });
    child.once("exit", (code) => {
      let tail = "";
      try {
        tail = readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n");
      } catch {
        // no log
      }
      reject(new Error(`the emulator exited with code ${code} before it was ready:\n${tail}`));
    });
  });
  child.stdout?.destroy();
  child.unref();
  process.stdout.write(`${first}\n`);
  process.stderr.write(
    `mode-emulator: running in the background as pid ${child.pid}; log: ${log}; stop it with: kill ${child.pid}\n`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === "env") {
    try {
      await envCommand(argv.slice(1));
    } catch (e) {
      process.stderr.write(`mode-emulator env: ${(e as Error).message}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    }
    return;
  }
  let opts: CliOptions | "help";
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`mode-emulator: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (opts === "help") {
    process.stdout.write(HELP);
    return;
  }
  if (opts.daemon) {
    await daemonize(argv, opts.logFile);
    return;
  }
  const log = (line: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  };
  // The first line is all a daemon's parent reads; never die of a closed stdout afterwards.
  process.stdout.on("error", () => undefined);
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
  const { daemon: _daemon, logFile: _logFile, ...emulatorOptions } = opts;
  emu = await startEmulator({ ...emulatorOptions, log });
  process.stdout.write(`${JSON.stringify(emu.seed)}\n`);
  log(`mode-emulator listening on ${emu.url} (control: ${emu.controlUrl})`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`mode-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
