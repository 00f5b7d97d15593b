/**
 * `npm run bench`: the lifecycle of N mixed resources (90 % space memberships over 10 spaces, 10 %
 * organization invites) against the emulator (own process, rate-limited to R requests per second),
 * side by side in one run:
 *  - floor:  a minimal keep-alive HTTP loop sending the same requests, paced by an oracle of R;
 *  - host:   the provider driven through the dynamic-provider host (no engine), a fresh host per phase;
 *  - engine: the same lifecycle through the real Pulumi engine.
 * Phases: `up`, no-op `preview`, `preview` after 5 % of the memberships were removed out of band, `destroy`.
 * Writes bench/results.md, bench/results.json and bench/chart.svg.
 *
 * Environment: BENCH_SIZES (default "100,1000"), BENCH_RATE (R, default 50), BENCH_PATHS
 * (default "floor,host,engine"), BENCH_PARALLEL (engine --parallel and host concurrency, default 64).
 */
import * as fs from "fs";
import * as path from "path";
import type { SeedInfo } from "../emulator";
import { providerShim } from "../sdk/shim";
import type { ResourceKind } from "../provider";
import { ProviderHost, REPO_ROOT, serializeProvider, urnFor } from "./harness/provider-host";
import { PulumiWorkspace, type PreviewJson, type StackExport } from "./harness/engine";
import {
  Floor,
  makeWorkload,
  pool,
  ProviderMemorySampler,
  removeOutOfBand,
  requestCounts,
  resetRequestCounts,
  startEmulatorProcess,
  type Workload,
} from "./bench-support";
import {
  headline,
  markdownTable,
  PHASES,
  svgChart,
  utilisation,
  type PathName,
  type PathResult,
  type Phase,
  type PhaseResult,
} from "./bench-report";

const SIZES = (process.env.BENCH_SIZES ?? "100,1000").split(",").map((s) => Number(s.trim()));
const RATE = Number(process.env.BENCH_RATE ?? 50);
const PATHS = (process.env.BENCH_PATHS ?? "floor,host,engine").split(",").map((s) => s.trim()) as PathName[];
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 64);
const DRIFT_FRACTION = 0.05;
const SPACES = 10;
const ENGINE_TIMEOUT_MS = 10 * 60 * 1000;

type Props = Record<string, unknown>;

