/**
 * Benchmark reporting: the measured rows, the printed/Markdown table, `results.json` and the SVG
 * chart (wall time of the whole lifecycle against N, one line per path).
 */

import type { CpuSeconds, StatePart, StateShape } from "./support";

/** The lifecycle phases, in order. */
export const PHASES = ["up", "preview", "drift", "destroy"] as const;
/** One lifecycle phase. */
export type Phase = (typeof PHASES)[number];
/** How the lifecycle was driven. */
export type PathName = "floor" | "host" | "engine" | "dynamic-floor";

/** What one phase cost. */
export interface PhaseResult {
  /** Wall time in milliseconds. */
  wallMs: number;
  /** API requests the emulator counted (including 429s). */
  requests: number;
  /** Requests answered 429. */
  rateLimited: number;
  /** CPU seconds of the engine's processes by role (engine paths only). */
  cpu?: CpuSeconds;
  /** Milliseconds from the phase's start to the first request the emulator saw (engine paths). */
  firstRequestMs?: number;
  /** Peak RSS of the dynamic-provider process during this phase, MB (engine paths only). */
  peakMemoryMB?: number;
}

/** One path at one N. */
export interface PathResult {
  /** The path. */
  path: PathName;
  /** Resources. */
  n: number;
  /** Per phase (the median repetition, when a phase was repeated). */
  phases: Record<Phase, PhaseResult>;
  /**
   * Wall times in ms of every repetition of a repeated phase, in run order. The engine and the
   * dynamic floor run their repetitions in turn (ABBA), so sample i of one pairs with sample i of the other.
   */
  samples?: Partial<Record<Phase, number[]>>;
  /** CPU seconds by process role of every repetition (engine paths), in run order. */
  cpuSamples?: Partial<Record<Phase, CpuSeconds[]>>;
  /** Per phase: the highest provider peak RSS over its repetitions, MB (engine paths). */
  peakByPhaseMB?: Partial<Record<Phase, number>>;
  /** Peak resident memory of the provider process(es) in MB (not for the floor). */
  peakMemoryMB?: number;
  /** What the stack's state held per resource after `up` (engine paths). */
  state?: StateShape;
  /** Drifted resources the drift preview reported (not for the floor). */
  driftFound?: number;
  /** Drifted resources made out of band. */
  driftMade?: number;
}

/** The headline figures of the issue, for N = 1000 (or the largest N run). */
export interface Headline {
  /** N the figures are for. */
  n: number;
  /** Requests per resource of a no-op preview (the worse of the host and engine paths). */
  previewRequestsPerResource: number;
  /** Accepted requests of `up` over what the server could accept in that time (R·t + burst R), host path. */
  rateLimitUtilisation: number;
  /** 429s over all requests of `up`, host path. */
  rate429Fraction: number;
  /**
   * Host-path wall time over the floor's for the operations that send a request per resource
   * (`up` + `destroy`). A preview's floor is a handful of listings, so its ratio is reported apart.
   */
  overheadRatio: number;
  /** Host path over floor, per phase. */
  overheadRatioByPhase: Record<Phase, number>;
  /** Host path over floor, all four phases summed. */
  overheadRatioLifecycle: number;
  /** Peak resident memory of a provider process, MB (the worse of host and engine). */
  providerPeakMemoryMB: number;
  /** The same figures through the real engine, when it ran. */
  engine?: {
    /** Utilisation of R during `up`. */
    rateLimitUtilisation: number;
    /** 429s over all requests of `up`. */
    rate429Fraction: number;
    /** Engine path over floor, per phase. */
    overheadRatioByPhase: Record<Phase, number>;
    /** Peak resident memory of the engine's provider process, MB. */
    providerPeakMemoryMB: number;
  };
  /** The engine path over the dynamic floor (same engine, same flags, a provider that does nothing). */
  engineOverDynamicFloor?: DynamicFloorComparison;
}

