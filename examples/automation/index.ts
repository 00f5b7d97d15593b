// Self-service space access: a roster file says who may see which Mode space (Collection), and
// this script makes Mode agree, through Pulumi's Automation API. Add someone to the roster and
// run it: they are granted access. Remove them and run it again: their access is revoked.
//
//   node dist/index.js [roster.json]            grant and revoke until Mode matches the roster
//   node dist/index.js --preview [roster.json]  only show what would change
//   node dist/index.js --destroy                revoke everything this roster ever granted
//
// Environment: MODE_API_TOKEN, MODE_API_SECRET (a personal API token), MODE_API_URL (optional),
// PULUMI_CONFIG_PASSPHRASE (encrypts the credentials in the stack), PULUMI_BACKEND_URL (default:
// file://<work dir>/state), ROSTER_STACK (default "roster"), ROSTER_WORK_DIR (default: the
// current directory). The `pulumi` CLI must be on PATH. Run it from a directory where pulumi-mode
// and @pulumi/pulumi are installed: the engine's dynamic-provider host resolves them from there.
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import * as mode from "pulumi-mode";

/** One line of the roster: a member who should have access to a space. */
export interface RosterEntry {
  /** The space (Collection) token. */
  space: string;
  /** The user's (or user group's) token in Mode. */
  memberToken: string;
  /** `User` (default) or `UserGroup`. */
  memberType?: "User" | "UserGroup";
  /** Who this is, for people reading the roster; checked against the email Mode reports. */
  email?: string;
}

/** The roster file. */
export interface Roster {
  /** The workspace username that owns the spaces. */
  workspace: string;
  /** Everyone who should have access; anyone not listed who was granted by this roster is revoked. */
  members: RosterEntry[];
}

/** Reads and validates a roster file; throws a message naming the file and the bad entry. */
export function readRoster(file: string): Roster {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`cannot read the roster ${file}: ${(err as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new Error(`roster ${file}: ${what}`);
  };
  if (typeof parsed !== "object" || parsed === null) return fail("expected a JSON object");
  const { workspace, members } = parsed as { workspace?: unknown; members?: unknown };
  if (typeof workspace !== "string" || workspace === "") fail('"workspace" must be a non-empty string');
  if (!Array.isArray(members)) return fail('"members" must be a list');
  const seen = new Set<string>();
  const entries = members.map((raw: unknown, i): RosterEntry => {
    const at = `members[${i}]`;
    if (typeof raw !== "object" || raw === null) return fail(`${at} must be an object`);
    const { space, memberToken, memberType, email } = raw as Record<string, unknown>;
    if (typeof space !== "string" || space === "") fail(`${at}.space must be a space token`);
    if (typeof memberToken !== "string" || memberToken === "")
      fail(`${at}.memberToken must be a member token`);
    if (memberType !== undefined && memberType !== "User" && memberType !== "UserGroup") {
      fail(`${at}.memberType must be "User" or "UserGroup"`);
    }
    if (email !== undefined && typeof email !== "string") fail(`${at}.email must be a string`);
    const key = resourceName(space as string, memberToken as string);
    if (seen.has(key)) fail(`${at} lists ${memberToken as string} in space ${space as string} twice`);
    seen.add(key);
    return {
      space: space as string,
      memberToken: memberToken as string,
      memberType: (memberType as RosterEntry["memberType"]) ?? "User",
      ...(email === undefined ? {} : { email: email as string }),
    };
  });
  return { workspace: workspace as string, members: entries };
}

/** A stable Pulumi name per (space, member): removing one entry never touches another. */
function resourceName(space: string, memberToken: string): string {
  return `${space}-${memberToken}`;
}

/** The Pulumi program: one SpaceMembership per roster entry. */
function program(roster: Roster) {
  return async (): Promise<Record<string, unknown>> => {
    const granted: Record<string, unknown> = {};
    for (const entry of roster.members) {
      const membership = new mode.SpaceMembership(resourceName(entry.space, entry.memberToken), {
        account: roster.workspace,
        space: entry.space,
        memberType: entry.memberType ?? "User",
        memberToken: entry.memberToken,
      });
      granted[resourceName(entry.space, entry.memberToken)] = {
        space: membership.space,
        memberToken: membership.memberToken,
        email: membership.email,
      };
    }
    return { granted };
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see the comment at the top of this script)`);
  return value;
}

