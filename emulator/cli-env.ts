/**
 * `mode-emulator env`: the shell lines that point the `pulumi` CLI and the provider at a running
 * emulator, for `eval "$(mode-emulator env …)"`. With `--example NAME` they also enter the example's
 * directory, select (or create) a stack and set the example's own config from the seeded data.
 *
 * Only what the program needs is printed: the provider reads its endpoints and credentials from the
 * environment (MODE_API_URL, MODE_API_TOKEN, MODE_API_SECRET, MODE_ORG_API_URL, MODE_ORG_API_TOKEN),
 * of which an example gets only the API(s) its config implies; the `pulumi` CLI gets a local file
 * backend, a passphrase for its secrets and no update check. Secrets printed are the emulator's own
 * seeded test credentials, never anything else from the environment.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { SeedInfo } from "./index";

/** Which API a config key implies, and its value from the seed. */
interface ConfigKey {
  /** The API the program calls when it reads this key. */
  api: "mode" | "org";
  /** The seeded value (undefined when the seed has none, e.g. `--users 0`). */
  value(seed: SeedInfo): string | undefined;
}

/** The config keys the examples read, each with its seeded value. */
export const EXAMPLE_CONFIG: Record<string, ConfigKey> = {
  workspace: { api: "mode", value: (s) => s.mode.workspace },
  space: { api: "mode", value: (s) => s.mode.spaces[0] },
  memberToken: { api: "mode", value: (s) => s.mode.users[0]?.token },
  groupToken: { api: "mode", value: (s) => s.mode.userGroups[0] },
  username: { api: "mode", value: (s) => s.mode.users[1]?.username },
  organizationId: { api: "org", value: (s) => s.org.organizationId },
};

/** What `env` prints for. */
export interface EnvOptions {
  /** Example directory (holding Pulumi.yaml); omitted: environment for both APIs, no stack lines. */
  exampleDir?: string;
  /** Stack to select or create (default `dev`). */
  stack?: string;
  /** Directory of the local file backend (created by the printed lines). */
  backendDir: string;
  /** Passphrase of the stack's passphrase secrets provider. */
  passphrase?: string;
  /** A directory to put first on PATH (the engine's bin dir), or undefined for none. */
  pathDir?: string;
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The top-level keys of the `config:` block of a Pulumi.yaml (the keys only; values are ignored). */
export function projectConfigKeys(pulumiYaml: string): string[] {
  const keys: string[] = [];
  let inConfig = false;
  let indent = -1;
  for (const line of pulumiYaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inConfig = /^config:\s*$/.test(line);
      indent = -1;
      continue;
    }
    const m = /^(\s+)([A-Za-z0-9_.:-]+):/.exec(line);
    if (!inConfig || !m) continue;
    if (indent < 0) indent = m[1].length;
    if (m[1].length === indent) keys.push(m[2]);
  }
  return keys;
}

/** Resolves `--example`: a directory path, or a name under `./examples` or the package's `examples/`. */
export function resolveExample(nameOrPath: string, cwd: string = process.cwd()): string {
  const candidates = [
    resolve(cwd, nameOrPath),
    resolve(cwd, "examples", nameOrPath),
    resolve(__dirname, "..", "..", "examples", nameOrPath),
  ];
  const found = candidates.find((d) => existsSync(join(d, "Pulumi.yaml")));
  if (found) return found;
  const root = resolve(__dirname, "..", "..", "examples");
  const known = existsSync(root)
    ? readdirSync(root).filter((d) => existsSync(join(root, d, "Pulumi.yaml")))
    : [];
  throw new Error(
    `no example ${nameOrPath} (a directory with Pulumi.yaml)${known.length ? `; examples: ${known.join(", ")}` : ""}`,
  );
}

/** The shell lines (one command each) for a seed and options. */
export function envLines(seed: SeedInfo, o: EnvOptions): string[] {
  const q = shellQuote;
  let keys: string[] = [];
  if (o.exampleDir) {
    keys = projectConfigKeys(readFileSync(join(o.exampleDir, "Pulumi.yaml"), "utf8"));
    const unknown = keys.filter((k) => !(k in EXAMPLE_CONFIG));
    if (unknown.length) throw new Error(`${o.exampleDir}: no seeded value for config ${unknown.join(", ")}`);
  }
  const apis = new Set(o.exampleDir ? keys.map((k) => EXAMPLE_CONFIG[k].api) : ["mode", "org"]);
  const lines: string[] = [];
  if (o.pathDir) lines.push(`export PATH=${q(o.pathDir)}${delimiter}"$PATH"`);
  if (apis.has("mode")) {
    lines.push(
      `export MODE_API_URL=${q(seed.modeApiUrl)}`,
      `export MODE_API_TOKEN=${q(seed.mode.token)}`,
      `export MODE_API_SECRET=${q(seed.mode.secret)}`,
    );
  }
  if (apis.has("org")) {
    lines.push(
      `export MODE_ORG_API_URL=${q(seed.orgApiUrl)}`,
      `export MODE_ORG_API_TOKEN=${q(seed.org.token)}`,
    );
  }
  lines.push(
    `mkdir -p ${q(o.backendDir)}`,
    `export PULUMI_BACKEND_URL=${q(`file://${o.backendDir}`)}`,
    `export PULUMI_CONFIG_PASSPHRASE=${q(o.passphrase ?? "emulator")}`,
    `export PULUMI_SKIP_UPDATE_CHECK=true`,
  );
  if (o.exampleDir) {
    lines.push(
      `cd ${q(o.exampleDir)}`,
      `pulumi stack select --create ${q(o.stack ?? "dev")} --secrets-provider passphrase`,
    );
    for (const k of keys) {
      const v = EXAMPLE_CONFIG[k].value(seed);
      if (v === undefined)
        throw new Error(`the emulator has no seeded value for ${k} (seeded with 0 of them?)`);
      lines.push(`pulumi config set --plaintext ${q(k)} ${q(v)}`);
    }
  }
  return lines;
}

/**
 * The Pulumi engine's bin dir to put on PATH, when `pulumi` is not on PATH already and `npm run engine`
 * has built one (`${PULUMI_MODE_ENGINE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-mode/engine}/vX.Y.Z/bin`,
 * at the installed `@pulumi/pulumi` version).
 */
export function engineBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const onPath = (env.PATH ?? "").split(delimiter).some((d) => d !== "" && existsSync(join(d, "pulumi")));
  if (onPath) return undefined;
  let version: string;
  try {
    const pkg = require.resolve("@pulumi/pulumi/package.json", { paths: [process.cwd(), __dirname] });
    version = (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return undefined;
  }
  const home = env.HOME ?? "";
  const cache =
    env.PULUMI_MODE_ENGINE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(home, ".cache"), "pulumi-mode", "engine");
  const bin = join(cache, `v${version}`, "bin");
  return existsSync(join(bin, "pulumi")) ? bin : undefined;
}
