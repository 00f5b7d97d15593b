/**
 * The `pulumi-mode report` and `generate` measurement (issue 19): a workspace of BENCH_REPORT_USERS
 * members (default 2,000), BENCH_REPORT_GROUPS groups (50) and BENCH_REPORT_COLLECTIONS collections
 * (200), served by the emulator in its own process at R = BENCH_RATE requests per second (50). Each
 * command runs as a user runs it (`node dist/cli/index.js …`, its own process); the emulator's
 * request log gives the requests it sent, compared with the minimum (every list's pages at the
 * emulator's page size: ceil(items / 50), at least one per list), and its wall time is compared
 * with requests / R (less the burst of R the emulator's bucket starts with, the least time R allows).
 *
 * `npm run bench` runs it after its other cases (BENCH_REPORT=0 leaves it out) and writes its table
 * into bench/README.md (`<!-- generated:report -->`) and bench/results/report-results.md. On its
 * own, `node dist/bench/report-bench.js` prints one table. Both write
 * bench/results/report-results.json (set BENCH_REPORT_OUT to write elsewhere; `-` writes nothing)
 * and fail (exit non-zero) when a command fails, sends anything but GETs, or sends more than 10 %
 * over the minimum.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RequestCounts, SeedInfo } from "../emulator";
import { basic, control, listAll } from "../testing/emulator-control";
import { REPO_ROOT } from "../testing/provider-host";
import { pagesOf } from "./size-cases";
import { startEmulatorProcess, withoutRateLimit, type EmulatorProcess } from "./support";

/** Where the JSON figures go unless BENCH_REPORT_OUT says otherwise (`-`: nowhere). */
const DEFAULT_OUT = path.join(REPO_ROOT, "bench", "results", "report-results.json");

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
  /**
   * requests / R, seconds: the requests sent, at R per second. The emulator's bucket starts with a
   * burst of R, so a command paced exactly at R can take (requests − R) / R.
   */
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

/** The workspace and rate the measurement runs at. */
export interface ReportBenchOptions {
  /** Seeded members (default 2,000). */
  users: number;
  /** Seeded groups (default 50). */
  groups: number;
  /** Seeded custom collections (default 200). */
  collections: number;
  /** Seeded data sources (default 3). */
  dataSources: number;
  /** R, requests per second (default 50). */
  rate: number;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === "" ? fallback : Number.parseInt(v, 10);
}

/** The options from BENCH_REPORT_USERS, _GROUPS, _COLLECTIONS, _DATA_SOURCES and BENCH_RATE. */
export function reportBenchOptions(): ReportBenchOptions {
  return {
    users: envInt("BENCH_REPORT_USERS", 2000),
    groups: envInt("BENCH_REPORT_GROUPS", 50),
    collections: envInt("BENCH_REPORT_COLLECTIONS", 200),
    dataSources: envInt("BENCH_REPORT_DATA_SOURCES", 3),
    rate: envInt("BENCH_RATE", 50),
  };
}

/** Runs the CLI; resolves to its wall time in seconds (rejects when it fails). */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, "dist/cli/index.js"), ...args],
      { env, maxBuffer: 256 * 1024 * 1024 },
      (err, _stdout, stderr) => {
        if (err) reject(new Error(`pulumi-mode ${args[0]} failed: ${stderr}`));
        else resolve(Number(process.hrtime.bigint() - started) / 1e9);
      },
    );
  });
}

/**
 * The fewest pages that read every list the commands read, counted through the API with the rate
 * limit lifted for the while (after the commands' requests were taken from the log).
 */
function minimumPages(emu: EmulatorProcess): Promise<number> {
  return withoutRateLimit(emu, () => countPages(emu.seed));
}

