/**
 * The `pulumi-mode report` and `generate` measurement (issue 19): a workspace of BENCH_REPORT_USERS
 * members (default 2,000), BENCH_REPORT_GROUPS groups (50) and BENCH_REPORT_COLLECTIONS collections
 * (200), served by the emulator in its own process at R = BENCH_RATE requests per second (50). Each
 * command runs as a user runs it (`node dist/cli/index.js …`, its own process); the emulator's
 * request log gives the requests it sent, compared with the minimum (every list's pages at the
 * emulator's page size: ceil(items / 50), at least one per list), and its wall time is compared
 * with requests / R (the least time R allows).
 *
 * `node dist/bench/report-bench.js` prints one table and writes bench/results/report-results.json
 * (set BENCH_REPORT_OUT to write elsewhere; `-` writes nothing). It exits non-zero when a command
 * fails, sends anything but GETs, or sends more than 10 % over the minimum.
 */
import { execFile, spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RequestCounts, SeedInfo } from "../emulator";
import { basic, listAll } from "../testing/emulator-control";

const ROOT = path.join(__dirname, "..", "..");
const PAGE_SIZE = 50;

/** One command's figures. */
export interface CommandFigures {
  /** `report` or `generate`. */
  command: string;
  /** Requests the emulator counted (429s included). */
  requests: number;
  /** Requests refused by the rate limit (then retried). */
  rateLimited: number;
  /** Requests that were not GETs (must be 0). */
  writes: number;
  /** The fewest requests that read every list (pages). */
  minimumRequests: number;
  /** Wall time of the command, seconds. */
  seconds: number;
  /** requests / R, seconds: the least time the rate allows for the requests sent. */
  floorSeconds: number;
}

/** The whole measurement. */
export interface ReportBench {
  /** Workspace size. */
  workspace: { members: number; groups: number; collections: number; dataSources: number };
  /** R, requests per second. */
  rate: number;
  /** Per command. */
  commands: CommandFigures[];
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === "" ? fallback : Number.parseInt(v, 10);
}

/** Starts the emulator in its own process with the bench's sizes; resolves to its seed line. */
function startEmulator(args: string[]): Promise<{ seed: SeedInfo; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/emulator/cli.js"), "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before printing its seed`)));
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      child.removeAllListeners("exit");
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve({ seed: JSON.parse(out.slice(0, nl)) as SeedInfo, child });
    });
  });
}

/** Runs the CLI; resolves to its wall time in seconds (rejects when it fails). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(ROOT, "dist/cli/index.js"), ...args],
      { env, maxBuffer: 256 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`pulumi-mode ${args[0]} failed: ${stderr}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e9);
      },
    );
  });
}

