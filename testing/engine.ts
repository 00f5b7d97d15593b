/**
 * Test harness for running Pulumi programs through the real Pulumi engine, offline.
 *
 * - `ensureEngine()` runs `scripts/engine.sh` (cached outside the repo, see that script) once per
 *   process and returns the directory holding `pulumi`, `pulumi-language-nodejs` and
 *   `pulumi-resource-pulumi-nodejs`. Set `PULUMI_MODE_ENGINE_BIN` to use a prepared directory instead.
 * - `PulumiWorkspace.create({ programDir })` makes one isolated Pulumi setup in a temp dir:
 *     <tmp>/home      PULUMI_HOME (plugins, credentials, workspace settings)
 *     <tmp>/state     the backend, `file://<tmp>/state` (PULUMI_BACKEND_URL)
 *     <tmp>/program   a copy of `programDir` (so `Pulumi.<stack>.yaml` never lands in the repo), with
 *                     `node_modules` symlinked to the nearest `node_modules` above `programDir`, so
 *                     `require("@pulumi/pulumi")` and `require("pulumi-mode")` resolve to the repo's
 *                     (node follows the symlink to its real path, so their own dependencies do too).
 *   A stack (`test` by default) is created with the passphrase secrets provider.
 *   Nothing contacts Pulumi Cloud or the network: the backend is a directory, the update check and
 *   automatic plugin acquisition are off, inherited PULUMI_* variables are dropped, and every command
 *   runs with `--non-interactive --color=never` and a timeout that kills its whole process tree.
 *
 * How programs run under this engine (language host: testing/engine/pulumi-language-nodejs.go):
 * - The program runs with the `node` on PATH through `@pulumi/pulumi/cmd/run`, exactly as the
 *   upstream host does; `Pulumi.yaml` `main:` (or package.json `main`, or `index.js`) is the entry.
 * - Robust choice, used by the fixtures: plain CommonJS JavaScript, with
 *   `runtime: { name: nodejs, options: { typescript: false } }` in Pulumi.yaml.
 * - TypeScript (`index.ts`, `typescript: true` - the default) also works: @pulumi/pulumi registers its
 *   vendored ts-node 7.0.1, compiling with the repo's own `typescript` (5.x, found by walking up from
 *   node_modules/@pulumi/pulumi; the vendored typescript 3.8 is only the fallback). This type-checks on
 *   every run (slow: several seconds); set `PULUMI_NODEJS_TRANSPILE_ONLY=true` in `env` to skip that.
 *   A program's TypeScript must not sit under the root tsconfig's `include` (tests/fixtures is excluded).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Walks up from `start` to the directory whose package.json is named `pulumi-mode`. */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      const parsed = JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: unknown };
      if (parsed.name === "pulumi-mode") return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no pulumi-mode package.json above ${start}`);
    dir = parent;
  }
}

const ENGINE_BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"];

let enginePromise: Promise<string> | undefined;

/**
 * Builds (first time: many minutes) or reuses the Pulumi engine and returns its bin directory.
 * Memoised per process. Progress of the build goes to this process's stderr.
 */
export function ensureEngine(): Promise<string> {
  if (!enginePromise) {
    enginePromise = locateEngine();
    // A failed attempt may be retried by a later caller.
    enginePromise.catch(() => (enginePromise = undefined));
  }
  return enginePromise;
}

/**
 * For a mocha `before` of a suite that needs the real engine: ensures it (a cold build may take many
 * minutes, so the hook's timeout is raised), or skips the suite with a loud banner. Under `CI=true`
 * a missing engine fails instead of skipping.
 */
export async function engineOrSkip(context: Mocha.Context, suite: string): Promise<string> {
  context.timeout(60 * 60 * 1000);
  try {
    return await ensureEngine();
  } catch (err) {
    if (process.env.CI === "true") throw err;
    const bar = "!".repeat(72);
    const reason = (err as Error).message.split("\n").join("\n!! ");
    console.warn(`\n${bar}\n!! SKIPPING ${suite}: the Pulumi engine could not be built.\n!! ${reason}`);
    console.warn(`!! Run \`npm run engine\` to see why. (With CI=true this is a failure.)\n${bar}\n`);
    context.skip();
  }
}