async function countPages(seed: SeedInfo): Promise<number> {
  const auth = basic(seed.mode.token, seed.mode.secret);
  const base = `${seed.modeApiUrl}/${seed.mode.workspace}`;
  const pages = pagesOf; // at the emulator's page size (a per_page=1000 read counts its items)
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

/**
 * Runs `report` and then `generate` against a fresh emulator of the given size, each on a fresh
 * request log and rate-limit window, and returns their figures.
 */
export async function reportBench(o: ReportBenchOptions): Promise<ReportBench> {
  const emu = await startEmulatorProcess(REPO_ROOT, {
    rateLimit: o.rate,
    users: o.users,
    spaces: o.collections,
    groups: o.groups,
    dataSources: o.dataSources,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-report-bench-"));
  try {
    const { seed } = emu;
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
      await control(emu, "DELETE", "/requests");
      await new Promise((r) => setTimeout(r, 1100)); // a fresh rate-limit window for each command
      const seconds = await runCli(args, env);
      const counts = (await control<RequestCounts>(emu, "GET", "/requests")).json;
      minimum ||= await minimumPages(emu);
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
        floorSeconds: Math.round((counts.total / o.rate) * 100) / 100,
      });
    }
    const members = (
      JSON.parse(fs.readFileSync(path.join(dir, "report.json"), "utf8")) as { summary: { people: number } }
    ).summary.people;
    return {
      workspace: { members, groups: o.groups, collections: o.collections, dataSources: o.dataSources },
      rate: o.rate,
      commands: figures,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
}

/** The commands that wrote, or sent more than 10 % over the minimum (429s aside): the measurement fails. */
export function reportBenchFailures(r: ReportBench): CommandFigures[] {
  return r.commands.filter((f) => f.writes > 0 || f.requests - f.rateLimited > f.minimumRequests * 1.1);
}

/** What the measurement was run on, in words. */
export function reportBenchSetup(r: ReportBench): string {
  const w = r.workspace;
  return (
    `${w.members} members, ${w.groups} groups, ${w.collections} collections, ${w.dataSources} data sources, ` +
    `R = ${r.rate}/s`
  );
}

/** The figures as a Markdown table (bench/README.md, report-results.md). */
export function reportBenchTable(r: ReportBench): string {
  const lines = [
    "| command | requests | minimum (pages) | requests / minimum | 429s | writes | wall s | requests / R s | wall / (requests / R) |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
  ];
  for (const f of r.commands) {
    const overMinimum = f.minimumRequests > 0 ? (f.requests / f.minimumRequests).toFixed(2) : "–";
    const overFloor = f.floorSeconds > 0 ? (f.seconds / f.floorSeconds).toFixed(2) : "–";
    lines.push(
      `| \`${f.command}\` | ${f.requests} | ${f.minimumRequests} | ${overMinimum} | ${f.rateLimited} | ${f.writes} | ` +
        `${f.seconds.toFixed(2)} | ${f.floorSeconds.toFixed(2)} | ${overFloor} |`,
    );
  }
  return lines.join("\n");
}

/** The figures as the standalone script prints them. */
export function reportBenchText(r: ReportBench): string {
  const lines = [
    `pulumi-mode report/generate: ${reportBenchSetup(r)}`,
    "command   requests  minimum  429s  writes  seconds  requests/R",
  ];
  for (const f of r.commands) {
    lines.push(
      `${f.command.padEnd(9)} ${String(f.requests).padStart(8)} ${String(f.minimumRequests).padStart(8)} ` +
        `${String(f.rateLimited).padStart(5)} ${String(f.writes).padStart(7)} ${f.seconds.toFixed(2).padStart(8)} ` +
        `${f.floorSeconds.toFixed(2).padStart(11)}`,
    );
  }
  return lines.join("\n");
}

/** Writes the JSON figures where BENCH_REPORT_OUT says (default bench/results/report-results.json; `-`: nowhere). */
export function writeReportBenchJson(r: ReportBench): void {
  const out = process.env.BENCH_REPORT_OUT ?? DEFAULT_OUT;
  if (out !== "-") fs.writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
}

async function main(): Promise<void> {
  const result = await reportBench(reportBenchOptions());
  console.log(reportBenchText(result));
  writeReportBenchJson(result);
  const bad = reportBenchFailures(result);
  if (bad.length > 0) {
    console.error(`over the minimum or writing: ${bad.map((f) => f.command).join(", ")}`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
