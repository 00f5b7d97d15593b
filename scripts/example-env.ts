/**
 * `npm run -s example-env -- <example> --port N [--stack NAME] [--backend DIR]`: the shell lines that
 * run one of the repository's examples by hand against a running emulator, for
 * `eval "$(npm run -s example-env -- space-membership --port 4000)"`.
 *
 * It reads the running emulator's seed (`GET <url>/_control/seed`) and prints, one command a line:
 * - `export PATH=<engine bin dir>:"$PATH"` when no `pulumi` is on PATH but `npm run engine` built one;
 * - the emulator's own `mode-emulator env` lines ({@link envLines}) for only the API(s) the example's
 *   `Pulumi.yaml` config implies;
 * - `cd` into the example, `pulumi stack select --create <stack> --secrets-provider passphrase`, and
 *   one `pulumi config set --plaintext <key> <value>` per config key, from the seed
 *   ({@link EXAMPLE_CONFIG}).
 *
 * This is the repository's knowledge (its `examples/`, the engine cache of `scripts/engine.sh`); the
 * emulator package knows none of it.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import type { SeedInfo } from "../emulator";
import { parseEnvArgs } from "../emulator/cli";
import { EmulatorApi, envLines, fetchSeed, shellQuote } from "../emulator/cli-env";
import { repoRoot } from "../testing/engine";

const HELP = `Usage: npm run -s example-env -- EXAMPLE --port N [options]

Prints the shell lines for eval "$(npm run -s example-env -- EXAMPLE --port N)" that run an
example by hand against a running emulator (start one with: npm run -s emulator -- --port N --daemon):
a PATH line when no pulumi is on PATH but \`npm run engine\` built one, the emulator's endpoint and
credentials of the API(s) the example uses, the Pulumi backend and passphrase (mode-emulator env),
then cd into the example, select or create the stack and set the example's config from the seed.

  EXAMPLE              a name under examples/ (space-membership, combined, ...) or a directory
                       holding a Pulumi.yaml
  --port N             the emulator's port (or --url)
  --host HOST          its host (default 127.0.0.1)
  --url URL            its base URL, http://HOST:PORT
  --stack NAME         stack to select or create (default dev)
  --backend DIR        local Pulumi backend directory (default ~/.pulumi-mode-state)
  --passphrase TEXT    PULUMI_CONFIG_PASSPHRASE (default emulator)
`;

/** A config key the examples read: which API it implies and where its value is in the seed. */
export interface ConfigKey {
  /** The API the program calls when it reads this key. */
  api: EmulatorApi;
  /** The seeded value (undefined when the seed has none, e.g. `--users 0`). */
  value(seed: SeedInfo): string | undefined;
  /** The emulator flag that seeds the value, for the error when it is missing (none: always seeded). */
  seededBy?: string;
}

/**
 * The config keys the examples read, each with its seeded value. A new example's new key goes here
 * (and its example into tests/unit/example-env.test.ts); an example with a key not listed is refused.
 */
export const EXAMPLE_CONFIG: Record<string, ConfigKey> = {
  workspace: { api: "mode", value: (s) => s.mode.workspace },
  space: { api: "mode", value: (s) => s.mode.spaces[0], seededBy: "--spaces 1" },
  memberToken: { api: "mode", value: (s) => s.mode.users[0]?.token, seededBy: "--users 1" },
  groupToken: { api: "mode", value: (s) => s.mode.userGroups[0], seededBy: "--user-groups 1" },
  username: { api: "mode", value: (s) => s.mode.users[1]?.username, seededBy: "--users 2" },
  secondUsername: { api: "mode", value: (s) => s.mode.users[2]?.username, seededBy: "--users 3" },
  organizationId: { api: "org", value: (s) => s.org.organizationId },
  // Mode's access model (collections, data sources). `collection` is the seed's Space 3: open for
  // editing, no grants (what the combined example restricts).
  collection: { api: "mode", value: (s) => s.mode.spaces[2], seededBy: "--spaces 3" },
  dataSource: { api: "mode", value: (s) => s.mode.dataSources[0]?.token, seededBy: "--data-sources 1" },
};

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

/** The repository's examples: the folders under `examples/` holding a Pulumi.yaml. */
export function exampleNames(root: string = repoRoot(__dirname)): string[] {
  const dir = join(root, "examples");
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, "Pulumi.yaml")))
    .sort();
}

/** Resolves the example argument: a directory path, or a name under `./examples` or the repository's. */
export function resolveExample(nameOrPath: string, cwd: string = process.cwd()): string {
  const root = repoRoot(__dirname);
  const candidates = [
    resolve(cwd, nameOrPath),
    resolve(cwd, "examples", nameOrPath),
    resolve(root, "examples", nameOrPath),
  ];
  const found = candidates.find((d) => existsSync(join(d, "Pulumi.yaml")));
  if (found) return found;
  throw new Error(
    `no example ${nameOrPath} (a directory with Pulumi.yaml); examples: ${exampleNames(root).join(", ")}`,
  );
}

