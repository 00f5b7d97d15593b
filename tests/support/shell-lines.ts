/**
 * For tests of the shell lines printed for `eval` (`mode-emulator env`, `npm run example-env`): run a
 * node script, give it a caller's environment holding canaries that must never be printed, and
 * evaluate what it printed in bash with a recording `pulumi`.
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SeedInfo } from "../../emulator";

/** What a finished process printed. */
export interface Ran {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/** Runs a node script to completion. */
export function runNode(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Makes `<dir>/fake-bin/pulumi` (does nothing) and returns the `fake-bin` directory. */
export function fakePulumiBin(dir: string): string {
  const bin = join(dir, "fake-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "pulumi"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(bin, "pulumi"), 0o755);
  return bin;
}

/** A caller's environment: `pathFirst` first on PATH, and credentials that must never be printed. */
export function canaryEnv(pathFirst: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${pathFirst}:${process.env.PATH ?? ""}`,
    MODE_API_TOKEN: "canary-token-from-env",
    MODE_ORG_API_TOKEN: "canary-org-token-from-env",
    PULUMI_ACCESS_TOKEN: "canary-pulumi-token",
    ...extra,
  };
}

/**
 * Asserts the printed lines copy nothing from the caller's environment ({@link canaryEnv}) and hold
 * none of the seed's other credentials (the no-access user, the workspace API token, the other
 * organization's token): only the seeded admin credentials are ever printed.
 */
export function assertOnlyAdminCredentials(stdout: string, seed: SeedInfo): void {
  assert.doesNotMatch(stdout, /canary/, "nothing is copied from the caller's environment");
  for (const other of [seed.mode.noAccess, seed.mode.workspaceApiToken]) {
    assert.ok(!stdout.includes(other.token) && !stdout.includes(other.secret), "no other Mode credentials");
  }
  assert.ok(!stdout.includes(seed.org.otherToken), "no other organization's token");
}

/** What evaluating the lines changed: the variables added, the working directory, `pulumi` calls. */
export interface Evaluated {
  /** Environment variables set by the lines (bash's own excluded). */
  env: Record<string, string>;
  /** The working directory after the lines. */
  cwd: string;
  /** The arguments of each `pulumi` call, one string per call. */
  calls: string[];
  /** PATH after the lines. */
  path: string;
}

let evaluations = 0;

/** Evaluates the lines in bash (`set -eu`, HOME=`dir`) with a recording `pulumi` function. */
export function evaluateLines(script: string, dir: string): Evaluated {
  const calls = join(dir, `calls-${process.pid}-${++evaluations}`);
  const probe = `${JSON.stringify(process.execPath)} -e 'console.log(JSON.stringify({env: process.env, cwd: process.cwd()}))'`;
  const path = process.env.PATH ?? "";
  const r = spawnSync(
    "bash",
    ["-c", `set -eu; pulumi() { printf '%s\\n' "$*" >> "$CALLS"; }; eval "$SCRIPT"; ${probe}`],
    { env: { PATH: path, HOME: dir, CALLS: calls, SCRIPT: script }, encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  const after = JSON.parse(r.stdout) as { env: Record<string, string>; cwd: string };
  const added: Record<string, string> = {};
  for (const [k, v] of Object.entries(after.env)) {
    if (!["PATH", "HOME", "CALLS", "SCRIPT", "PWD", "OLDPWD", "SHLVL", "_"].includes(k)) added[k] = v;
  }
  return {
    env: added,
    cwd: after.cwd,
    calls: existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n") : [],
    path: after.env.PATH ?? "",
  };
}

/** The variables the lines give a program of the Mode API. */
export function modeApiEnv(s: SeedInfo): Record<string, string> {
  return { MODE_API_URL: s.modeApiUrl, MODE_API_TOKEN: s.mode.token, MODE_API_SECRET: s.mode.secret };
}

/** The variables the lines give a program of the organization-invites API. */
export function orgApiEnv(s: SeedInfo): Record<string, string> {
  return { MODE_ORG_API_URL: s.orgApiUrl, MODE_ORG_API_TOKEN: s.org.token };
}

/** The variables the lines give the `pulumi` CLI, for a backend directory and passphrase. */
export function pulumiEnv(backend: string, passphrase = "emulator"): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
}

/** The installed `@pulumi/pulumi` version (the engine cache's `v<version>` folder). */
export function pulumiSdkVersion(): string {
  const pkg = require.resolve("@pulumi/pulumi/package.json");
  return (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
}
