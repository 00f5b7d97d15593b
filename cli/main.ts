/**
 * The `pulumi-mode` command line: `generate` and `report`, parsed by commander. Exit codes: 0 ok,
 * 1 failed (the API or a file), 2 bad usage (also a missing credential and an `--out` that needs
 * `--force`: nothing is sent then). Progress goes to stderr only when it is a terminal.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { ApiError, type ModeClient } from "../provider/client";
import { meets, RULES } from "../provider/rules";
import { accessReport } from "./access";
import { CLI_SETTINGS, cliModeClient, MissingCredentialError, type CredentialFlags } from "./credentials";
import { FORMATS, toCsv, toJson, toMarkdown, toTable, type Format, type ReportContext } from "./formats";
import { gather, type GatherParts, type WorkspaceLists } from "./gather";
import { generateProject, PARTS, UNMANAGED_MODES, type Part, type UnmanagedMode } from "./generate";
import { toHtml } from "./html";
import { clientLists } from "./lists";
import type { WorkspaceSnapshot } from "./model";
import { dependencyVersions, packageVersion } from "./package-info";
import { Progress } from "./progress";

/** Exit codes. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where a run reads and writes; tests pass their own. */
export interface CliIo {
  /** Standard output. */
  readonly stdout: { write(text: string): unknown };
  /** Standard error; progress only when `isTTY`. */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** The environment (credentials, `SOURCE_DATE_EPOCH`). */
  readonly env: NodeJS.ProcessEnv;
  /** The clock (default: now, or `SOURCE_DATE_EPOCH` when set). */
  readonly now?: () => Date;
  /** The lists of a client (default: {@link clientLists}); tests hand fakes. */
  readonly lists?: (client: ModeClient) => WorkspaceLists;
}

/** A mistake in the command line: exit 2, nothing sent. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Runs the command line `argv` (the arguments after the program name); resolves to the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (err) {
    return exitCodeOf(err, io);
  }
}

function exitCodeOf(err: unknown, io: CliIo): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander printed it
  const usage =
    err instanceof UsageError ||
    err instanceof MissingCredentialError ||
    (err instanceof ApiError && err.kind === "invalid_argument"); // a bad --api-url: nothing was sent
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`pulumi-mode: error: ${message}\n`);
  return usage ? EXIT.usage : EXIT.failed;
}

function buildProgram(io: CliIo): Command {
  const program = new Command("pulumi-mode")
    .description(
      "Start managing a Mode workspace as code: generate a Pulumi program, report who can reach what.",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`pulumi-mode: ${text}`),
    })
    .showHelpAfterError("(add --help for usage)")
    .helpCommand("help [command]", "show help for a command")
    .addHelpText(
      "after",
      "\nCredentials: --api-url/--api-token/--api-secret, or MODE_API_URL, MODE_API_TOKEN, MODE_API_SECRET.\n" +
        "Exit codes: 0 ok, 1 failed, 2 bad usage. See docs/cli.md.",
    );

  withCredentials(
    program
      .command("generate")
      .description(
        "write a Pulumi TypeScript project declaring the workspace as it is now; its first `pulumi up` " +
          "against the same workspace changes nothing",
      )
      .requiredOption("--workspace <name>", "the workspace's username")
      .requiredOption(
        "--out <dir>",
        "directory to write Pulumi.yaml, package.json, tsconfig.json and index.ts to",
      )
      .option("--include <parts>", `comma-separated parts to declare: ${PARTS.join(",")}`, PARTS.join(","))
      .addOption(
        new Option(
          "--unmanaged <mode>",
          'what the authoritative resources do with undeclared people and grants: "report" writes ' +
            'unmanaged: "report" on each (nothing is removed until you switch it to "remove"); "remove" ' +
            "leaves it out (they remove the undeclared from the first up on)",
        )
          .choices(UNMANAGED_MODES)
          .default("report"),
      )
      .option("--force", "write into a non-empty directory (overwrites those four files)", false),
  ).action(async (opts: GenerateFlags) => generate(opts, io));

  withCredentials(
    program
      .command("report")
      .description("who can reach each collection and data source, and through which path")
      .requiredOption("--workspace <name>", "the workspace's username")
      .addOption(new Option("--format <format>", "output format").choices(FORMATS).default("table"))
      .option("--out <file>", "write to this file instead of standard output"),
  ).action(async (opts: ReportFlags) => report(opts, io));

  return program;
}

/** Adds the credential flags (the provider's settings, see ./credentials) to a command. */
function withCredentials(command: Command): Command {
  const env = (name: (typeof CLI_SETTINGS)[number]["name"]): string =>
    name === "apiUrl"
      ? "MODE_API_URL; default https://app.mode.com/api"
      : `MODE_API_${name === "apiToken" ? "TOKEN" : "SECRET"}`;
  for (const s of CLI_SETTINGS) {
    command.option(`${s.flag} <${s.placeholder}>`, `Mode API ${s.placeholder} (or ${env(s.name)})`);
  }
  return command;
}

interface GenerateFlags extends CredentialFlags {
  workspace: string;
  out: string;
  include: string;
  unmanaged: UnmanagedMode;
  force: boolean;
}

interface ReportFlags extends CredentialFlags {
  workspace: string;
  format: Format;
  out?: string;
}

// ---- generate ------------------------------------------------------------------------------------

