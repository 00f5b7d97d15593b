/**
 * `npm run bench`: the lifecycle of N mixed resources (90 % space memberships over 10 spaces, 10 %
 * organization invites) against the emulator (own process, rate-limited to R requests per second),
 * side by side in one run:
 *  - floor:  a minimal keep-alive HTTP loop sending the same requests, paced by an oracle of R;
 *  - host:   the provider driven through the dynamic-provider host (no engine), a fresh host per phase;
 *  - engine: the same lifecycle through the real Pulumi engine (bench/programs/engine);
 *  - dynamic-floor: the same resources (types, names, inputs) as Pulumi dynamic resources whose
 *    provider does nothing (bench/programs/dynamic-floor), through the same engine with the same flags:
 *    what every Node.js dynamic provider pays before doing any work.
 * Phases: `up`, no-op `preview`, `preview` after 5 % of the memberships were removed out of band, `destroy`.
 * The engine paths run in turn in one run: both `up`, BENCH_REPEAT previews of each in ABBA order,
 * the drift, BENCH_REPEAT drift previews in ABBA order, both `destroy`; each phase reports its median
 * repetition, and the engine path over the dynamic floor is the spread of the paired ratios. Each
 * engine command also records the CPU seconds of its processes by role (engine CLI, language host,
 * program, provider host) and the peak RSS of its own dynamic-provider process; each `up` and
 * `destroy` the time to its first request, and each `up` the state's bytes per resource. The engine
 * saves the state as by default, a checkpoint at every step; then the `up` and `destroy` of each
 * engine path run again on fresh stacks with `PULUMI_SKIP_CHECKPOINTS=true` (BENCH_SKIPPED_CHECKPOINTS=0
 * leaves that out).
 * Writes bench/results/results.md, results.json and chart.svg, and rewrites the generated blocks of
 * bench/README.md (`<!-- generated:results -->`, and one per case below).
 *
 * Environment: BENCH_SIZES (default "100,1000"), BENCH_RATE (R, default 50), BENCH_PATHS
 * (default "floor,host,engine,dynamic-floor"), BENCH_PARALLEL (engine --parallel and host
 * concurrency, default 64), BENCH_REPEAT (previews per engine path, default 4),
 * BENCH_SKIPPED_CHECKPOINTS (0: no second `up`/`destroy` without checkpoints), BENCH_ENGINE_BIN
 * (an engine bin directory instead of `npm run engine`'s), BENCH_ONLY (a comma list of the parts
 * to run: mixed, members, group-members, collection-access, report; default all). Where the time
 * of one command goes (CPU profiles of every process, checkpoint writes, requests over time):
 * bench/profile.ts.
 *
 * Another workload (e.g. one resource managing 1,000 members of a space) is another program pair:
 * a fixture for ours and one for its no-op twin in ENGINE_PROGRAMS, fed by the spec.json the bench
 * writes from its Workload.
 *
 * Then the size cases (bench/size-cases.ts), about a minute each: one authoritative resource holding
 * N users (default 1,000; 0 skips the case), through the engine against its own emulator (R, page
 * size 50), phase by phase: `up`, a no-op `preview`, 5 % of what it holds removed out of band, a
 * `preview` (the drift: one update step), the repairing `up`, and `destroy`. Each phase must send
 * exactly its expected requests route by route (the listing pages the resource reads, plus the
 * writes the phase needs), or the bench exits non-zero. Each writes bench/results/<case>-results.md
 * and .json (never results.*) and the README block `<!-- generated:<case> -->`:
 *  - `members` (BENCH_MEMBERS=N): one `mode.SpaceMembers` of N users of one space
 *    (bench/programs/members): every phase reads the space's memberships only;
 *  - `group-members` (BENCH_GROUP_MEMBERS=N): one `mode.GroupMembers` of N usernames on a seeded
 *    group, emptied first (bench/programs/group-members): a no-op preview reads the group's and the
 *    workspace's memberships only, the groups' listing when a line names the group or before a write;
 *  - `collection-access` (BENCH_COLLECTION_ACCESS=N): one `mode.CollectionAccess` restricting a
 *    seeded collection and granting it to N users (bench/programs/collection-access): a no-op preview
 *    reads the collection's permissions, the workspace's memberships and its collections only.
 * Last, `report` (BENCH_REPORT=0 leaves it out): `pulumi-mode report` and `generate` on a workspace of
 * 2,000 members, 50 groups and 200 collections (bench/report-bench.ts, its BENCH_REPORT_* sizes),
 * their requests against the minimum (every list's pages) and their wall time against requests / R;
 * it writes bench/results/report-results.{md,json} and the README block `<!-- generated:report -->`,
 * and fails the bench when a command writes or sends more than 10 % over the minimum.
 * `BENCH_ONLY=group-members npm run bench` runs one case alone.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { SeedInfo } from "../emulator";
import { providerText } from "../sdk/shim";
import type { ResourceKind } from "../provider";
import { ProviderHost, REPO_ROOT, urnFor } from "../testing/provider-host";
import { PulumiWorkspace, type PreviewJson, type PreviewStep, type StackExport } from "../testing/engine";
import {
  Floor,
  loadAverage,
  makeWorkload,
  pool,
  ProviderMemorySampler,
  removeOutOfBand,
  replaceGeneratedBlock,
  requestCounts,
  resetRequestCounts,
  startEmulatorProcess,
  stateShape,
  watchFirstRequest,
  withoutRateLimit,
  type CpuSeconds,
  type EmulatorProcess,
  type StateShape,
  type Workload,
} from "./support";
import {
  dynamicFloorComparison,
  dynamicFloorTable,
  engineUpRows,
  engineUpTable,
  stateTable,
  headline,
  markdownTable,
  PHASES,
  sameRoutes,
  SIZE_PHASES,
  sizeTable,
  svgChart,
  utilisation,
  type SizePhase,
  type SizePhaseResult,
  type SizeResult,
  type Checkpoints,
  type EngineUpRow,
  type PathName,
  type PathResult,
  type Phase,
  type PhaseResult,
} from "./report";
import {
  reportBench,
  reportBenchFailures,
  reportBenchOptions,
  reportBenchSetup,
  reportBenchTable,
  writeReportBenchJson,
} from "./report-bench";
import {
  countWorkspaceMembers,
  MODE_PAGE_SIZE,
  pagesOf,
  SIZE_CASES,
  type SizeCase,
  type SizeKey,
} from "./size-cases";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000").split(",").map((s) => Number(s.trim()));
const RATE = Number(process.env.BENCH_RATE ?? 50);
const PATHS = (process.env.BENCH_PATHS ?? "floor,host,engine,dynamic-floor")
  .split(",")
  .map((s) => s.trim())
  .filter((s) => s !== "") as PathName[];
/** Whether the `pulumi-mode report` / `generate` measurement runs (BENCH_REPORT=0: not). */
const REPORT = process.env.BENCH_REPORT !== "0";
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 64);
const DRIFT_FRACTION = 0.05;
const SPACES = 10;
const ENGINE_TIMEOUT_MS = 10 * 60 * 1000;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 4));
/** Whether the engine paths' `up` and `destroy` run again with PULUMI_SKIP_CHECKPOINTS=true (default yes). */
const SKIPPED_CHECKPOINTS = process.env.BENCH_SKIPPED_CHECKPOINTS !== "0";
/** The performance documentation, whose generated blocks the bench rewrites. */
const README = path.join(REPO_ROOT, "bench", "README.md");