async function control<T>(seed: SeedInfo, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`${seed.controlUrl}/${route}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  return (await res.json()) as T;
}

/**
 * The fewest pages that read every list the commands read, counted through the API with the rate
 * limit lifted for the while (after the commands' requests were taken from the log).
 */
async function minimumPages(seed: SeedInfo): Promise<number> {
  const faults = await control<Record<string, unknown>>(seed, "GET", "faults");
  await control(seed, "PUT", "faults", { ...faults, rateLimit: 0 });
  try {
    return await countPages(seed);
  } finally {
    await control(seed, "PUT", "faults", faults);
  }
}

async function countPages(seed: SeedInfo): Promise<number> {
  const auth = basic(seed.mode.token, seed.mode.secret);
  const base = `${seed.modeApiUrl}/${seed.mode.workspace}`;
  const pages = (items: number): number => Math.max(1, Math.ceil(items / PAGE_SIZE));
  const all = async <T>(url: string, key: string): Promise<T[]> =>
    (await listAll<T>(`${url}?per_page=1000`, auth, key)).all;
  let total = 0;
  total += pages((await all(`${base}/memberships`, "memberships")).length);
  const groups = await all<{ token: string }>(`${base}/groups`, "groups");
  total += pages(groups.length);
  for (const g of groups)
    total += pages((await all(`${base}/groups/${g.token}/memberships`, "group_memberships")).length);
  const spaces = await all<{ token: string; space_type: string }>(`${base}/spaces`, "spaces");
  total += pages(spaces.length);
  for (const s of spaces.filter((x) => x.space_type === "custom")) {
    total += pages((await all(`${base}/spaces/${s.token}/permissions`, "space_entitlements")).length);
  }
  const sources = await all<{ token: string }>(`${base}/data_sources`, "data_sources");
  total += pages(sources.length);
  for (const d of sources) {
    total += pages(
      (await all(`${base}/data_sources/${d.token}/permissions`, "data_source_entitlements")).length,
    );
  }
  return total;
}

async function main(): Promise<void> {
  const users = envInt("BENCH_REPORT_USERS", 2000);
  const groups = envInt("BENCH_REPORT_GROUPS", 50);
  const collections = envInt("BENCH_REPORT_COLLECTIONS", 200);
  const dataSources = envInt("BENCH_REPORT_DATA_SOURCES", 3);
  const rate = envInt("BENCH_RATE", 50);
  const { seed, child } = await startEmulator([
    ...["--users", String(users), "--groups", String(groups), "--collections", String(collections)],
    ...["--data-sources", String(dataSources), "--rate-limit", String(rate)],
  ]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-report-bench-"));
  try {
    const env = {
      PATH: process.env.PATH ?? "",
      MODE_API_URL: seed.modeApiUrl,
      MODE_API_TOKEN: seed.mode.token,
      MODE_API_SECRET: seed.mode.secret,
    };
    const ws = seed.mode.workspace;
    const commands: [string, string[]][] = [
      ["report", ["report", "--workspace", ws, "--format", "json", "--out", path.join(dir, "report.json")]],
      ["generate", ["generate", "--workspace", ws, "--out", path.join(dir, "program")]],
    ];
    const figures: CommandFigures[] = [];
    let minimum = 0;
    for (const [name, args] of commands) {
      await control(seed, "DELETE", "requests");
      await new Promise((r) => setTimeout(r, 1100)); // a fresh rate-limit window for each command
      const seconds = await runCli(args, env);
      const counts = await control<RequestCounts>(seed, "GET", "requests");
      minimum ||= await minimumPages(seed);
      const writes = Object.entries(counts.byRoute)
        .filter(([key]) => !key.startsWith("GET "))
        .reduce((n, [, c]) => n + c, 0);
      figures.push({
        command: name,
        requests: counts.total,
        rateLimited: counts.rateLimited,
        writes,
        minimumRequests: minimum,
        seconds: Math.round(seconds * 100) / 100,
        floorSeconds: Math.round((counts.total / rate) * 100) / 100,
      });
    }
    const members = (
      JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { summary: { people: number } }
    ).summary.people;
    const result: ReportBench = {
      workspace: { members, groups, collections, dataSources },
      rate,
      commands: figures,
    };
    console.log(
      `pulumi-mode report/generate: ${members} members, ${groups} groups, ${collections} collections, ` +
        `${dataSources} data sources, R = ${rate}/s`,
    );
    console.log("command   requests  minimum  429s  writes  seconds  requests/R");
    for (const f of figures) {
      console.log(
        `${f.command.padEnd(9)} ${String(f.requests).padStart(8)} ${String(f.minimumRequests).padStart(8)} ` +
          `${String(f.rateLimited).padStart(5)} ${String(f.writes).padStart(7)} ${f.seconds.toFixed(2).padStart(8)} ` +
          `${f.floorSeconds.toFixed(2).padStart(11)}`,
      );
    }
    const out = process.env.BENCH_REPORT_OUT ?? path.join(ROOT, "bench", "results", "report-results.json");
    if (out !== "-") fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    const bad = figures.filter((f) => f.writes > 0 || f.requests - f.rateLimited > f.minimumRequests * 1.1);
    if (bad.length > 0) {
      console.error(`over the minimum or writing: ${bad.map((f) => f.command).join(", ")}`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    child.kill("SIGTERM");
  }
}

void main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
