/**
 * Benchmark support: the emulator in its own process, its control interface, a sampler of the
 * provider processes' peak memory, the workload, and the floor (a minimal keep-alive HTTP loop that
 * sends exactly the requests the lifecycle needs, paced by an oracle that knows the server's limit).
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as path from "path";
import * as os from "os";
import type { RequestCounts, RunningEmulator, SeedInfo } from "../emulator";
import { descendants, type ExportedResource } from "../testing/engine";
import { control } from "../testing/emulator-control";

/**
 * The emulator running as a separate process (so it never shares the bench's event loop): its URLs,
 * seed and `close` as a {@link RunningEmulator}, so the control helpers of
 * `testing/emulator-control.ts` drive it as they drive an emulator in the tests' process.
 */
export type EmulatorProcess = RunningEmulator;

/** Options of {@link startEmulatorProcess}. */
export interface EmulatorProcessOptions {
  /** Requests per second (0 = unlimited). */
  rateLimit: number;
  /** Seeded users. */
  users: number;
  /** Seeded spaces (custom collections). */
  spaces: number;
  /** Seeded user groups (default 0: the mixed workload and the SpaceMembers case need none). */
  groups?: number;
  /** Seeded data sources (default: the emulator's, 3). */
  dataSources?: number;
}

/** Starts `node dist/emulator/cli.js` on a free 127.0.0.1 port and reads its seed line. */
export function startEmulatorProcess(root: string, o: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const args = [path.join(root, "dist/emulator/cli.js"), "--port", "0", "--host", "127.0.0.1"];
  args.push("--users", String(o.users), "--spaces", String(o.spaces), "--user-groups", String(o.groups ?? 0));
  if (o.dataSources !== undefined) args.push("--data-sources", String(o.dataSources));
  if (o.rateLimit > 0) args.push("--rate-limit", String(o.rateLimit));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error("emulator did not start within 30 s")), 30_000);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(err);
    };
    child.once("exit", (code) => fail(new Error(`emulator exited (${code}) before printing its seed`)));
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      out += chunk;
      const nl = out.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      const seed = JSON.parse(out.slice(0, nl)) as SeedInfo;
      const { modeApiUrl, orgApiUrl, controlUrl } = seed;
      const url = new URL(controlUrl).origin;
      resolve({ url, modeApiUrl, orgApiUrl, controlUrl, seed, close: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** The emulator's request log. */
export async function requestCounts(controlUrl: string): Promise<RequestCounts> {
  const res = await fetch(`${controlUrl}/requests`);
  return (await res.json()) as RequestCounts;
}

/**
 * Polls the emulator's request count every `intervalMs` from now until `stop()`: `stop` returns the
 * milliseconds from the start to the first request seen (undefined when none was).
 */
export function watchFirstRequest(
  controlUrl: string,
  intervalMs = 50,
): { stop(): Promise<number | undefined> } {
  const t0 = performance.now();
  let first: number | undefined;
  let running = true;
  const loop = (async () => {
    while (running && first === undefined) {
      const at = performance.now() - t0;
      if ((await requestCounts(controlUrl).catch(() => ({ total: 0 }))).total > 0) first = at;
      else await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return first;
    },
  };
}

/** What a stack's state holds per resource of pulumi-mode (or the dynamic floor's twins). */
export interface StateShape {
  /** Dynamic resources in the state. */
  resources: number;
  /** Their mean size in `pulumi stack export` (compact JSON: urn, inputs, outputs, dependencies...), bytes. */
  bytesPerResource: number;
  /** The distinct lengths of their `__provider` texts, characters. */
  providerChars: number[];
  /** The mean bytes per resource of each {@link StatePart}. */
  parts: Record<StatePart, number>;
}

/** The parts of a resource's state, by who decides their size. */
export type StatePart = "provider text" | "other inputs and outputs" | "source position and stack" | "engine";

/** The bytes of a resource's exported JSON by part (each key counted with its value and punctuation). */
function partsOf(r: ExportedResource): Record<StatePart, number> {
  const size = (x: unknown): number => Buffer.byteLength(JSON.stringify(x));
  const parts: Record<StatePart, number> = {
    "provider text": 0,
    "other inputs and outputs": 0,
    "source position and stack": 0,
    engine: 0,
  };
  for (const [key, value] of Object.entries(r)) {
    const entry = size(key) + 1 + size(value) + 1; // "key":value,
    if (key === "inputs" || key === "outputs") {
      const bag = (value ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(bag)) {
        const e = size(k) + 1 + size(v) + 1;
        if (k === "__provider") parts["provider text"] += e;
        else parts["other inputs and outputs"] += e;
      }
      parts["other inputs and outputs"] += size(key) + 3; // "inputs":{}
    } else if (key === "sourcePosition" || key === "stackTrace") {
      parts["source position and stack"] += entry;
    } else {
      parts.engine += entry;
    }
  }
  return parts;
}

/** The {@link StateShape} of a stack's exported resources. */
export function stateShape(resources: ExportedResource[]): StateShape {
  const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  const chars = new Set<number>();
  const n = Math.max(1, dynamic.length);
  const parts: Record<StatePart, number> = {
    "provider text": 0,
    "other inputs and outputs": 0,
    "source position and stack": 0,
    engine: 0,
  };
  let bytes = 0;
  for (const r of dynamic) {
    bytes += Buffer.byteLength(JSON.stringify(r));
    for (const [part, b] of Object.entries(partsOf(r))) parts[part as StatePart] += b;
    const p = r.inputs?.__provider;
    if (typeof p === "string") chars.add(p.length);
  }
  for (const part of Object.keys(parts) as StatePart[]) parts[part] = Math.round(parts[part] / n);
  return {
    resources: dynamic.length,
    bytesPerResource: Math.round(bytes / n),
    providerChars: [...chars].sort((a, b) => a - b),
    parts,
  };
}

/** The machine's 1-minute load average, rounded (what else ran during a measurement). */
export const loadAverage = (): number => Math.round(os.loadavg()[0] * 10) / 10;

/**
 * Replaces the block between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` of the
 * Markdown file `file` by `content` (the bench's and the profile's tables live in bench/README.md
 * that way, never copied by hand). Returns false, changing nothing, when the markers are missing.
 */
export function replaceGeneratedBlock(file: string, name: string, content: string): boolean {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) return false;
  fs.writeFileSync(file, `${text.slice(0, a + open.length)}\n${content.trim()}\n${text.slice(b)}`);
  return true;
}

/**
 * Runs `fn` with the emulator's rate limit lifted (its fault settings put back after): for what the
 * bench does outside the measured phases (seeding, drift made out of band, counting pages), which
 * must neither wait on the limit nor spend the bucket of the phase that follows.
 */
export async function withoutRateLimit<T>(emu: EmulatorProcess, fn: () => Promise<T>): Promise<T> {
  const faults = (await control<Record<string, unknown>>(emu, "GET", "/faults")).json;
  await control(emu, "PUT", "/faults", { ...faults, rateLimit: 0 });
  try {
    return await fn();
  } finally {
    await control(emu, "PUT", "/faults", faults);
  }
}

/** Zeroes the emulator's request log. */
export async function resetRequestCounts(controlUrl: string): Promise<void> {
  await fetch(`${controlUrl}/requests`, { method: "DELETE" });
}

/**
 * What a descendant process is, for CPU accounting: the engine's processes and the provider;
 * "other" is the rest (the plugin's `sh`/`node -e` launcher, the emulator's share of the phase).
 */
export type ProcessRole = "engine" | "language" | "program" | "provider" | "other";

/** CPU seconds (user + system) per process role. */
export type CpuSeconds = Record<ProcessRole, number>;

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The role of a process, from its command line (NUL-separated, as in /proc/<pid>/cmdline). */
export function roleOf(cmdline: string): ProcessRole {
  if (cmdline.includes("dynamic-provider")) return "provider";
  if (cmdline.includes("cmd/run")) return "program";
  if (cmdline.includes("pulumi-language-nodejs")) return "language";
  if (/(^|\/)pulumi\0/.test(cmdline)) return "engine";
  return "other";
}

/**
 * Samples, every `intervalMs`, the descendants of this process: the peak resident set (`VmHWM`) of
 * every one whose command line runs the dynamic-provider host (directly, or under the engine), and
 * the CPU time of every one by role (engine CLI, language host, program, provider host, other). A
 * process's CPU time is its last sample, so up to one interval at its very end is missed.
 */
export class ProviderMemorySampler {
  private peakKb = 0;
  private timer?: NodeJS.Timeout;
  private readonly cpuTicks = new Map<number, { role: ProcessRole; ticks: number }>();

  /** Starts sampling. */
  start(intervalMs = 250): this {
    this.timer = setInterval(() => this.sample(), intervalMs);
    return this;
  }

  /** Takes one sample now. */
  sample(): void {
    for (const pid of descendants(process.pid)) {
      try {
        let seen = this.cpuTicks.get(pid);
        // A forked child may not have exec'd its program yet: classify again until it is known.
        if (!seen || seen.role === "other") {
          const role = roleOf(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8"));
          seen = { role, ticks: seen?.ticks ?? 0 };
          this.cpuTicks.set(pid, seen);
        }
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields 14 and 15 (utime, stime) follow the parenthesised command name.
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        seen.ticks = Math.max(seen.ticks, Number(fields[11]) + Number(fields[12]));
        if (seen.role !== "provider") continue;
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) this.peakKb = Math.max(this.peakKb, Number(m[1]));
      } catch {
        // exited meanwhile
      }
    }
  }

  /** Stops sampling (after a last sample) and returns the peak in MB. */
  stop(): number {
    this.sample();
    clearInterval(this.timer);
    this.timer = undefined;
    return this.peakKb / 1024;
  }

  /**
   * Samples only while `fn` runs (the peak accumulates over calls) and returns what `fn` returned
   * with the CPU time of the processes seen meanwhile and the provider's peak during `fn`: for two engine stacks driven in turn, each
   * with its own sampler, so each figure belongs to its own processes.
   */
  async during<T>(
    fn: () => Promise<T>,
    intervalMs = 100,
  ): Promise<{ value: T; cpu: CpuSeconds; peakMB: number }> {
    this.cpuTicks.clear();
    this.sample();
    // Processes already running (the emulator, which is a child of the bench too) count from now.
    const baseline = new Map([...this.cpuTicks].map(([pid, seen]) => [pid, seen.ticks]));
    const before = this.peakKb;
    this.peakKb = 0;
    this.start(intervalMs);
    try {
      const value = await fn();
      const peakMB = this.stop();
      const cpu: CpuSeconds = { engine: 0, language: 0, program: 0, provider: 0, other: 0 };
      for (const [pid, { role, ticks }] of this.cpuTicks) {
        cpu[role] += (ticks - (baseline.get(pid) ?? 0)) / CLOCK_TICKS;
      }
      return { value, cpu, peakMB };
    } finally {
      this.stop();
      this.peakKb = Math.max(before, this.peakKb);
    }
  }

  /** The peak so far in MB. */
  get peakMB(): number {
    return this.peakKb / 1024;
  }
}

/** One SpaceMembership of the workload. */
export interface MembershipSpec {
  /** Workspace username. */
  account: string;
  /** Space token. */
  space: string;
  /** User token. */
  memberToken: string;
}

/** One OrgInvite of the workload. */
export interface OrgInviteSpec {
  /** Organization id. */
  organizationId: string;
  /** Invitee. */
  recipientEmail: string;
}

/** N mixed resources: 90 % space memberships spread over every space, 10 % organization invites. */
export interface Workload {
  /** Resources in total. */
  n: number;
  /** The space memberships. */
  memberships: MembershipSpec[];
  /** The organization invites. */
  orgInvites: OrgInviteSpec[];
}

/** Builds the workload of `n` resources on the seeded data (needs users × spaces ≥ 0.9 n). */
export function makeWorkload(seed: SeedInfo, n: number): Workload {
  const m = Math.round(n * 0.9);
  const spaces = seed.mode.spaces;
  if (seed.mode.users.length * spaces.length < m) throw new Error(`seed too small for ${m} memberships`);
  const memberships = Array.from({ length: m }, (_, i) => ({
    account: seed.mode.workspace,
    space: spaces[i % spaces.length],
    memberToken: seed.mode.users[Math.floor(i / spaces.length)].token,
  }));
  const orgInvites = Array.from({ length: n - m }, (_, i) => ({
    organizationId: seed.org.organizationId,
    recipientEmail: `bench-${i}@example.com`,
  }));
  return { n, memberships, orgInvites };
}

/** Runs `fn` over `items` with at most `concurrency` at a time. */
export async function pool<T, R>(items: T[], concurrency: number, fn: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface FloorResponse {
  status: number;
  body: unknown;
}

/**
 * The floor: plain `http` with a keep-alive agent (8 sockets, like the provider's default
 * concurrency) sending exactly the lifecycle's requests. It is paced by an oracle that knows the
 * server's bucket (burst R, R per second) exactly, and retries a 429 after `Retry-After`.
 */
export class Floor {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private tat = Date.now();
  private readonly modeAuth: string;
  private readonly orgAuth: string;
  /** The floor's created ids, per resource index. */
  readonly membershipTokens: string[] = [];
  /** The floor's created org invite ids, per resource index. */
  readonly inviteIds: string[] = [];

  /** @param rateLimit the server's R (0 = unlimited). */
  constructor(
    private readonly seed: SeedInfo,
    private readonly rateLimit: number,
  ) {
    this.modeAuth = "Basic " + Buffer.from(`${seed.mode.token}:${seed.mode.secret}`).toString("base64");
    this.orgAuth = `Bearer ${seed.org.token}`;
  }

  /** Frees the sockets. */
  close(): void {
    this.agent.destroy();
  }

  private async pace(): Promise<void> {
    const r = this.rateLimit;
    if (r <= 0) return;
    const interval = 1000 / r;
    const now = Date.now();
    const start = Math.max(this.tat, now);
    this.tat = start + interval;
    const wait = start - (r - 1) * interval - now;
    if (wait > 0) await sleep(wait);
  }

  private async send(method: string, url: string, org: boolean, body?: unknown): Promise<FloorResponse> {
    for (;;) {
      await this.pace();
      const res = await this.once(method, url, org, body);
      if (res.status !== 429) return res;
      this.tat = Math.max(this.tat, Date.now() + 1000);
      await sleep(1000);
    }
  }

  private once(method: string, url: string, org: boolean, body?: unknown): Promise<FloorResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const type = org ? "application/vnd.api+json" : "application/json";
    const headers: Record<string, string> = {
      Authorization: org ? this.orgAuth : this.modeAuth,
      Accept: org ? "application/vnd.api+json" : "application/hal+json",
    };
    if (payload !== undefined) headers["Content-Type"] = type;
    return new Promise((resolve, reject) => {
      const req = http.request(url, { method, agent: this.agent, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }),
        );
      });
      req.on("error", reject);
      req.end(payload);
    });
  }

  private membershipsUrl(m: MembershipSpec): string {
    return `${this.seed.modeApiUrl}/${m.account}/spaces/${m.space}/memberships`;
  }

  private invitesUrl(organizationId: string): string {
    return `${this.seed.orgApiUrl}/api/v2/organizations/${organizationId}/invites`;
  }

  /** `up`: one POST per resource. */
  async up(w: Workload, concurrency: number): Promise<void> {
    await Promise.all([
      pool(w.memberships, concurrency, async (m, i) => {
        const body = { membership: { member_type: "User", member_token: m.memberToken } };
        const res = await this.send("POST", this.membershipsUrl(m), false, body);
        this.membershipTokens[i] = (res.body as { token: string }).token;
      }),
      pool(w.orgInvites, concurrency, async (o, i) => {
        const body = {
          data: { type: "organization_invites", attributes: { recipient_email: o.recipientEmail } },
        };
        const res = await this.send("POST", this.invitesUrl(o.organizationId), true, body);
        this.inviteIds[i] = (res.body as { data: { id: string } }).data.id;
      }),
    ]);
  }

  /** `preview`: one listing per collection (every page), as drift detection needs. */
  async listAll(w: Workload): Promise<void> {
    const collections = [...new Set(w.memberships.map((m) => this.membershipsUrl(m)))];
    const pages = async (first: string, org: boolean): Promise<void> => {
      let url: string | undefined = first;
      while (url) {
        const res = await this.send("GET", url, org);
        const body = res.body as {
          _links?: { next_page?: { href?: string }; next?: { href?: string } };
          links?: { next?: string };
        };
        // Mode links pages with next_page (its published list shape); the org API with links.next.
        const next = org ? body.links?.next : (body._links?.next_page ?? body._links?.next)?.href;
        url = next ? new URL(next, url).toString() : undefined;
      }
    };
    const orgs = [...new Set(w.orgInvites.map((o) => o.organizationId))];
    await Promise.all([
      ...collections.map((c) => pages(c, false)),
      ...orgs.map((o) => pages(`${this.invitesUrl(o)}?per_page=100`, true)),
    ]);
  }

  /** DELETEs one membership (used to make drift out of band). */
  async deleteMembership(m: MembershipSpec, token: string): Promise<void> {
    await this.send("DELETE", `${this.membershipsUrl(m)}/${token}`, false);
  }

  /** `destroy`: one DELETE per resource. */
  async destroy(w: Workload, concurrency: number): Promise<void> {
    await Promise.all([
      pool(w.memberships, concurrency, (m, i) =>
        this.send("DELETE", `${this.membershipsUrl(m)}/${this.membershipTokens[i]}`, false),
      ),
      pool(w.orgInvites, concurrency, (o, i) =>
        this.send("DELETE", `${this.invitesUrl(o.organizationId)}/${this.inviteIds[i]}`, true),
      ),
    ]);
  }
}

/**
 * Picks `count` indices of `length` spread evenly and across every space (index i is in space
 * i mod spaces, so a plain stride would land in one space).
 */
export function spreadIndices(length: number, count: number): number[] {
  const step = Math.max(1, Math.floor(length / Math.max(1, count)));
  const out: number[] = [];
  for (let k = 0; k < count && k < length; k++) out.push(Math.min(length - 1, k * step + (k % step)));
  return [...new Set(out)];
}

/** Deletes `count` memberships out of band (spread over the workload), as drift; returns their tokens. */
export async function removeOutOfBand(
  seed: SeedInfo,
  w: Workload,
  tokens: string[],
  count: number,
): Promise<Set<string>> {
  const floor = new Floor(seed, 0);
  const picked = new Set<string>();
  try {
    for (const i of spreadIndices(w.memberships.length, count)) {
      await floor.deleteMembership(w.memberships[i], tokens[i]);
      picked.add(tokens[i]);
    }
  } finally {
    floor.close();
  }
  return picked;
}