/** The engine path over the dynamic floor at one N. */
export interface DynamicFloorComparison {
  /** N. */
  n: number;
  /** Per phase: median, min and max of the paired ratios (engine sample i over floor sample i). */
  ratios: Record<Phase, Spread>;
  /** Paired repetitions per phase. */
  repetitions: Record<Phase, number>;
  /** Peak resident memory of the engine path's dynamic-provider process, MB. */
  providerPeakMemoryMB: number;
  /** Peak resident memory of the dynamic floor's dynamic-provider process, MB. */
  floorPeakMemoryMB: number;
  /** Per phase: the highest provider peak RSS over its repetitions, MB, ours and the floor's. */
  peakMemoryByPhaseMB: Partial<Record<Phase, { ours: number; floor: number }>>;
  /**
   * CPU seconds of the command's engine processes (engine CLI, language host, program, provider host):
   * median, min and max of the paired ratios, and the median seconds by role of each side. Less
   * sensitive than wall time to other work on the machine.
   */
  cpu: Partial<Record<Phase, { ratio: Spread; ours: CpuSeconds; floor: CpuSeconds }>>;
}

/** Median and range of a set of values. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median, min and max of `values` (rounded to 3 digits). */
export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median, 3), min: round(sorted[0], 3), max: round(sorted[sorted.length - 1], 3) };
}

/** The engine path over the dynamic floor at `n`, when both ran. */
export function dynamicFloorComparison(rows: PathResult[], n: number): DynamicFloorComparison | undefined {
  const engine = rows.find((r) => r.n === n && r.path === "engine");
  const floor = rows.find((r) => r.n === n && r.path === "dynamic-floor");
  if (!engine || !floor) return undefined;
  const ratios = {} as Record<Phase, Spread>;
  const repetitions = {} as Record<Phase, number>;
  for (const p of PHASES) {
    const a = engine.samples?.[p] ?? [engine.phases[p].wallMs];
    const b = floor.samples?.[p] ?? [floor.phases[p].wallMs];
    const k = Math.min(a.length, b.length);
    ratios[p] = spread(Array.from({ length: k }, (_, i) => a[i] / Math.max(1, b[i])));
    repetitions[p] = k;
  }
  const cpu: DynamicFloorComparison["cpu"] = {};
  for (const p of PHASES) {
    const a = engine.cpuSamples?.[p];
    const b = floor.cpuSamples?.[p];
    if (!a || !b || a.length === 0 || b.length === 0) continue;
    const k = Math.min(a.length, b.length);
    // The engine's processes only: "other" (the launcher, the emulator) is not the engine's work.
    const total = (c: CpuSeconds): number => c.engine + c.language + c.program + c.provider;
    const medianByRole = (xs: CpuSeconds[]): CpuSeconds => {
      const out = { ...xs[0] };
      for (const role of Object.keys(out) as (keyof CpuSeconds)[]) {
        out[role] = spread(xs.map((x) => x[role])).median;
      }
      return out;
    };
    cpu[p] = {
      ratio: spread(Array.from({ length: k }, (_, i) => total(a[i]) / Math.max(0.01, total(b[i])))),
      ours: medianByRole(a),
      floor: medianByRole(b),
    };
  }
  const peakMemoryByPhaseMB: DynamicFloorComparison["peakMemoryByPhaseMB"] = {};
  for (const p of PHASES) {
    const ours = engine.peakByPhaseMB?.[p];
    const theirs = floor.peakByPhaseMB?.[p];
    if (ours !== undefined && theirs !== undefined) {
      peakMemoryByPhaseMB[p] = { ours: round(ours, 1), floor: round(theirs, 1) };
    }
  }
  return {
    n,
    ratios,
    repetitions,
    cpu,
    peakMemoryByPhaseMB,
    providerPeakMemoryMB: round(engine.peakMemoryMB ?? 0, 1),
    floorPeakMemoryMB: round(floor.peakMemoryMB ?? 0, 1),
  };
}