type Props = Record<string, unknown>;

/**
 * Resets the request log, runs `fn` and returns its wall time and requests; with `watch`, also the
 * time to the first request (the emulator's count polled every 50 ms).
 */
async function measure(seed: SeedInfo, fn: () => Promise<void>, watch = false): Promise<PhaseResult> {
  await resetRequestCounts(seed.controlUrl);
  const t0 = performance.now();
  const watcher = watch ? watchFirstRequest(seed.controlUrl) : undefined;
  try {
    await fn();
  } catch (err) {
    await watcher?.stop();
    throw err;
  }
  const wallMs = performance.now() - t0;
  const firstRequestMs = await watcher?.stop();
  const c = await requestCounts(seed.controlUrl);
  return { wallMs, requests: c.total, rateLimited: c.rateLimited, ...(watch ? { firstRequestMs } : {}) };
}

/** Lets the server's bucket refill between phases, so each phase starts alike. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 1100));

async function floorPath(seed: SeedInfo, w: Workload): Promise<PathResult> {
  const floor = new Floor(seed, RATE);
  try {
    const phases = {} as Record<Phase, PhaseResult>;
    phases.up = await measure(seed, () => floor.up(w, 8));
    await settle();
    phases.preview = await measure(seed, () => floor.listAll(w));
    const driftMade = Math.round(w.memberships.length * DRIFT_FRACTION);
    await removeOutOfBand(seed, w, floor.membershipTokens, driftMade);
    await settle();
    phases.drift = await measure(seed, () => floor.listAll(w));
    await settle();
    phases.destroy = await measure(seed, () => floor.destroy(w, 8));
    return { path: "floor", n: w.n, phases, driftMade };
  } finally {
    floor.close();
  }
}

interface HostResource {
  kind: ResourceKind;
  name: string;
  args: Props;
  id: string;
  state: Props;
}

async function hostPath(seed: SeedInfo, w: Workload): Promise<PathResult> {
  const serialized = new Map<ResourceKind, string>();
  for (const kind of ["SpaceMembership", "OrgInvite"] as const) {
    serialized.set(kind, providerText(kind));
  }
  const config = {
    "mode:apiUrl": seed.modeApiUrl,
    "mode:apiToken": seed.mode.token,
    "mode:apiSecret": seed.mode.secret,
    "mode:orgApiUrl": seed.orgApiUrl,
    "mode:orgApiToken": seed.org.token,
  };
  const resources: HostResource[] = [
    ...w.memberships.map((m, i) => ({
      kind: "SpaceMembership" as const,
      name: `m-${i}`,
      args: { ...m, memberType: "User" },
      id: "",
      state: {},
    })),
    ...w.orgInvites.map((o, i) => ({
      kind: "OrgInvite" as const,
      name: `oi-${i}`,
      args: { ...o },
      id: "",
      state: {},
    })),
  ];
  const withProvider = (r: HostResource): Props => ({ ...r.args, __provider: serialized.get(r.kind) });
  const sampler = new ProviderMemorySampler().start();
  const hosts: ProviderHost[] = [];
  /** A new run: a fresh host process, configured as the engine does (not timed). */
  const run = async (): Promise<ProviderHost> => {
    const h = await ProviderHost.start();
    hosts.push(h);
    await h.configure(config);
    return h;
  };
  try {
    const phases = {} as Record<Phase, PhaseResult>;
    let host = await run();
    phases.up = await measure(seed, async () => {
      await pool(resources, PARALLEL, async (r) => {
        const urn = urnFor(r.kind, r.name);
        const checked = await host.check(urn, {}, withProvider(r));
        const created = await host.create(urn, checked.inputs);
        r.id = created.id;
        r.state = created.properties;
      });
    });
    await host.stop();
    const previewAll = async (h: ProviderHost): Promise<number> => {
      const drifted = await pool(resources, PARALLEL, async (r) => {
        const urn = urnFor(r.kind, r.name);
        const checked = await h.check(urn, r.state, withProvider(r));
        const d = await h.diff(urn, r.id, r.state, checked.inputs);
        return d.replaces.length > 0 ? 1 : 0;
      });
      return drifted.reduce<number>((a, b) => a + b, 0);
    };
    await settle();
    host = await run();
    phases.preview = await measure(seed, async () => void (await previewAll(host)));
    await host.stop();
    const driftMade = Math.round(w.memberships.length * DRIFT_FRACTION);
    const tokens = resources.filter((r) => r.kind === "SpaceMembership").map((r) => String(r.state.token));
    await removeOutOfBand(seed, w, tokens, driftMade);
    await settle();
    host = await run();
    let driftFound = 0;
    phases.drift = await measure(seed, async () => void (driftFound = await previewAll(host)));
    await host.stop();
    await settle();
    host = await run();
    phases.destroy = await measure(seed, async () => {
      await pool(resources, PARALLEL, (r) => host.delete(urnFor(r.kind, r.name), r.id, r.state));
    });
    await host.stop();
    return { path: "host", n: w.n, phases, peakMemoryMB: sampler.stop(), driftFound, driftMade };
  } finally {
    sampler.stop();
    for (const h of hosts) await h.stop().catch(() => undefined);
  }
}