/** Resets the request log, runs `fn` and returns its wall time and requests. */
async function measure(seed: SeedInfo, fn: () => Promise<void>): Promise<PhaseResult> {
  await resetRequestCounts(seed.controlUrl);
  const t0 = performance.now();
  await fn();
  const wallMs = performance.now() - t0;
  const c = await requestCounts(seed.controlUrl);
  return { wallMs, requests: c.total, rateLimited: c.rateLimited };
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
    serialized.set(kind, await serializeProvider(providerShim(kind)));
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

async function enginePath(seed: SeedInfo, w: Workload): Promise<PathResult> {
  const ws = await PulumiWorkspace.create({
    programDir: path.join(REPO_ROOT, "tests/fixtures/bench"),
    env: {
      MODE_API_URL: seed.modeApiUrl,
      MODE_API_TOKEN: seed.mode.token,
      MODE_API_SECRET: seed.mode.secret,
      MODE_ORG_API_URL: seed.orgApiUrl,
      MODE_ORG_API_TOKEN: seed.org.token,
      // One checkpoint at the end of an update instead of one per step (O(N²) writes otherwise).
      PULUMI_SKIP_CHECKPOINTS: "true",
    },
  });
  const sampler = new ProviderMemorySampler().start();
  try {
    fs.writeFileSync(path.join(ws.programDir, "spec.json"), JSON.stringify(w));
    const stack = ["--stack", ws.stack, "--parallel", String(PARALLEL)];
    const opts = { timeoutMs: ENGINE_TIMEOUT_MS };
    const preview = async (): Promise<number> => {
      const res = await ws.run(["preview", "--json", ...stack], opts);
      const json = JSON.parse(res.stdout) as PreviewJson;
      return (json.steps ?? []).filter((s) => s.op === "replace" || s.op === "create-replacement").length;
    };
    const phases = {} as Record<Phase, PhaseResult>;
    phases.up = await measure(
      seed,
      async () => void (await ws.run(["up", "--yes", "--skip-preview", ...stack], opts)),
    );
    await settle();
    phases.preview = await measure(seed, async () => void (await preview()));
    const exported = JSON.parse(
      (await ws.run(["stack", "export", "--stack", ws.stack])).stdout,
    ) as StackExport;
    const byName = new Map<string, string>();
    for (const r of exported.deployment.resources ?? []) {
      const name = r.urn.split("::").pop() ?? "";
      if (r.outputs && typeof r.outputs.token === "string") byName.set(name, r.outputs.token);
    }
    const tokens = w.memberships.map((_, i) => byName.get(`m-${i}`) ?? "");
    const driftMade = Math.round(w.memberships.length * DRIFT_FRACTION);
    await removeOutOfBand(seed, w, tokens, driftMade);
    await settle();
    let driftFound = 0;
    phases.drift = await measure(seed, async () => void (driftFound = await preview()));
    await settle();
    phases.destroy = await measure(
      seed,
      async () => void (await ws.run(["destroy", "--yes", "--skip-preview", ...stack], opts)),
    );
    return { path: "engine", n: w.n, phases, peakMemoryMB: sampler.stop(), driftFound, driftMade };
  } finally {
    sampler.stop();
    await ws.dispose();
  }
}

const RUNNERS: Record<PathName, (seed: SeedInfo, w: Workload) => Promise<PathResult>> = {
  floor: floorPath,
  host: hostPath,
  engine: enginePath,
};

async function main(): Promise<void> {
  const started = Date.now();
  const rows: PathResult[] = [];
  for (const n of SIZES) {
    for (const p of PATHS) {
      // A fresh emulator per path: empty collections and a full bucket.
      const users = Math.max(1, Math.ceil((n * 0.9) / SPACES));
      const emu = await startEmulatorProcess(REPO_ROOT, { rateLimit: RATE, users, spaces: SPACES });
      try {
        const w = makeWorkload(emu.seed, n);
        process.stderr.write(`bench: N=${n} ${p}...\n`);
        const row = await RUNNERS[p](emu.seed, w);
        rows.push(row);
        const s = PHASES.map((ph) => `${ph} ${(row.phases[ph].wallMs / 1000).toFixed(2)}s`).join(", ");
        process.stderr.write(
          `bench: N=${n} ${p}: ${s}, up util ${utilisation(row.phases.up, RATE).toFixed(3)}\n`,
        );
      } finally {
        await emu.close();
      }
    }
  }
  const table = markdownTable(rows, RATE);
  const head = PATHS.includes("host") && PATHS.includes("floor") ? headline(rows, RATE) : undefined;
  const outDir = path.join(REPO_ROOT, "bench");
  fs.mkdirSync(outDir, { recursive: true });
  const md = [
    "# Benchmark results",
    "",
    `Generated by \`npm run bench\` on ${new Date().toISOString()} (${Math.round((Date.now() - started) / 1000)} s).`,
    `Emulator in its own process, rate limit R = ${RATE} req/s (token bucket, burst R); ` +
      `N mixed resources: 90 % space memberships over ${SPACES} spaces, 10 % organization invites; ` +
      `drift = ${DRIFT_FRACTION * 100} % of the memberships removed out of band; ` +
      `host concurrency and engine \`--parallel\` = ${PARALLEL}.`,
    "",
    table,
    "",
    head ? "```json\n" + JSON.stringify(head, null, 2) + "\n```" : "",
    "",
  ].join("\n");
  fs.writeFileSync(path.join(outDir, "results.md"), md);
  fs.writeFileSync(
    path.join(outDir, "results.json"),
    JSON.stringify({ ...(head ?? {}), rateLimit: RATE, parallel: PARALLEL, rows }, null, 2) + "\n",
  );
  fs.writeFileSync(path.join(outDir, "chart.svg"), svgChart(rows, RATE));
  process.stdout.write(`${table}\n\n${head ? JSON.stringify(head, null, 2) : ""}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