/** Opens (or creates) the roster's stack with the credentials as secret config. */
export async function openStack(roster: Roster, workDir: string): Promise<Stack> {
  const backendUrl = process.env.PULUMI_BACKEND_URL ?? `file://${path.join(workDir, "state")}`;
  if (backendUrl.startsWith("file://")) fs.mkdirSync(backendUrl.slice("file://".length), { recursive: true });
  required("PULUMI_CONFIG_PASSPHRASE");
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: process.env.ROSTER_STACK ?? "roster", projectName: "mode-roster", program: program(roster) },
    {
      // The engine starts the dynamic-provider host here; it must resolve pulumi-mode from this directory.
      workDir,
      projectSettings: { name: "mode-roster", runtime: "nodejs" },
      secretsProvider: "passphrase",
      envVars: { PULUMI_BACKEND_URL: backendUrl },
    },
  );
  if (process.env.MODE_API_URL) await stack.setConfig("mode:apiUrl", { value: process.env.MODE_API_URL });
  else await stack.removeConfig("mode:apiUrl");
  await stack.setConfig("mode:apiToken", { value: required("MODE_API_TOKEN"), secret: true });
  await stack.setConfig("mode:apiSecret", { value: required("MODE_API_SECRET"), secret: true });
  return stack;
}

/** Warns about roster lines whose email does not match the member Mode reports for the token. */
function checkEmails(roster: Roster, granted: unknown): void {
  const byName = (granted ?? {}) as Record<string, { email?: string | null }>;
  for (const entry of roster.members) {
    const reported = byName[resourceName(entry.space, entry.memberToken)]?.email;
    if (entry.email && reported && entry.email.toLowerCase() !== reported.toLowerCase()) {
      console.warn(
        `warning: the roster says ${entry.memberToken} is ${entry.email}, but Mode says ${reported}; check the token`,
      );
    }
  }
}

async function main(argv: string[]): Promise<void> {
  const flags = argv.filter((a) => a.startsWith("--"));
  const files = argv.filter((a) => !a.startsWith("--"));
  const unknown = flags.filter((f) => f !== "--preview" && f !== "--destroy");
  if (unknown.length > 0 || files.length > 1) {
    throw new Error(`usage: index.js [--preview | --destroy] [roster.json] (got ${argv.join(" ")})`);
  }
  const workDir = path.resolve(process.env.ROSTER_WORK_DIR ?? process.cwd());
  const destroy = flags.includes("--destroy");
  const roster: Roster = destroy
    ? { workspace: "", members: [] }
    : readRoster(path.resolve(files[0] ?? "roster.json"));
  const stack = await openStack(roster, workDir);
  const onOutput = (out: string): void => void process.stdout.write(out);
  // Completed steps on memberships, by operation (create, delete, replace, same, ...).
  const done: Record<string, number> = {};
  const onEvent = (event: EngineEvent): void => {
    const step = event.resOutputsEvent?.metadata;
    if (step?.type.endsWith(":SpaceMembership")) done[step.op] = (done[step.op] ?? 0) + 1;
  };

  if (destroy) {
    await stack.destroy({ onOutput, onEvent, color: "never" });
    console.log(`Revoked ${done.delete ?? 0} membership(s): everything this roster had granted.`);
  } else if (flags.includes("--preview")) {
    const result = await stack.preview({ onOutput, color: "never" });
    console.log(`Would change: ${JSON.stringify(result.changeSummary)}`);
  } else {
    const result = await stack.up({ onOutput, onEvent, color: "never" });
    console.log(
      `Granted ${done.create ?? 0}, revoked ${done.delete ?? 0}, repaired ${done.replace ?? 0}, ` +
        `unchanged ${done.same ?? 0}.`,
    );
    checkEmails(roster, result.outputs.granted?.value);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