/** One Pulumi program through the real engine, as the bench drives it. */
class EngineStack<P extends PathName | SizeKey = PathName> {
  /** Peak memory of this stack's dynamic-provider processes (sampled only during its commands). */
  readonly memory = new ProviderMemorySampler();
  private readonly args: string[];

  private constructor(
    readonly path: P,
    readonly ws: PulumiWorkspace,
  ) {
    this.args = ["--stack", ws.stack, "--parallel", String(PARALLEL)];
  }

  /**
   * A workspace for `programDir` with the workload written next to the program. The engine saves
   * the state as it does by default (a checkpoint at every step), unless `checkpoints` is "skipped"
   * (`PULUMI_SKIP_CHECKPOINTS=true`: one write at the end of each update).
   */
  static async create<P extends PathName | SizeKey>(
    path_: P,
    programDir: string,
    seed: SeedInfo,
    spec: unknown,
    checkpoints: Checkpoints = "every step",
  ): Promise<EngineStack<P>> {
    const ws = await PulumiWorkspace.create({
      programDir,
      binDir: process.env.BENCH_ENGINE_BIN,
      env: {
        MODE_API_URL: seed.modeApiUrl,
        MODE_API_TOKEN: seed.mode.token,
        MODE_API_SECRET: seed.mode.secret,
        MODE_ORG_API_URL: seed.orgApiUrl,
        MODE_ORG_API_TOKEN: seed.org.token,
        ...(checkpoints === "skipped" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
      },
    });
    fs.writeFileSync(path.join(ws.programDir, "spec.json"), JSON.stringify(spec));
    return new EngineStack(path_, ws);
  }

  /** CPU time of the processes of the last command. */
  lastCpu?: CpuSeconds;
  /** Peak RSS of the dynamic-provider process of the last command, MB. */
  lastPeakMB?: number;
  /** The steps of the last preview. */
  lastSteps: PreviewStep[] = [];

  private async run(args: string[]): Promise<string> {
    const { value, cpu, peakMB } = await this.memory.during(
      async () => (await this.ws.run(args, { timeoutMs: ENGINE_TIMEOUT_MS })).stdout,
    );
    this.lastCpu = cpu;
    this.lastPeakMB = peakMB;
    return value;
  }

  async up(): Promise<void> {
    await this.run(["up", "--yes", "--skip-preview", ...this.args]);
  }

  /** A preview; returns the resources it would replace (drift found). */
  async preview(): Promise<number> {
    const json = JSON.parse(await this.run(["preview", "--json", ...this.args])) as PreviewJson;
    this.lastSteps = json.steps ?? [];
    return this.lastSteps.filter((s) => s.op === "replace" || s.op === "create-replacement").length;
  }

  async destroy(): Promise<void> {
    await this.run(["destroy", "--yes", "--skip-preview", ...this.args]);
  }

  /** The resources of `pulumi stack export`. */
  async exported(): Promise<NonNullable<StackExport["deployment"]["resources"]>> {
    const exported = JSON.parse(
      (await this.ws.run(["stack", "export", "--stack", this.ws.stack])).stdout,
    ) as StackExport;
    return exported.deployment.resources ?? [];
  }

  /** The `token` output of every membership, by resource name. */
  async membershipTokens(w: Workload): Promise<string[]> {
    const byName = new Map<string, string>();
    for (const r of await this.exported()) {
      const name = r.urn.split("::").pop() ?? "";
      if (r.outputs && typeof r.outputs.token === "string") byName.set(name, r.outputs.token);
    }
    return w.memberships.map((_, i) => byName.get(`m-${i}`) ?? "");
  }
}

const ENGINE_PROGRAMS: Partial<Record<PathName, string>> = {
  engine: "bench/programs/engine",
  "dynamic-floor": "bench/programs/dynamic-floor",
};

/** The median sample's phase result. */
function median(results: PhaseResult[]): PhaseResult {
  const sorted = [...results].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The engine paths (ours and/or the dynamic floor) at one N, driven in turn through the same
 * engine with the same flags: both `up`, then REPEAT no-op previews of each in ABBA order, 5 % of
 * the memberships removed out of band, REPEAT drift previews in ABBA order, both `destroy`. The
 * dynamic floor's provider sends no request, so its "drift" preview is another no-op preview: the
 * engine's cost of a preview, paired with ours.
 */
async function enginePaths(seed: SeedInfo, w: Workload, names: PathName[]): Promise<PathResult[]> {
  const stacks: EngineStack[] = [];
  try {
    for (const name of names)
      stacks.push(await EngineStack.create(name, path.join(REPO_ROOT, ENGINE_PROGRAMS[name]!), seed, w));
    const results = new Map<EngineStack, Record<Phase, PhaseResult[]>>();
    for (const s of stacks) results.set(s, { up: [], preview: [], drift: [], destroy: [] });
    const driftFound = new Map<EngineStack, number>();
    const turns = (rep: number): EngineStack[] => (rep % 2 === 0 ? stacks : [...stacks].reverse());
    const timed = async (s: EngineStack, phase: Phase, fn: () => Promise<void>): Promise<void> => {
      if (s.path === "engine") await settle();
      const result = await measure(seed, fn, phase === "up" || phase === "destroy");
      results.get(s)![phase].push({ ...result, cpu: s.lastCpu, peakMemoryMB: s.lastPeakMB });
      const cpu = Object.entries(s.lastCpu ?? {})
        .map(([role, sec]) => `${role} ${sec.toFixed(2)}`)
        .join(", ");
      process.stderr.write(
        `bench:   ${s.path} ${phase} ${(result.wallMs / 1000).toFixed(2)} s (CPU s: ${cpu})\n`,
      );
    };
    const states = new Map<EngineStack, StateShape>();
    for (const s of stacks) {
      await timed(s, "up", () => s.up());
      states.set(s, stateShape(await s.exported()));
    }
    for (let rep = 0; rep < REPEAT; rep++) {
      for (const s of turns(rep)) await timed(s, "preview", async () => void (await s.preview()));
    }
    const driftMade = Math.round(w.memberships.length * DRIFT_FRACTION);
    const ours = stacks.find((s) => s.path === "engine");
    if (ours) await removeOutOfBand(seed, w, await ours.membershipTokens(w), driftMade);
    for (let rep = 0; rep < REPEAT; rep++) {
      for (const s of turns(rep)) {
        await timed(s, "drift", async () => void driftFound.set(s, await s.preview()));
      }
    }
    for (const s of stacks) await timed(s, "destroy", () => s.destroy());
    return stacks.map((s) => {
      const r = results.get(s)!;
      const phases = {} as Record<Phase, PhaseResult>;
      const samples: Partial<Record<Phase, number[]>> = {};
      const cpuSamples: Partial<Record<Phase, CpuSeconds[]>> = {};
      const peakByPhaseMB: Partial<Record<Phase, number>> = {};
      for (const p of PHASES) {
        phases[p] = median(r[p]);
        samples[p] = r[p].map((x) => x.wallMs);
        cpuSamples[p] = r[p].flatMap((x) => (x.cpu ? [x.cpu] : []));
        peakByPhaseMB[p] = Math.max(...r[p].map((x) => x.peakMemoryMB ?? 0));
      }
      const drift = s.path === "engine" ? { driftFound: driftFound.get(s) ?? 0, driftMade } : {};
      return {
        path: s.path,
        n: w.n,
        phases,
        samples,
        cpuSamples,
        peakByPhaseMB,
        peakMemoryMB: s.memory.peakMB,
        state: states.get(s),
        ...drift,
      };
    });
  } finally {
    for (const s of stacks) await s.ws.dispose();
  }
}

/**
 * `up` and `destroy` of each engine path at one N again, on fresh stacks whose engine skips the
 * checkpoints (`PULUMI_SKIP_CHECKPOINTS=true`): what that engine setting, which a user may choose,
 * changes (previews write no checkpoint, so they are not repeated).
 */
async function skippedCheckpoints(seed: SeedInfo, w: Workload, names: PathName[]): Promise<EngineUpRow[]> {
  const rows: EngineUpRow[] = [];
  for (const name of names) {
    if (name !== "engine" && name !== "dynamic-floor") continue;
    const s = await EngineStack.create(
      name,
      path.join(REPO_ROOT, ENGINE_PROGRAMS[name]!),
      seed,
      w,
      "skipped",
    );
    try {
      await settle();
      const upResult = await measure(seed, () => s.up(), true);
      const up = { ...upResult, cpu: s.lastCpu, peakMemoryMB: s.lastPeakMB };
      const state = stateShape(await s.exported());
      await settle();
      const destroyResult = await measure(seed, () => s.destroy(), true);
      const destroy = { ...destroyResult, cpu: s.lastCpu, peakMemoryMB: s.lastPeakMB };
      rows.push({ n: w.n, path: name, checkpoints: "skipped", up, destroy, state });
      process.stderr.write(
        `bench:   ${name} (checkpoints skipped) up ${seconds(up.wallMs)} s, destroy ${seconds(destroy.wallMs)} s\n`,
      );
    } finally {
      await s.ws.dispose();
    }
  }
  return rows;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** The N of a size case: its environment variable (default 1,000; 0 skips it). */
function sizeOf(c: SizeCase): number {
  const v = process.env[c.env];
  return v === undefined || v.trim() === "" ? 1000 : Number(v);
}

/**
 * One size case at `n` through the engine, against its own emulator (seeded for the case, rate
 * limit R), phase by phase with the requests, by route, each must send.
 */
async function sizeBench(c: SizeCase, n: number): Promise<SizeResult> {
  const emu = await startEmulatorProcess(REPO_ROOT, { rateLimit: RATE, ...c.seed(n) });
  try {
    return await sizeLifecycle(c, emu, n);
  } finally {
    await emu.close();
  }
}

/**
 * The phases of {@link sizeBench} on a fresh emulator: `up`, a no-op `preview`, DRIFT_FRACTION of
 * what the resource holds removed out of band, a `preview` (the drift), the repairing `up`, and
 * `destroy`.
 */
async function sizeLifecycle(c: SizeCase, emu: EmulatorProcess, n: number): Promise<SizeResult> {
  const { seed } = emu;
  const spec = await withoutRateLimit(emu, () => c.prepare(emu, n));
  const driftMade = Math.round(n * DRIFT_FRACTION);
  const workspaceMembers = await withoutRateLimit(emu, () => countWorkspaceMembers(seed));
  const facts = { n, driftMade, workspaceMembers };
  const expected = c.expected(facts);
  const stack = await EngineStack.create(c.key, path.join(REPO_ROOT, c.program), seed, spec);
  const phases = {} as Record<SizePhase, SizePhaseResult>;
  const timed = async (phase: SizePhase, fn: () => Promise<void>): Promise<void> => {
    const expectedByRoute = expected[phase];
    const sum = (get: boolean): number =>
      Object.entries(expectedByRoute)
        .filter(([route]) => route.startsWith("GET ") === get)
        .reduce((sum, [, k]) => sum + k, 0);
    await settle();
    await resetRequestCounts(seed.controlUrl);
    const t0 = performance.now();
    await fn();
    const wallMs = performance.now() - t0;
    const counts = await requestCounts(seed.controlUrl);
    const result: SizePhaseResult = {
      wallMs,
      requests: counts.total,
      rateLimited: counts.rateLimited,
      byRoute: counts.byRoute,
      expectedByRoute,
      expected: sum(true) + sum(false),
      writes: sum(false),
      cpu: stack.lastCpu,
      peakMemoryMB: stack.lastPeakMB,
    };
    phases[phase] = result;
    const flag = sameRoutes(result.byRoute, expectedByRoute)
      ? ""
      : ` (expected ${result.expected}: ${JSON.stringify(expectedByRoute)}; sent ${JSON.stringify(result.byRoute)})`;
    process.stderr.write(
      `bench: ${c.key} N=${n} ${phase} ${seconds(wallMs)} s, ${result.requests} requests${flag}\n`,
    );
  };
  try {
    await timed("up", () => stack.up());
    await timed("preview", async () => void (await stack.preview()));
    const resource = (await stack.exported()).find((r) => r.urn.endsWith(`::${c.name}`));
    if (!resource) throw new Error(`the stack has no resource ${c.name}`);
    const held = c.held(resource);
    if (held !== n) throw new Error(`the ${c.resource} holds ${held} users after up, not ${n}`);
    await withoutRateLimit(emu, () => c.drift(emu, resource, driftMade));
    await timed("drift", async () => void (await stack.preview()));
    const driftSteps: Record<string, number> = {};
    for (const st of stack.lastSteps) driftSteps[st.op] = (driftSteps[st.op] ?? 0) + 1;
    await timed("repair", () => stack.up());
    await timed("destroy", () => stack.destroy());
    const ok =
      SIZE_PHASES.every((ph) => sameRoutes(phases[ph].byRoute, phases[ph].expectedByRoute)) &&
      driftSteps.update === 1 &&
      Object.keys(driftSteps).every((op) => op === "update" || op === "same");
    return {
      case: c.key,
      resource: c.resource,
      n,
      rateLimit: RATE,
      pageSize: MODE_PAGE_SIZE,
      pages: pagesOf(n),
      workspaceMembers: facts.workspaceMembers,
      driftMade,
      driftSteps,
      phases,
      ok,
    };
  } finally {
    await stack.ws.dispose();
  }
}

/**
 * Runs a size case and writes bench/results/<key>-results.{md,json} and the README's
 * `generated:<key>` block; false when a phase missed its expected requests or the drift its steps.
 */
async function runSizeCase(c: SizeCase, n: number): Promise<boolean> {
  const started = Date.now();
  const loadBefore = loadAverage();
  process.stderr.write(`bench: ${c.key} N=${n}...\n`);
  const r = await sizeBench(c, n);
  const facts = { n, driftMade: r.driftMade, workspaceMembers: r.workspaceMembers };
  const table = sizeTable(r);
  const steps = Object.entries(r.driftSteps)
    .map(([op, k]) => `${op} ${k}`)
    .join(", ");
  const sections = [
    `Generated by \`${c.env}=${n} npm run bench\` on ${new Date().toISOString()} ` +
      `(${Math.round((Date.now() - started) / 1000)} s; 1-minute load average ${loadBefore} at the start, ` +
      `${loadAverage()} at the end, on ${os.cpus().length} cores).`,
    `${c.describe(facts)} Through the engine (\`--parallel ${PARALLEL}\`); emulator in its own process, ` +
      `rate limit R = ${r.rateLimit} req/s, listing page size ${r.pageSize} (${r.pages} pages at N). Drift: ` +
      `${r.driftMade} of the N removed out of band; the drift preview's steps: ${steps}. Floor: the phase's ` +
      `writes over R; "expected" is the listing pages plus those writes, route by route. ` +
      `${r.ok ? "Every phase sent exactly its expected requests." : "**A phase missed its expected requests or steps.**"}`,
    "",
    table,
  ];
  const md = [`# Benchmark results: one ${c.resource}`, "", ...sections, ""].join("\n");
  const outDir = path.join(REPO_ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, `${c.key}-results.md`), md);
  if (!replaceGeneratedBlock(README, c.key, sections.join("\n"))) {
    process.stderr.write(`bench: bench/README.md has no generated:${c.key} block; not updated\n`);
  }
  fs.writeFileSync(path.join(outDir, `${c.key}-results.json`), JSON.stringify(r, null, 2) + "\n");
  process.stdout.write(`${c.resource} of ${n}:\n${table}\n\n`);
  return r.ok;
}

/**
 * The `pulumi-mode report` and `generate` measurement (bench/report-bench.ts) with its options from
 * the environment; writes bench/results/report-results.{md,json} and the README's
 * `generated:report` block. False when a command wrote or sent more than 10 % over the minimum.
 */
async function runReport(): Promise<boolean> {
  const started = Date.now();
  const loadBefore = loadAverage();
  process.stderr.write("bench: report...\n");
  const r = await reportBench(reportBenchOptions());
  const table = reportBenchTable(r);
  const bad = reportBenchFailures(r);
  const sections = [
    `Generated by \`npm run bench\` on ${new Date().toISOString()} (${Math.round((Date.now() - started) / 1000)} s; ` +
      `1-minute load average ${loadBefore} at the start, ${loadAverage()} at the end, on ${os.cpus().length} cores).`,
    `\`pulumi-mode report --format json\` and \`pulumi-mode generate\`, each its own process, against the ` +
      `emulator in its own process: ${reportBenchSetup(r)}. Minimum: every list's pages at the emulator's page ` +
      `size; requests / R: the requests at R per second (the bucket's burst of R lets the first R go at once, ` +
      `so a command paced exactly at R takes (requests − R) / R). ` +
      `${bad.length === 0 ? "No command wrote or sent more than 10 % over the minimum." : `**Over the minimum or writing: ${bad.map((f) => f.command).join(", ")}.**`}`,
    "",
    table,
  ];
  const outDir = path.join(REPO_ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const md = ["# Benchmark results: pulumi-mode report and generate", "", ...sections, ""].join("\n");
  fs.writeFileSync(path.join(outDir, "report-results.md"), md);
  writeReportBenchJson(r);
  if (!replaceGeneratedBlock(README, "report", sections.join("\n"))) {
    process.stderr.write("bench: bench/README.md has no generated:report block; not updated\n");
  }
  process.stdout.write(`pulumi-mode report and generate:\n${table}\n`);
  return bad.length === 0;
}

const RUNNERS: Partial<Record<PathName, (seed: SeedInfo, w: Workload) => Promise<PathResult>>> = {
  floor: floorPath,
  host: hostPath,
};

/** The paths in runs: each on its own, except the engine paths, which run in turn in one run. */
function runsOf(paths: PathName[]): PathName[][] {
  const engine = paths.filter((p) => ENGINE_PROGRAMS[p] !== undefined);
  const runs = paths.filter((p) => ENGINE_PROGRAMS[p] === undefined).map((p) => [p]);
  return engine.length > 0 ? [...runs, engine] : runs;
}

/** Whether BENCH_ONLY (a comma list of parts; empty or unset: every part) selects `part`. */
function selected(part: string): boolean {
  const only = (process.env.BENCH_ONLY ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return only.length === 0 || only.includes(part);
}

async function main(): Promise<void> {
  if (PATHS.length > 0 && selected("mixed")) await mixed();
  for (const c of SIZE_CASES) {
    const n = sizeOf(c);
    if (n <= 0 || !selected(c.key)) continue;
    if (!(await runSizeCase(c, n))) {
      process.stderr.write(`bench: the ${c.resource} case missed its expected requests\n`);
      process.exitCode = 1;
    }
  }
  if (REPORT && selected("report") && !(await runReport())) {
    process.stderr.write("bench: pulumi-mode report or generate sent more than the minimum, or wrote\n");
    process.exitCode = 1;
  }
}

/** The mixed workload over the paths of BENCH_PATHS at BENCH_SIZES; writes bench/results/results.*. */
async function mixed(): Promise<void> {
  const started = Date.now();
  const loadBefore = loadAverage();
  const rows: PathResult[] = [];
  const skipped: EngineUpRow[] = [];
  for (const n of SIZES) {
    for (const run of runsOf(PATHS)) {
      // A fresh emulator per run: empty collections and a full bucket.
      const users = Math.max(1, Math.ceil((n * 0.9) / SPACES));
      const emu = await startEmulatorProcess(REPO_ROOT, { rateLimit: RATE, users, spaces: SPACES });
      try {
        const w = makeWorkload(emu.seed, n);
        process.stderr.write(`bench: N=${n} ${run.join(" + ")}...\n`);
        const runner = RUNNERS[run[0]];
        const results = runner ? [await runner(emu.seed, w)] : await enginePaths(emu.seed, w, run);
        if (!runner && SKIPPED_CHECKPOINTS) skipped.push(...(await skippedCheckpoints(emu.seed, w, run)));
        for (const row of results) {
          rows.push(row);
          const s = PHASES.map((ph) => `${ph} ${(row.phases[ph].wallMs / 1000).toFixed(2)}s`).join(", ");
          const mem = row.peakMemoryMB ? `, peak ${row.peakMemoryMB.toFixed(0)} MB` : "";
          process.stderr.write(
            `bench: N=${n} ${row.path}: ${s}, up util ${utilisation(row.phases.up, RATE).toFixed(3)}${mem}\n`,
          );
        }
        const c = dynamicFloorComparison(rows, n);
        if (c && run.includes("dynamic-floor")) {
          process.stderr.write(`bench: N=${n} engine over dynamic floor: ${JSON.stringify(c)}\n`);
        }
      } finally {
        await emu.close();
      }
    }
  }
  const table = markdownTable(rows, RATE);
  const head = PATHS.includes("host") && PATHS.includes("floor") ? headline(rows, RATE) : undefined;
  const largest = Math.max(...SIZES);
  const dynamicFloor = dynamicFloorComparison(rows, largest);
  const dynTable = dynamicFloorTable(rows);
  const upRows = [...engineUpRows(rows), ...skipped];
  const upTable = upRows.length > 0 ? engineUpTable(upRows, RATE) : "";
  const stateParts = upRows.length > 0 ? stateTable(upRows) : "";
  const outDir = path.join(REPO_ROOT, "bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const generated =
    `Generated by \`npm run bench\` on ${new Date().toISOString()} (${Math.round((Date.now() - started) / 1000)} s; ` +
    `1-minute load average ${loadBefore} at the start, ${loadAverage()} at the end, on ${os.cpus().length} cores).`;
  const sections = [
    generated,
    `Emulator in its own process, rate limit R = ${RATE} req/s (token bucket, burst R); ` +
      `N mixed resources: 90 % space memberships over ${SPACES} spaces, 10 % organization invites; ` +
      `drift = ${DRIFT_FRACTION * 100} % of the memberships removed out of band; ` +
      `host concurrency and engine \`--parallel\` = ${PARALLEL}; the engine checkpoints the state at every step ` +
      `(its default) unless the table says otherwise.`,
    "",
    table,
    "",
    ...(upTable
      ? [
          "The engine paths' `up` and `destroy`, with the engine's default checkpointing (the lifecycle above) " +
            "and with `PULUMI_SKIP_CHECKPOINTS=true` (fresh stacks, `up` then `destroy`). Share of R: accepted " +
            "requests over R·t + R; request floor: the requests beyond the burst R at R per second; first request: " +
            "from the command's start to the first request the emulator saw; state bytes: the mean size of a " +
            "resource in `pulumi stack export` (compact JSON).",
          "",
          upTable,
          "",
          "What the state holds per resource, by part (mean bytes in `pulumi stack export`, compact JSON, " +
            "after the lifecycle's `up`):",
          "",
          stateParts,
          "",
        ]
      : []),
    ...(dynamicFloor
      ? [
          "The engine path over the dynamic floor (the same resources as no-op dynamic resources through the " +
            "same engine and flags): median of the paired ratios (min–max), repetitions of preview/drift; " +
            "CPU is the seconds of the engine CLI, language host, program and dynamic-provider host.",
          "",
          dynTable,
          "",
        ]
      : []),
  ];
  const md = [
    "# Benchmark results",
    "",
    ...sections,
    head ? "```json\n" + JSON.stringify(head, null, 2) + "\n```" : "",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(outDir, "results.md"), md);
  if (!replaceGeneratedBlock(README, "results", sections.join("\n"))) {
    process.stderr.write("bench: bench/README.md has no generated:results block; not updated\n");
  }
  fs.writeFileSync(
    path.join(outDir, "results.json"),
    JSON.stringify(
      {
        ...(head ?? {}),
        engineOverDynamicFloor: dynamicFloor,
        rateLimit: RATE,
        parallel: PARALLEL,
        repeat: REPEAT,
        loadAverage: { start: loadBefore, end: loadAverage() },
        engineUp: upRows,
        rows,
      },
      null,
      2,
    ) + "\n",
  );
  fs.writeFileSync(path.join(outDir, "chart.svg"), svgChart(rows, RATE));
  process.stdout.write(
    `${table}\n\n${upTable ? upTable + "\n\n" : ""}${dynamicFloor ? dynTable + "\n\n" : ""}${head ? JSON.stringify(head, null, 2) : ""}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