async function locateEngine(): Promise<string> {
  const preset = process.env.PULUMI_MODE_ENGINE_BIN;
  const dir = preset ? path.resolve(preset) : await runEngineScript();
  for (const bin of ENGINE_BINARIES) {
    const file = path.join(dir, bin);
    try {
      fs.accessSync(file, fs.constants.X_OK);
    } catch {
      throw new Error(`engine dir ${dir} lacks an executable ${bin}`);
    }
  }
  return dir;
}

function runEngineScript(): Promise<string> {
  const script = path.join(repoRoot(), "scripts", "engine.sh");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderrTail = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      process.stderr.write(d);
      stderrTail = (stderrTail + d).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.trim().split("\n");
      const last = lines[lines.length - 1]?.trim() ?? "";
      if (code === 0 && last && path.isAbsolute(last)) resolve(last);
      else reject(new Error(`scripts/engine.sh exited with ${code}:\n${stderrTail}`));
    });
  });
}

export interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Default: 5 minutes. The whole process tree is killed when it expires. */
  timeoutMs?: number;
  /** Resolve with a non-zero `code` instead of rejecting. */
  allowFailure?: boolean;
  /** Data written to the command's stdin (stdin is otherwise closed). */
  input?: string;
  /** Also copy the command's output to this process's stdout/stderr as it arrives (the demo). */
  echo?: boolean;
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  provider?: string;
  oldState?: Record<string, unknown>;
  newState?: Record<string, unknown>;
  diffReasons?: string[];
  detailedDiff?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The parsed output of `pulumi preview --json`. */
export interface PreviewJson {
  steps?: PreviewStep[];
  /** Counts per operation, e.g. `{ same: 3 }` or `{ create: 1, update: 2 }`. */
  changeSummary?: Record<string, number>;
  diagnostics?: { message: string; severity: string; urn?: string; [key: string]: unknown }[];
  duration?: number;
  config?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The stack checkpoint as printed by `pulumi stack export` (state version 3). */
export interface StackExport {
  version: number;
  deployment: {
    manifest?: Record<string, unknown>;
    secrets_providers?: Record<string, unknown>;
    resources?: ExportedResource[];
    [key: string]: unknown;
  };
}

export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  provider?: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface WorkspaceOptions {
  /** Directory holding Pulumi.yaml. It is copied (node_modules and Pulumi.*.yaml excluded). */
  programDir: string;
  /** Stack name; default "test". */
  stack?: string;
  /** Extra environment for every command (e.g. a Mode API endpoint for the provider). */
  env?: Record<string, string>;
  /** Passphrase of the passphrase secrets provider; default "pulumi-mode-test". */
  passphrase?: string;
  /** Engine bin dir; default `await ensureEngine()`. */
  binDir?: string;
}

const DEFAULT_TIMEOUT_MS = 5 * 60 * 1000;

export class PulumiWorkspace {
  readonly root: string;
  readonly programDir: string;
  readonly stack: string;
  readonly binDir: string;
  /** The file backend's directory (`PULUMI_BACKEND_URL` = `file://<stateDir>`). */
  readonly stateDir: string;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private disposed = false;

  private constructor(
    root: string,
    programDir: string,
    stack: string,
    binDir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.root = root;
    this.programDir = programDir;
    this.stack = stack;
    this.binDir = binDir;
    this.stateDir = path.join(root, "state");
    this.baseEnv = env;
  }