/** What the example's lines are made for. */
export interface ExampleEnvOptions {
  /** The example's directory (holding Pulumi.yaml). */
  exampleDir: string;
  /** Stack to select or create (default `dev`). */
  stack?: string;
  /** Directory of the local file backend (created by the printed lines). */
  backendDir: string;
  /** Passphrase of the stack's passphrase secrets provider (default in envLines). */
  passphrase?: string;
  /** A directory to put first on PATH (the engine's bin dir), or undefined for none. */
  pathDir?: string;
}

/** The shell lines (one command each) that run an example against the emulator of `seed`. */
export function exampleEnvLines(seed: SeedInfo, o: ExampleEnvOptions): string[] {
  const q = shellQuote;
  const keys = projectConfigKeys(readFileSync(join(o.exampleDir, "Pulumi.yaml"), "utf8"));
  const unknown = keys.filter((k) => !(k in EXAMPLE_CONFIG));
  if (unknown.length)
    throw new Error(
      `${o.exampleDir}: no seeded value for config ${unknown.join(", ")}: add ${unknown.length > 1 ? "them" : "it"} to EXAMPLE_CONFIG in scripts/example-env.ts`,
    );
  const values = keys.map((k): [string, string] => {
    const { value, seededBy } = EXAMPLE_CONFIG[k];
    const v = value(seed);
    if (v === undefined)
      throw new Error(
        `the emulator has no seeded value for ${k} (seeded with 0 of them?)${seededBy ? `; start it with ${seededBy} or more` : ""}`,
      );
    return [k, v];
  });
  const apis = new Set(keys.map((k) => EXAMPLE_CONFIG[k].api));
  return [
    ...(o.pathDir ? [`export PATH=${q(o.pathDir)}${delimiter}"$PATH"`] : []),
    ...envLines(seed, { backendDir: o.backendDir, passphrase: o.passphrase, apis: [...apis] }),
    `cd ${q(o.exampleDir)}`,
    `pulumi stack select --create ${q(o.stack ?? "dev")} --secrets-provider passphrase`,
    ...values.map(([k, v]) => `pulumi config set --plaintext ${q(k)} ${q(v)}`),
  ];
}

/**
 * The Pulumi engine's bin dir to put on PATH, when `pulumi` is not on PATH already and `npm run engine`
 * has built one (`${PULUMI_MODE_ENGINE_CACHE:-${XDG_CACHE_HOME:-~/.cache}/pulumi-mode/engine}/vX.Y.Z/bin`,
 * at the installed `@pulumi/pulumi` version: the rule of scripts/engine.sh).
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

/** The script's arguments. */
export interface ExampleEnvArgs {
  /** The example argument (name or directory). */
  example: string;
  /** Stack name. */
  stack?: string;
  /** Base URL of the running emulator. */
  url: string;
  /** Backend directory. */
  backendDir: string;
  /** Passphrase of the passphrase secrets provider. */
  passphrase?: string;
}

/**
 * Parses the arguments: the example and `--stack` here, the emulator options (`--port`, `--host`,
 * `--url`, `--backend`, `--passphrase`) by `mode-emulator env`'s own parser. @throws Error
 */
export function parseExampleEnvArgs(argv: string[]): ExampleEnvArgs | "help" {
  let example: string | undefined;
  let stack: string | undefined;
  const forwarded: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (!arg.startsWith("-")) {
      if (example !== undefined) throw new Error(`one example at a time (got ${example} and ${arg})`);
      example = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (flag === "--api")
      throw new Error("--api is not an option here: the example's Pulumi.yaml decides the APIs");
    if (flag === "--stack") {
      if (!value) throw new Error("--stack expects a value");
      stack = value;
    } else forwarded.push(...(eq > 0 ? [arg] : value === undefined ? [arg] : [arg, value]));
  }
  const env = parseEnvArgs(forwarded);
  if (env === "help") return "help";
  if (example === undefined) throw new Error(`which example? One of: ${exampleNames().join(", ")}`);
  return { example, stack, url: env.url, backendDir: env.backendDir, passphrase: env.passphrase };
}

async function main(argv: string[]): Promise<void> {
  let args: ExampleEnvArgs | "help";
  try {
    args = parseExampleEnvArgs(argv);
  } catch (e) {
    process.stderr.write(`example-env: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (args === "help") {
    process.stdout.write(HELP);
    return;
  }
  const exampleDir = resolveExample(args.example);
  const seed = await fetchSeed(args.url, "npm run -s emulator -- --port N --daemon");
  const lines = exampleEnvLines(seed, {
    exampleDir,
    stack: args.stack,
    backendDir: args.backendDir,
    passphrase: args.passphrase,
    pathDir: engineBinDir(),
  });
  process.stdout.write(`${lines.join("\n")}\n`);
}

if (require.main === module) {
  // `npm run` starts scripts in the repository root; relative paths are meant from where it was typed.
  if (process.env.npm_lifecycle_event === "example-env" && process.env.INIT_CWD)
    process.chdir(process.env.INIT_CWD);
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`example-env: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
