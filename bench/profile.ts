/**
 * `npm run bench:profile`: where the time of one `pulumi up` of the bench's workload goes.
 *
 * One stack of N mixed resources (the bench's workload and programs) through the real engine, against
 * the emulator (own process, R requests per second): `up`, then optionally a no-op `preview` and
 * `destroy`. While each command runs it samples, every 50 ms, the emulator's request count, the
 * processes started (by role) and the checkpoint file (`<state>/.pulumi/stacks/<project>/<stack>.json`,
 * whose replacements it also counts through inotify), and it records the CPU seconds of every engine
 * process by role. With `--profiling`, the engine CLI's Go CPU profile says how much of its CPU went
 * to saving checkpoints (`SnapshotManager.saveSnapshot`, read with `go tool pprof`).
 *
 * By default it runs a matrix at N (every configuration on a fresh stack and emulator): ours with
 * checkpoints at every step (the engine's default) and skipped (`PULUMI_SKIP_CHECKPOINTS=true`),
 * each with `--parallel 64` (the bench's) and the engine's default (4 × the cores), and the dynamic
 * floor with checkpoints at every step; it writes bench/results/profile.md and profile.json and
 * rewrites the `<!-- generated:profile -->` block of bench/README.md.
 *
 * Environment: PROFILE_N (default 1000), BENCH_RATE (R, default 50), PROFILE_ONLY=<program>,<checkpoints>,<parallel>
 * (one configuration, e.g. `engine,skipped,64` or `dynamic-floor,every step,default`; printed, nothing
 * written), PROFILE_PHASES (with PROFILE_ONLY; default "up"; any of up,preview,destroy),
 * PROFILE_NODE_CPU_PROF=<dir> (with PROFILE_ONLY: the program and the provider host write V8 CPU
 * profiles there, in one-second chunks), PROFILE_GO_PROF=<prefix> (with PROFILE_ONLY: keep the
 * engine's Go profiles there), BENCH_ENGINE_BIN (another engine bin directory).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../testing/provider-host";
import { descendants, ensureEngine, PulumiWorkspace } from "../testing/engine";
import type { Checkpoints } from "./report";
import {
  loadAverage,
  makeWorkload,
  ProviderMemorySampler,
  replaceGeneratedBlock,
  requestCounts,
  resetRequestCounts,
  startEmulatorProcess,
  roleOf,
  stateShape,
  type CpuSeconds,
  type ProcessRole,
  type StateShape,
} from "./support";

const N = Number(process.env.PROFILE_N ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const PHASES = (process.env.PROFILE_PHASES ?? "up").split(",").map((s) => s.trim());
const SPACES = 10;

/** One sample of the timeline. */
interface Sample {
  /** Seconds since the command started. */
  t: number;
  /** Requests the emulator has served since the command started. */
  requests: number;
  /** Size of the checkpoint file, bytes (0: none yet). */
  bytes: number;
}

/** What one command cost. */
export interface CommandProfile {
  /** up, preview or destroy. */
  phase: string;
  /** Wall time, s. */
  wallS: number;
  /** CPU seconds by process role. */
  cpu: CpuSeconds;
  /** Requests the emulator served. */
  requests: number;
  /** Times the checkpoint file was replaced (inotify; a burst of replacements may count once). */
  checkpointWrites: number;
  /** Checkpoint size at the end, bytes. */
  finalCheckpointBytes: number;
  /** Seconds from the command's start to the first request the emulator served (-1: none). */
  firstRequestS: number;
  /** Seconds from the command's start to the sample that saw the last request (-1: none). */
  lastRequestS: number;
  /** Seconds from the command's start to when a process of each role was first seen. */
  processSeenS: Partial<Record<ProcessRole, number>>;
  /** Requests per second in each tenth of the command's wall time. */
  requestsPerSecondByTenth: number[];
  /** Checkpoint size at the end of each tenth, KB. */
  checkpointKBByTenth: number[];
  /** From the engine's Go CPU profile: CPU seconds sampled in all, and in saving checkpoints. */
  engineProfile?: { cpuS: number; saveSnapshotS: number };
}

/** The stack's checkpoint file and its directory (created by `pulumi stack init`). */
function checkpointFile(stateDir: string): { dir: string; file: string } | undefined {
  const root = path.join(stateDir, ".pulumi", "stacks");
  if (!fs.existsSync(root)) return undefined;
  for (const project of fs.readdirSync(root)) {
    const dir = path.join(root, project);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir)) if (f.endsWith(".json")) return { dir, file: path.join(dir, f) };
  }
  return undefined;
}