  static async create(opts: WorkspaceOptions): Promise<PulumiWorkspace> {
    const binDir = opts.binDir ?? (await ensureEngine());
    const source = path.resolve(opts.programDir);
    if (!fs.existsSync(path.join(source, "Pulumi.yaml"))) {
      throw new Error(`${source} has no Pulumi.yaml`);
    }
    const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), "pulumi-mode-e2e-"));
    try {
      const home = path.join(root, "home");
      const state = path.join(root, "state");
      const program = path.join(root, "program");
      await fs.promises.mkdir(home);
      await fs.promises.mkdir(state);
      await fs.promises.cp(source, program, {
        recursive: true,
        filter: (src) => {
          const base = path.basename(src);
          return base !== "node_modules" && !/^Pulumi\..+\.ya?ml$/.test(base);
        },
      });
      const nodeModules = findNodeModules(source);
      if (nodeModules) await fs.promises.symlink(nodeModules, path.join(program, "node_modules"), "dir");

      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) {
        if (!k.startsWith("PULUMI_")) env[k] = v;
      }
      Object.assign(env, {
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
        PULUMI_HOME: home,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: opts.passphrase ?? "pulumi-mode-test",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        NO_COLOR: "1",
        ...opts.env,
      });
      const ws = new PulumiWorkspace(root, program, opts.stack ?? "test", binDir, env);
      await ws.run(["login", `file://${state}`]);
      await ws.run(["stack", "init", ws.stack, "--secrets-provider", "passphrase"]);
      return ws;
    } catch (err) {
      await fs.promises.rm(root, { recursive: true, force: true });
      throw err;
    }
  }

  /** Runs `pulumi <args>` in the program directory. */
  run(args: string[], opts: RunOptions = {}): Promise<PulumiRun> {
    if (this.disposed) return Promise.reject(new Error("PulumiWorkspace already disposed"));
    const fullArgs = ["--non-interactive", "--color=never", ...args];
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const env = { ...this.baseEnv, ...opts.env };
    const command = `pulumi ${args.join(" ")}`;
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.binDir, "pulumi"), fullArgs, {
        cwd: this.programDir,
        env,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true, // own process group, so a timeout can kill everything it started
      });
      let stdout = "";
      let stderr = "";
      let timedOut = false;
      child.stdout!.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        if (opts.echo) process.stdout.write(d);
      });
      child.stderr!.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
        if (opts.echo) process.stderr.write(d);
      });
      child.stdin!.on("error", () => undefined);
      child.stdin!.end(opts.input ?? "");
      const timer = setTimeout(() => {
        timedOut = true;
        killTree(child);
      }, timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const result: PulumiRun = { code: code ?? 128, stdout, stderr };
        if (timedOut) {
          reject(new Error(`${command} timed out after ${timeoutMs} ms\n${describe(result)}`));
        } else if (result.code !== 0 && !opts.allowFailure) {
          reject(new Error(`${command} failed (${signal ?? `exit ${result.code}`})\n${describe(result)}`));
        } else {
          resolve(result);
        }
      });
    });
  }

  /**
   * Starts `pulumi <args>` in the program directory without waiting for it (own process group,
   * output piped): for tests that interrupt a run. Stop it with {@link killProcessTree}.
   */
  spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    if (this.disposed) throw new Error("PulumiWorkspace already disposed");
    return spawn(path.join(this.binDir, "pulumi"), ["--non-interactive", "--color=never", ...args], {
      cwd: this.programDir,
      env: { ...this.baseEnv, ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
  }

  private stackArgs(): string[] {
    return ["--stack", this.stack];
  }

  up(opts?: RunOptions): Promise<PulumiRun> {
    return this.run(["up", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  preview(opts?: RunOptions): Promise<PulumiRun> {
    return this.run(["preview", ...this.stackArgs()], opts);
  }

  /** `pulumi preview --json`, parsed. Rejects if the preview fails. */
  async previewJson(opts?: RunOptions): Promise<PreviewJson> {
    const res = await this.run(["preview", "--json", ...this.stackArgs()], opts);
    return parseJson<PreviewJson>(res, "pulumi preview --json");
  }

  refresh(opts?: RunOptions): Promise<PulumiRun> {
    return this.run(["refresh", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  destroy(opts?: RunOptions): Promise<PulumiRun> {
    return this.run(["destroy", "--yes", "--skip-preview", ...this.stackArgs()], opts);
  }

  async stackExport(opts?: RunOptions): Promise<StackExport> {
    const res = await this.run(["stack", "export", ...this.stackArgs()], opts);
    return parseJson<StackExport>(res, "pulumi stack export");
  }

  /** `pulumi stack output --json` (secrets shown in clear with `showSecrets`). */
  async outputs(opts: RunOptions & { showSecrets?: boolean } = {}): Promise<Record<string, unknown>> {
    const args = ["stack", "output", "--json", ...this.stackArgs()];
    if (opts.showSecrets) args.push("--show-secrets");
    const res = await this.run(args, opts);
    return parseJson<Record<string, unknown>>(res, "pulumi stack output --json");
  }

  /** `pulumi config set [--secret] <key> <value>`; `key` may be `name` or `namespace:name`. */
  async setConfig(
    key: string,
    value: string,
    opts: { secret?: boolean; path?: boolean } = {},
  ): Promise<void> {
    const flags = [opts.secret ? "--secret" : "--plaintext", ...(opts.path ? ["--path"] : [])];
    await this.run(["config", "set", ...flags, ...this.stackArgs(), "--", key, value]);
  }

  /** Deletes the temporary directory (state, home, program copy). Does not destroy resources. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await fs.promises.rm(this.root, { recursive: true, force: true });
  }
}

function parseJson<T>(res: PulumiRun, what: string): T {
  try {
    return JSON.parse(res.stdout) as T;
  } catch (err) {
    throw new Error(`${what} printed no JSON (${(err as Error).message})\n${describe(res)}`);
  }
}

function describe(res: PulumiRun): string {
  const tail = (s: string): string => (s.length > 6000 ? `...${s.slice(-6000)}` : s);
  return `--- stdout ---\n${tail(res.stdout)}\n--- stderr ---\n${tail(res.stderr)}`;
}

function findNodeModules(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, "node_modules");
    if (fs.existsSync(path.join(candidate, "@pulumi", "pulumi"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** PIDs of all descendants of `pid` (Linux /proc; empty elsewhere). */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(e));
      children.set(ppid, list);
    } catch {
      // the process exited meanwhile
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * SIGKILLs a child started by {@link PulumiWorkspace.spawn}, its process group and every descendant,
 * and resolves once every one of those processes is gone (exited or a zombie), so the next command
 * never overlaps with a process of the killed one. Rejects if one is still alive after `timeoutMs`.
 */
export async function killProcessTree(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const pids = killTree(child);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alive = pids.filter(isAlive);
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`processes ${alive.join(", ")} survived SIGKILL`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Whether `pid` is a live process (a zombie, already dead but not reaped, counts as gone). */
function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    try {
      process.kill(pid, 0); // no /proc (not Linux): ask the kernel
      return true;
    } catch {
      return false;
    }
  }
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
}

/** Kills the child, its process group and every descendant (plugins may start their own groups). */
function killTree(child: ChildProcess): number[] {
  if (child.pid === undefined) return [];
  const pids = [child.pid, ...descendants(child.pid)];
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // group already gone
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids;
}

/**
 * The repair (docs/guides/interrupted-up.md) of a local file backend after a SIGKILL (`find <backend>/.pulumi -name '*.attrs'
 * -empty -delete`): the engine's file backend (gocloud.dev `fileblob`) replaces each file atomically
 * (temporary file + rename) but rewrites its metadata sidecar `<file>.attrs` in place (create/truncate,
 * then write). A kill between the two leaves an empty sidecar, and every later read of the checkpoint
 * fails with `failed to load checkpoint: EOF`. The sidecar holds only a content type and an MD5 that
 * reads do not need; without it the file reads as before. Returns the deleted paths.
 */
export function removeEmptySidecars(backendDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith(".attrs") && fs.statSync(p).size === 0) {
        fs.rmSync(p);
        removed.push(p);
      }
    }
  };
  const root = path.join(backendDir, ".pulumi");
  if (fs.existsSync(root)) walk(root);
  return removed;
}