async function generate(opts: GenerateFlags, io: CliIo): Promise<void> {
  const workspace = checkWorkspace(opts.workspace);
  const include = parseInclude(opts.include);
  const out = path.resolve(opts.out);
  checkOutDir(out, opts.force);
  const client = cliModeClient(opts, io.env);
  const parts: GatherParts = {
    groupMembers: include.has("groups"),
    collections: include.has("collections"),
    dataSources: include.has("data-sources"),
  };
  const snapshot = await read(client, workspace, parts, io);
  const project = generateProject(snapshot, {
    include,
    unmanaged: opts.unmanaged,
    generatedAt: clock(io)().toISOString(),
    versions: dependencyVersions(),
  });
  for (const warning of project.warnings) io.stderr.write(`pulumi-mode: warning: ${warning}\n`);
  await fs.promises.mkdir(out, { recursive: true });
  for (const [name, text] of Object.entries(project.files)) {
    await fs.promises.writeFile(path.join(out, name), text);
  }
  io.stdout.write(`${describeGenerated(snapshot, include, out)}\n`);
}

/** The parts of `--include`, checked. */
export function parseInclude(value: string): Set<Part> {
  const parts = value
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0 || parts.length === 0) {
    const what =
      unknown.length > 0 ? `unknown part ${unknown.map((u) => JSON.stringify(u)).join(", ")}` : "nothing";
    throw new UsageError(`--include names ${what}: use a comma-separated list of ${PARTS.join(", ")}.`);
  }
  return new Set(parts as Part[]);
}

/** Refuses an `--out` that is a file, or a non-empty directory without `--force`. */
function checkOutDir(out: string, force: boolean): void {
  let entries: string[];
  try {
    const stat = fs.statSync(out);
    if (!stat.isDirectory()) throw new UsageError(`--out ${out} is a file, not a directory.`);
    entries = fs.readdirSync(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(
      `--out ${out} is not empty: choose an empty or new directory, or pass --force to overwrite ` +
        "Pulumi.yaml, package.json, tsconfig.json and index.ts there.",
    );
  }
}

function describeGenerated(snapshot: WorkspaceSnapshot, include: ReadonlySet<Part>, out: string): string {
  const said: string[] = [];
  if (include.has("members")) said.push(`${snapshot.people.length} people`);
  if (include.has("groups")) {
    const managed = snapshot.groups.filter((g) => g.managed).length;
    said.push(
      `${snapshot.groups.length - managed} groups${managed > 0 ? ` (${managed} SCIM-managed left out)` : ""}`,
    );
  }
  if (include.has("collections")) said.push(`${snapshot.collections?.length ?? 0} collections`);
  if (include.has("data-sources")) {
    const grants = (snapshot.dataSources ?? []).reduce((n, d) => n + d.grants.length, 0);
    said.push(`${grants} data-source grants`);
  }
  return (
    `Wrote ${path.join(out, "index.ts")} (${said.join(", ")}) with Pulumi.yaml, package.json and tsconfig.json.\n` +
    `Next: cd ${out} && npm install && pulumi stack init && pulumi up (the first up changes nothing).`
  );
}

// ---- report --------------------------------------------------------------------------------------

async function report(opts: ReportFlags, io: CliIo): Promise<void> {
  const workspace = checkWorkspace(opts.workspace);
  const client = cliModeClient(opts, io.env);
  const snapshot = await read(
    client,
    workspace,
    { groupMembers: true, collections: true, dataSources: true },
    io,
  );
  const result = accessReport(snapshot);
  const context: ReportContext = { generatedAt: clock(io)().toISOString(), apiUrl: snapshot.apiUrl };
  const text = render(opts.format, result, snapshot, context);
  if (opts.out === undefined) {
    io.stdout.write(text);
    return;
  }
  await fs.promises.writeFile(opts.out, text);
  if (io.stderr.isTTY === true) {
    io.stderr.write(`pulumi-mode: wrote ${result.rows.length} rows (${opts.format}) to ${opts.out}\n`);
  }
}

function render(
  format: Format,
  result: ReturnType<typeof accessReport>,
  snapshot: WorkspaceSnapshot,
  context: ReportContext,
): string {
  switch (format) {
    case "csv":
      return toCsv(result);
    case "json":
      return toJson(result, context);
    case "markdown":
      return toMarkdown(result, context);
    case "html":
      return toHtml(result, snapshot, context);
    case "table":
      return toTable(result, context);
  }
}

// ---- shared --------------------------------------------------------------------------------------

/** Reads the snapshot, with the progress line on a terminal. */
async function read(
  client: ModeClient,
  workspace: string,
  parts: GatherParts,
  io: CliIo,
): Promise<WorkspaceSnapshot> {
  const progress = new Progress(
    { write: (t) => void io.stderr.write(t), isTTY: io.stderr.isTTY === true },
    workspace,
    client.apiUrl,
  );
  try {
    const lists = (io.lists ?? clientLists)(client);
    const snapshot = await gather(lists, workspace, client.apiUrl, parts, progress);
    progress.done();
    return snapshot;
  } catch (err) {
    progress.abort();
    throw err;
  }
}

function checkWorkspace(value: string): string {
  const workspace = value.trim();
  if (!meets(RULES.accountName, workspace)) {
    throw new UsageError(`--workspace must be ${RULES.accountName.expected} (got ${JSON.stringify(value)}).`);
  }
  return workspace;
}

/** The clock: `io.now`, else `SOURCE_DATE_EPOCH` (seconds; reproducible builds), else now. */
function clock(io: CliIo): () => Date {
  if (io.now) return io.now;
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && /^\d+$/.test(epoch)) return () => new Date(Number(epoch) * 1000);
  return () => new Date();
}