async function profileCommand(
  ws: PulumiWorkspace,
  controlUrl: string,
  phase: string,
  args: string[],
): Promise<CommandProfile> {
  await resetRequestCounts(controlUrl);
  const samples: Sample[] = [];
  const checkpoint = checkpointFile(ws.stateDir);
  let checkpointWrites = 0;
  const watcher = checkpoint
    ? fs.watch(checkpoint.dir, (event, name) => {
        if (event === "rename" && name === path.basename(checkpoint.file)) checkpointWrites++;
      })
    : undefined;
  const t0 = performance.now();
  let sampling = true;
  const processSeenS: Partial<Record<ProcessRole, number>> = {};
  const seen = new Set<number>();
  const sampleLoop = (async () => {
    while (sampling) {
      const t = (performance.now() - t0) / 1000;
      for (const pid of descendants(process.pid)) {
        if (seen.has(pid)) continue;
        try {
          const role = roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
          if (role !== "other") seen.add(pid);
          processSeenS[role] ??= Math.round(t * 100) / 100;
        } catch {
          // exited meanwhile
        }
      }
      let bytes = 0;
      try {
        if (checkpoint) bytes = fs.statSync(checkpoint.file).size;
      } catch {
        // being replaced
      }
      const requests = (await requestCounts(controlUrl)).total;
      samples.push({ t, requests, bytes });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const sampler = new ProviderMemorySampler();
  let cpu: CpuSeconds;
  try {
    ({ cpu } = await sampler.during(() => ws.run(args, { timeoutMs: 30 * 60 * 1000 })));
  } finally {
    sampling = false;
    await sampleLoop;
    watcher?.close();
  }
  const wallS = (performance.now() - t0) / 1000;
  const requests = (await requestCounts(controlUrl)).total;
  const finalCheckpointBytes =
    checkpoint && fs.existsSync(checkpoint.file) ? fs.statSync(checkpoint.file).size : 0;
  const at = (t: number): Sample =>
    [...samples].reverse().find((s) => s.t <= t) ?? { t: 0, requests: 0, bytes: 0 };
  const tenths = Array.from({ length: 10 }, (_, k) => {
    const from = (wallS * k) / 10;
    const to = (wallS * (k + 1)) / 10;
    return { rps: (at(to).requests - at(from).requests) / (to - from), kb: at(to).bytes / 1024 };
  });
  const round2 = (x: number): number => Math.round(x * 100) / 100;
  return {
    phase,
    wallS: round2(wallS),
    cpu,
    requests,
    checkpointWrites,
    finalCheckpointBytes,
    firstRequestS: round2(samples.find((s) => s.requests > 0)?.t ?? -1),
    lastRequestS: round2(samples.find((s) => s.requests >= requests && requests > 0)?.t ?? -1),
    processSeenS,
    requestsPerSecondByTenth: tenths.map((x) => Math.round(x.rps * 10) / 10),
    checkpointKBByTenth: tenths.map((x) => Math.round(x.kb)),
  };
}

/** CPU seconds of a Go CPU profile in all and under `SnapshotManager.saveSnapshot` (go tool pprof). */
function goProfile(binary: string, cpuProfile: string): { cpuS: number; saveSnapshotS: number } | undefined {
  try {
    const out = execFileSync("go", ["tool", "pprof", "-top", "-cum", "-nodecount=400", binary, cpuProfile], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const total = /Total samples = ([\d.]+)(ms|s)/.exec(out);
    const line = out.split("\n").find((l) => l.includes("SnapshotManager).saveSnapshot"));
    const cum = line ? /\s([\d.]+)(ms|s)\s+[\d.]+%\s+\S+$/.exec(line.trim()) : null;
    const secs = (m: RegExpExecArray | null): number => (m ? Number(m[1]) / (m[2] === "ms" ? 1000 : 1) : 0);
    return total ? { cpuS: secs(total), saveSnapshotS: secs(cum) } : undefined;
  } catch {
    return undefined; // no Go toolchain: the figure is left out
  }
}

/** One configuration of the matrix. */
interface Config {
  /** The bench program: ours or the dynamic floor. */
  program: "engine" | "dynamic-floor";
  /** How the engine saves the state. */
  checkpoints: Checkpoints;
  /** `--parallel`, or "default" (the engine's: 4 × the cores). */
  parallel: string;
}

/** What one configuration cost. */
interface ConfigResult extends Config {
  n: number;
  state?: StateShape;
  profiles: CommandProfile[];
}

/** Runs `phases` of one configuration on a fresh emulator and stack. */
async function runConfig(
  config: Config,
  phases: string[],
  keep: { node?: string; go?: string } = {},
): Promise<ConfigResult> {
  const users = Math.max(1, Math.ceil((N * 0.9) / SPACES));
  const emu = await startEmulatorProcess(REPO_ROOT, { rateLimit: RATE, users, spaces: SPACES });
  const env: Record<string, string> = {
    MODE_API_URL: emu.seed.modeApiUrl,
    MODE_API_TOKEN: emu.seed.mode.token,
    MODE_API_SECRET: emu.seed.mode.secret,
    MODE_ORG_API_URL: emu.seed.orgApiUrl,
    MODE_ORG_API_TOKEN: emu.seed.org.token,
  };
  if (config.checkpoints === "skipped") env.PULUMI_SKIP_CHECKPOINTS = "true";
  const binDir = process.env.BENCH_ENGINE_BIN ?? (await ensureEngine());
  if (keep.node) {
    // Node refuses --cpu-prof in NODE_OPTIONS, and the engine ends the provider host with SIGKILL
    // (no exit, no profile): a `node` first on PATH preloads a hook that profiles every node the
    // engine starts (the program, through the language host, and the dynamic-provider host) and
    // writes the profile in one-second chunks, <role>.<pid>.<n>.cpuprofile.
    const dir = path.resolve(keep.node);
    fs.mkdirSync(path.join(dir, "bin"), { recursive: true });
    const hook = path.join(dir, "bin", "hook.js");
    fs.writeFileSync(hook, profilerHook(dir));
    const wrapper = path.join(dir, "bin", "node");
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${process.execPath} --require ${hook} "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
    env.PATH = [path.join(dir, "bin"), binDir, process.env.PATH ?? ""].join(path.delimiter);
  }
  const ws = await PulumiWorkspace.create({
    programDir: path.join(REPO_ROOT, "bench/programs", config.program),
    binDir,
    env,
  });
  const goDir = keep.go
    ? path.resolve(keep.go)
    : fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-mode-goprof-"));
  try {
    fs.writeFileSync(path.join(ws.programDir, "spec.json"), JSON.stringify(makeWorkload(emu.seed, N)));
    const flags = [
      "--stack",
      ws.stack,
      ...(config.parallel === "default" ? [] : ["--parallel", config.parallel]),
    ];
    const commands: Record<string, string[]> = {
      up: ["up", "--yes", "--skip-preview", ...flags],
      preview: ["preview", ...flags],
      destroy: ["destroy", "--yes", "--skip-preview", ...flags],
    };
    const profiles: CommandProfile[] = [];
    let state: StateShape | undefined;
    for (const phase of phases) {
      const prefix = path.join(goDir, phase);
      const profile = await profileCommand(ws, emu.seed.controlUrl, phase, [
        "--profiling",
        prefix,
        ...commands[phase],
      ]);
      const cpuFile = fs.readdirSync(goDir).find((f) => f.startsWith(`${phase}.`) && f.endsWith(".cpu"));
      if (cpuFile) profile.engineProfile = goProfile(path.join(binDir, "pulumi"), path.join(goDir, cpuFile));
      profiles.push(profile);
      process.stderr.write(`profile: ${JSON.stringify({ ...config, ...profile })}\n`);
      if (phase === "up") {
        const exported = JSON.parse((await ws.run(["stack", "export", "--stack", ws.stack])).stdout) as {
          deployment: { resources?: Parameters<typeof stateShape>[0] };
        };
        state = stateShape(exported.deployment.resources ?? []);
      }
    }
    return { ...config, n: N, state, profiles };
  } finally {
    if (!keep.go) fs.rmSync(goDir, { recursive: true, force: true });
    await ws.dispose();
    await emu.close();
  }
}

/** The matrix: ours under both ways of checkpointing and both `--parallel`, and the dynamic floor. */
const MATRIX: Config[] = [
  { program: "engine", checkpoints: "every step", parallel: "64" },
  { program: "engine", checkpoints: "skipped", parallel: "64" },
  { program: "engine", checkpoints: "every step", parallel: "default" },
  { program: "engine", checkpoints: "skipped", parallel: "default" },
  { program: "dynamic-floor", checkpoints: "every step", parallel: "64" },
  { program: "dynamic-floor", checkpoints: "skipped", parallel: "64" },
];

/** The matrix's `up` as a Markdown table. */
function matrixTable(results: ConfigResult[]): string {
  const head = [
    "program",
    "checkpoints",
    "`--parallel`",
    "up s",
    "program, provider host start s",
    "first request s",
    "share of R",
    "requests/s by tenth of the `up`",
    "checkpoint writes",
    "final checkpoint KB",
    "state bytes/res.",
    "CPU s: engine / program / provider",
    "engine CPU in checkpoint saves",
    "per write ms",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of results) {
    const up = r.profiles.find((p) => p.phase === "up");
    if (!up) continue;
    const share = up.requests > 0 ? (up.requests / (RATE * up.wallS + RATE)).toFixed(3) : "-";
    const go = up.engineProfile;
    lines.push(
      `| ${[
        r.program === "engine" ? "ours" : "dynamic floor",
        r.checkpoints,
        r.parallel === "default" ? `default (${4 * os.cpus().length})` : r.parallel,
        up.wallS.toFixed(1),
        `${up.processSeenS.program?.toFixed(1) ?? "-"}, ${up.processSeenS.provider?.toFixed(1) ?? "-"}`,
        up.firstRequestS >= 0 ? up.firstRequestS.toFixed(1) : "-",
        share,
        up.requests > 0 ? up.requestsPerSecondByTenth.map((x) => x.toFixed(0)).join(" ") : "-",
        String(up.checkpointWrites),
        (up.finalCheckpointBytes / 1024).toFixed(0),
        r.state ? String(r.state.bytesPerResource) : "-",
        `${up.cpu.engine.toFixed(1)} / ${up.cpu.program.toFixed(1)} / ${up.cpu.provider.toFixed(1)}`,
        go ? `${go.saveSnapshotS.toFixed(1)} of ${go.cpuS.toFixed(1)} s` : "-",
        go && up.checkpointWrites > 1 ? ((go.saveSnapshotS * 1000) / up.checkpointWrites).toFixed(0) : "-",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  if (process.env.PROFILE_ONLY) {
    const [program, checkpoints, parallel] = process.env.PROFILE_ONLY.split(",").map((x) => x.trim());
    const result = await runConfig(
      {
        program: program as Config["program"],
        checkpoints: checkpoints as Checkpoints,
        parallel: parallel ?? "64",
      },
      PHASES,
      { node: process.env.PROFILE_NODE_CPU_PROF, go: process.env.PROFILE_GO_PROF },
    );
    process.stdout.write(JSON.stringify(result, null, 2) + "\n");
    return;
  }
  const started = Date.now();
  const loadBefore = loadAverage();
  const results: ConfigResult[] = [];
  for (const config of MATRIX) results.push(await runConfig(config, ["up"]));
  const table = matrixTable(results);
  const sections = [
    `Generated by \`npm run bench:profile\` on ${new Date().toISOString()} (${Math.round((Date.now() - started) / 1000)} s; ` +
      `1-minute load average ${loadBefore} at the start, ${loadAverage()} at the end, on ${os.cpus().length} cores). ` +
      `One \`up\` of N = ${N} mixed resources per line, each on a fresh stack and emulator (R = ${RATE} req/s). ` +
      "Checkpoint writes: replacements of the stack's checkpoint file seen through inotify; engine CPU in " +
      "checkpoint saves: `SnapshotManager.saveSnapshot` in the engine CLI's Go CPU profile (`pulumi --profiling`); " +
      "per write: that CPU over the checkpoint writes.",
    "",
    table,
  ];
  const outDir = path.join(REPO_ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "profile.md"), ["# Profile of `up`", "", ...sections, ""].join("\n"));
  fs.writeFileSync(
    path.join(outDir, "profile.json"),
    JSON.stringify(
      { n: N, rateLimit: RATE, loadAverage: { start: loadBefore, end: loadAverage() }, results },
      null,
      2,
    ) + "\n",
  );
  if (!replaceGeneratedBlock(path.join(REPO_ROOT, "bench", "README.md"), "profile", sections.join("\n"))) {
    process.stderr.write("profile: bench/README.md has no generated:profile block; not updated\n");
  }
  process.stdout.write(table + "\n");
}

/** The preloaded module that profiles a node process in one-second chunks (see PROFILE_NODE_CPU_PROF). */
function profilerHook(dir: string): string {
  return `"use strict";
const inspector = require("inspector");
const fs = require("fs");
const args = process.argv.join(" ");
const role = args.includes("dynamic-provider") ? "provider" : args.includes("cmd/run") ? "program" : "other";
const session = new inspector.Session();
session.connect();
let n = 0;
const flush = (restart) =>
  session.post("Profiler.stop", (err, res) => {
    if (!err) fs.writeFileSync(${JSON.stringify(dir)} + "/" + role + "." + process.pid + "." + n++ + ".cpuprofile", JSON.stringify(res.profile));
    if (restart) session.post("Profiler.start");
  });
session.post("Profiler.enable", () => session.post("Profiler.start"));
setInterval(() => flush(true), 1000).unref();
process.on("exit", () => flush(false));
`;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `profile failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