/** The comparison with the dynamic floor as a Markdown table, one line per N. */
export function dynamicFloorTable(rows: PathResult[]): string {
  const head = [
    "N",
    "preview s (ours / floor)",
    "preview ×dyn. floor",
    "drift s (ours / floor)",
    "drift ×dyn. floor",
    "preview CPU ×dyn. floor",
    "drift CPU ×dyn. floor",
    "up ×dyn. floor",
    "destroy ×dyn. floor",
    "reps",
    "peak MB (ours / floor)",
    "preview peak MB (ours / floor)",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const n of [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b)) {
    const c = dynamicFloorComparison(rows, n);
    const engine = rows.find((r) => r.n === n && r.path === "engine");
    const floor = rows.find((r) => r.n === n && r.path === "dynamic-floor");
    if (!c || !engine || !floor) continue;
    const fmt = (x: Spread): string => `${x.median.toFixed(2)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})`;
    const secs = (p: Phase): string =>
      `${seconds(engine.phases[p].wallMs)} / ${seconds(floor.phases[p].wallMs)}`;
    lines.push(
      `| ${[
        String(n),
        secs("preview"),
        fmt(c.ratios.preview),
        secs("drift"),
        fmt(c.ratios.drift),
        c.cpu.preview ? fmt(c.cpu.preview.ratio) : "-",
        c.cpu.drift ? fmt(c.cpu.drift.ratio) : "-",
        fmt(c.ratios.up),
        fmt(c.ratios.destroy),
        `${c.repetitions.preview}/${c.repetitions.drift}`,
        `${c.providerPeakMemoryMB.toFixed(0)} / ${c.floorPeakMemoryMB.toFixed(0)}`,
        c.peakMemoryByPhaseMB.preview
          ? `${c.peakMemoryByPhaseMB.preview.ours.toFixed(0)} / ${c.peakMemoryByPhaseMB.preview.floor.toFixed(0)}`
          : "-",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** How the engine saved the stack's state during an `up` or `destroy`. */
export type Checkpoints = "every step" | "skipped";

/** One engine path's `up` and `destroy` under one way of checkpointing. */
export interface EngineUpRow {
  /** Resources. */
  n: number;
  /** Ours or the dynamic floor. */
  path: "engine" | "dynamic-floor";
  /** "every step": the engine's default; "skipped": `PULUMI_SKIP_CHECKPOINTS=true` (one write at the end). */
  checkpoints: Checkpoints;
  /** The `up`. */
  up: PhaseResult;
  /** The `destroy`. */
  destroy: PhaseResult;
  /** The state after `up`. */
  state: StateShape;
}

/** The rows of the engine paths' lifecycle (their `up` and `destroy`, checkpoints at every step). */
export function engineUpRows(rows: PathResult[]): EngineUpRow[] {
  return rows.flatMap((r) =>
    (r.path === "engine" || r.path === "dynamic-floor") && r.state
      ? [
          {
            n: r.n,
            path: r.path,
            checkpoints: "every step" as const,
            up: r.phases.up,
            destroy: r.phases.destroy,
            state: r.state,
          },
        ]
      : [],
  );
}

/** The request floor of a phase: its requests beyond the burst R, at R per second, in ms. */
export function requestFloorMs(p: PhaseResult, rateLimit: number): number {
  return rateLimit > 0 ? (Math.max(0, p.requests - rateLimit) / rateLimit) * 1000 : 0;
}

/** The engine paths' `up` (and `destroy`): share of R, over the request floor, state per resource. */
export function engineUpTable(rows: EngineUpRow[], rateLimit: number): string {
  const head = [
    "N",
    "path",
    "checkpoints",
    "up s",
    "first request s",
    "up: share of R",
    "up ×request floor",
    "destroy s",
    "destroy: share of R",
    "state bytes/res.",
    "×dyn. floor's",
    "`__provider` chars",
    "up CPU s: engine / program / provider",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  const sorted = [...rows].sort(
    (a, b) => a.n - b.n || a.checkpoints.localeCompare(b.checkpoints) || a.path.localeCompare(b.path),
  );
  for (const r of sorted) {
    const floor = rows.find(
      (f) => f.n === r.n && f.checkpoints === r.checkpoints && f.path === "dynamic-floor",
    );
    const sends = r.up.requests > 0;
    const overFloor = (p: PhaseResult): string => {
      const f = requestFloorMs(p, rateLimit);
      return f > 0 ? (p.wallMs / f).toFixed(2) : "-";
    };
    const cpu = r.up.cpu;
    lines.push(
      `| ${[
        String(r.n),
        r.path,
        r.checkpoints,
        seconds(r.up.wallMs),
        r.up.firstRequestMs === undefined ? "-" : seconds(r.up.firstRequestMs),
        sends ? utilisation(r.up, rateLimit).toFixed(3) : "-",
        sends ? overFloor(r.up) : "-",
        seconds(r.destroy.wallMs),
        r.destroy.requests > 0 ? utilisation(r.destroy, rateLimit).toFixed(3) : "-",
        String(r.state.bytesPerResource),
        floor ? (r.state.bytesPerResource / floor.state.bytesPerResource).toFixed(2) : "-",
        r.state.providerChars.join(", "),
        cpu ? `${cpu.engine.toFixed(1)} / ${cpu.program.toFixed(1)} / ${cpu.provider.toFixed(1)}` : "-",
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** What the state holds per resource, by part, for each engine path and N (after the lifecycle's `up`). */
export function stateTable(rows: EngineUpRow[]): string {
  const parts: StatePart[] = [
    "provider text",
    "other inputs and outputs",
    "source position and stack",
    "engine",
  ];
  const head = [
    "N",
    "path",
    "bytes/res.",
    "`__provider` (inputs + outputs)",
    "other inputs and outputs",
    "`sourcePosition` + `stackTrace` (SDK)",
    "URN, type, parent, provider, id, dates, dependencies (engine)",
    "`__provider` chars",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "--:").join("|")}|`];
  for (const r of [...rows].filter((x) => x.checkpoints === "every step").sort((a, b) => a.n - b.n)) {
    lines.push(
      `| ${[
        String(r.n),
        r.path,
        String(r.state.bytesPerResource),
        ...parts.map((p) => String(r.state.parts[p])),
        r.state.providerChars.join(", "),
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** Per-phase wall-time ratios of `r` over `floor`. */
function ratios(r: PathResult, floor: PathResult): Record<Phase, number> {
  const out = {} as Record<Phase, number>;
  for (const p of PHASES) out[p] = round(r.phases[p].wallMs / Math.max(1, floor.phases[p].wallMs), 3);
  return out;
}

/** Rate-limit utilisation of a phase: accepted requests over R·t + R (the bucket starts full). */
export function utilisation(p: PhaseResult, rateLimit: number): number {
  if (rateLimit <= 0) return 0;
  const capacity = rateLimit * (p.wallMs / 1000) + rateLimit;
  return Math.min(1, (p.requests - p.rateLimited) / capacity);
}

/** Sum of the four phases' wall time. */
export function totalMs(r: PathResult): number {
  return PHASES.reduce((sum, p) => sum + r.phases[p].wallMs, 0);
}

/** The headline figures from the rows of the largest N. */
export function headline(rows: PathResult[], rateLimit: number): Headline {
  const n = Math.max(...rows.map((r) => r.n));
  const at = (path: PathName): PathResult | undefined => rows.find((r) => r.n === n && r.path === path);
  const floor = at("floor");
  const host = at("host");
  const engine = at("engine");
  if (!floor || !host) throw new Error(`no floor/host rows for N=${n}`);
  const providers = [host, engine].filter((r): r is PathResult => r !== undefined);
  const up = host.phases.up;
  return {
    n,
    previewRequestsPerResource: round(Math.max(...providers.map((r) => r.phases.preview.requests / n)), 4),
    rateLimitUtilisation: round(utilisation(up, rateLimit), 3),
    rate429Fraction: round(up.requests > 0 ? up.rateLimited / up.requests : 0, 4),
    overheadRatio: round(
      (host.phases.up.wallMs + host.phases.destroy.wallMs) /
        (floor.phases.up.wallMs + floor.phases.destroy.wallMs),
      3,
    ),
    overheadRatioByPhase: ratios(host, floor),
    overheadRatioLifecycle: round(totalMs(host) / totalMs(floor), 3),
    providerPeakMemoryMB: round(Math.max(...providers.map((r) => r.peakMemoryMB ?? 0)), 1),
    engine: engine && {
      rateLimitUtilisation: round(utilisation(engine.phases.up, rateLimit), 3),
      rate429Fraction: round(
        engine.phases.up.requests > 0 ? engine.phases.up.rateLimited / engine.phases.up.requests : 0,
        4,
      ),
      overheadRatioByPhase: ratios(engine, floor),
      providerPeakMemoryMB: round(engine.peakMemoryMB ?? 0, 1),
    },
    engineOverDynamicFloor: dynamicFloorComparison(rows, n),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

/** The table as Markdown rows (also printed). */
export function markdownTable(rows: PathResult[], rateLimit: number): string {
  const head = [
    "N",
    "path",
    ...PHASES.map((p) => `${p} s`),
    ...PHASES.map((p) => `${p} req/res`),
    "429s",
    "up util.",
    "peak MB",
    "drift found",
    ...PHASES.map((p) => `${p} ×floor`),
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const r of rows) {
    const floor = rows.find((f) => f.n === r.n && f.path === "floor");
    const ratio = (p: Phase): string =>
      floor && floor.phases[p].wallMs > 0 ? (r.phases[p].wallMs / floor.phases[p].wallMs).toFixed(2) : "-";
    const cells = [
      String(r.n),
      r.path,
      ...PHASES.map((p) => seconds(r.phases[p].wallMs)),
      ...PHASES.map((p) => (r.phases[p].requests / r.n).toFixed(3)),
      String(PHASES.reduce((s, p) => s + r.phases[p].rateLimited, 0)),
      `${(utilisation(r.phases.up, rateLimit) * 100).toFixed(1)} %`,
      r.peakMemoryMB === undefined ? "-" : r.peakMemoryMB.toFixed(0),
      r.driftMade === undefined ? "-" : `${r.driftFound ?? 0}/${r.driftMade}`,
      ...PHASES.map(ratio),
    ];
    lines.push(`| ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

const COLORS: Record<PathName, string> = {
  floor: "#2a9d8f",
  host: "#e76f51",
  engine: "#264653",
  "dynamic-floor": "#8d99ae",
};

/** A hand-written SVG line chart: total lifecycle wall time (s) against N, one line per path. */
export function svgChart(rows: PathResult[], rateLimit: number): string {
  const W = 640;
  const H = 400;
  const m = { left: 70, right: 130, top: 40, bottom: 55 };
  const ns = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  const maxN = Math.max(...ns);
  const maxT = Math.max(...rows.map((r) => totalMs(r) / 1000)) * 1.1 || 1;
  const x = (n: number): number => m.left + (n / maxN) * (W - m.left - m.right);
  const y = (t: number): number => H - m.bottom - (t / maxT) * (H - m.top - m.bottom);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">Lifecycle wall time (up + preview + drift preview + destroy), R = ${rateLimit} req/s</text>`,
    `<line x1="${m.left}" y1="${H - m.bottom}" x2="${W - m.right}" y2="${H - m.bottom}" stroke="black"/>`,
    `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${H - m.bottom}" stroke="black"/>`,
    `<text x="${(m.left + W - m.right) / 2}" y="${H - 15}" text-anchor="middle">N (resources)</text>`,
    `<text x="18" y="${(m.top + H - m.bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(m.top + H - m.bottom) / 2})">seconds</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const t = (maxT * i) / 5;
    out.push(
      `<line x1="${m.left - 4}" y1="${y(t)}" x2="${W - m.right}" y2="${y(t)}" stroke="#ddd"/>`,
      `<text x="${m.left - 8}" y="${y(t) + 4}" text-anchor="end">${t.toFixed(0)}</text>`,
    );
  }
  for (const n of [0, ...ns]) {
    out.push(`<text x="${x(n)}" y="${H - m.bottom + 18}" text-anchor="middle">${n}</text>`);
  }
  const paths: PathName[] = ["floor", "host", "engine", "dynamic-floor"];
  paths.forEach((p, i) => {
    const pts = rows
      .filter((r) => r.path === p)
      .sort((a, b) => a.n - b.n)
      .map((r) => [x(r.n), y(totalMs(r) / 1000)] as const);
    if (pts.length === 0) return;
    out.push(
      `<polyline fill="none" stroke="${COLORS[p]}" stroke-width="2" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")}"/>`,
    );
    for (const [a, b] of pts)
      out.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="4" fill="${COLORS[p]}"/>`);
    const ly = m.top + 20 + i * 22;
    out.push(
      `<line x1="${W - m.right + 15}" y1="${ly}" x2="${W - m.right + 40}" y2="${ly}" stroke="${COLORS[p]}" stroke-width="2"/>`,
      `<text x="${W - m.right + 46}" y="${ly + 4}">${p}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

// ---- the size cases: one authoritative resource of N (BENCH_MEMBERS, BENCH_GROUP_MEMBERS, ...) ----

/** The phases of a size case: `repair` is the `up` after the drift. */
export const SIZE_PHASES = ["up", "preview", "drift", "repair", "destroy"] as const;

/** A phase of a size case. */
export type SizePhase = (typeof SIZE_PHASES)[number];

/** Requests keyed `"METHOD route.name"` (the emulator's request log). */
export type Routes = Record<string, number>;

/** One phase of a size case, with its requests by route and what was expected. */
export interface SizePhaseResult extends PhaseResult {
  /** Requests keyed `"METHOD route.name"` (the emulator's log). */
  byRoute: Routes;
  /** The requests the phase must send, by route: listing pages, plus the writes it must make. */
  expectedByRoute: Routes;
  /** The sum of {@link expectedByRoute}. */
  expected: number;
  /** Of those, the writes (every request that is not a GET). */
  writes: number;
}

/** One size case through the engine: a lifecycle with a 5 % drift. */
export interface SizeResult {
  /** The case (`members`, `group-members`, `collection-access`): its results file and README block. */
  case: string;
  /** The resource, e.g. `mode.GroupMembers`. */
  resource: string;
  /** Declared members or grants. */
  n: number;
  /** Requests per second of the emulator's limit. */
  rateLimit: number;
  /** The emulator's page size of a Mode listing. */
  pageSize: number;
  /** Listing pages of N items: ceil(N / page size). */
  pages: number;
  /** Members of the workspace (its listing's items: the seeded users and the admin). */
  workspaceMembers: number;
  /** Objects removed out of band before the drift preview. */
  driftMade: number;
  /** Steps of the drift preview by op (expected: one `update`). */
  driftSteps: Record<string, number>;
  phases: Record<SizePhase, SizePhaseResult>;
  /** Every phase sent exactly its expected requests by route, and the drift preview showed one update. */
  ok: boolean;
}

/** True when `actual` holds exactly the requests of `expected`, route by route. */
export function sameRoutes(actual: Routes, expected: Routes): boolean {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...keys].every((k) => (actual[k] ?? 0) === (expected[k] ?? 0));
}

/** The rate-limit floor of a phase's writes: the writes it sends over R, in ms. */
export function writesFloorMs(p: SizePhaseResult, rateLimit: number): number {
  return rateLimit > 0 ? (p.writes / rateLimit) * 1000 : 0;
}

/** Routes as a table cell: `GET mode.groups.list × 1, POST … × 1000`, sorted. */
function routesCell(routes: Routes): string {
  return Object.entries(routes)
    .filter(([, count]) => count > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([route, count]) => `${route} × ${count}`)
    .join(", ");
}

/**
 * A size case as a Markdown table: per phase the requests (expected), the routes sent (and, when
 * they differ, the routes expected), the wall time and the floor of its writes at R.
 */
export function sizeTable(r: SizeResult): string {
  const head = [
    "| phase | requests (expected) | routes | wall s | writes/R floor s | wall / floor |",
    "|---|--:|---|--:|--:|--:|",
  ];
  const rows = SIZE_PHASES.map((ph) => {
    const p = r.phases[ph];
    const floor = writesFloorMs(p, r.rateLimit);
    const ratio = floor > 0 ? (p.wallMs / floor).toFixed(2) : "–";
    const fl = floor > 0 ? (floor / 1000).toFixed(1) : "–";
    const same = sameRoutes(p.byRoute, p.expectedByRoute);
    const mark = same ? "" : " ✗";
    const routes = same
      ? routesCell(p.byRoute)
      : `${routesCell(p.byRoute)} (expected: ${routesCell(p.expectedByRoute)})`;
    return `| ${ph} | ${p.requests} (${p.expected})${mark} | ${routes} | ${(p.wallMs / 1000).toFixed(2)} | ${fl} | ${ratio} |`;
  });
  return [...head, ...rows].join("\n");
}
