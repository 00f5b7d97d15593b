/**
 * `npm run demo`: the combined example, end to end, against the local emulator, through the real
 * Pulumi engine. Shows `up`, changes made behind Pulumi's back (a group's space access removed, a
 * collection shared with someone the program does not name, an invite left to expire), the `preview`
 * that reveals them, the `up` that repairs them and `destroy`, with the engine's own output; then a
 * summary of what is left; then cleans up.
 *
 * Nothing leaves this machine: the emulator listens on 127.0.0.1, the Pulumi backend is a
 * temporary directory and secrets use a passphrase provider.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import { ensureEngine, PulumiWorkspace, repoRoot } from "../testing/engine";

const EIGHT_DAYS = 8 * 24 * 3600;

function banner(title: string, detail?: string): void {
  const line = "═".repeat(78);
  console.log(`\n${line}\n  ${title}${detail ? `\n  ${detail}` : ""}\n${line}\n`);
}

interface RequestLog {
  total: number;
  byRoute: Record<string, number>;
}

interface EmulatorState {
  memberships: { state?: string; status?: string }[];
  spaceMemberships: unknown[];
  orgInvites: unknown[];
  userGroups: { token: string; state: string }[];
  spaces: { id: number; token: string; name: string; defaultAccessLevel: string }[];
  permissions: { targetType: string; targetId: number }[];
}

/** The seed's collection the program restricts (config `collection`): its token, name and level. */
function demoCollection(emulator: RunningEmulator): { token: string; name: string; level: string } {
  const c = emulator.seed.mode.collections[2];
  return { token: c.token, name: c.name, level: c.defaultAccessLevel };
}

async function call<T>(
  method: string,
  url: string,
  init: { body?: unknown; auth?: string } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.auth) headers.authorization = init.auth;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${new URL(url).pathname} answered ${res.status}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

async function changeBehindPulumisBack(emulator: RunningEmulator, ws: PulumiWorkspace): Promise<void> {
  const seed = emulator.seed.mode;
  const outputs = await ws.outputs();
  const token = String(outputs.groupAccessToken);
  const auth = `Basic ${Buffer.from(`${seed.token}:${seed.secret}`).toString("base64")}`;
  const workspaceUrl = `${emulator.modeApiUrl}/${seed.workspace}`;
  await call("DELETE", `${workspaceUrl}/spaces/${seed.spaces[0]}/memberships/${token}`, { auth });
  console.log(`  • Someone removes the Analysts group from the team's space in Mode (membership ${token}).`);
  const collection = demoCollection(emulator);
  const [ada] = seed.users;
  await call("POST", `${workspaceUrl}/spaces/${collection.token}/permissions`, {
    auth,
    body: { permission: { action: "edit", accessor_type: "Account", accessor_token: ada.token } },
  });
  console.log(
    `  • Someone shares the restricted collection "${collection.name}" with ${ada.username} (edit) in Mode's UI.`,
  );
  await call("POST", `${emulator.controlUrl}/clock/advance`, { body: { seconds: EIGHT_DAYS } });
  console.log("  • Eight days pass: the analyst never accepted, so the workspace invite expires.");
}

async function main(): Promise<void> {
  const started = Date.now();
  banner("pulumi-mode demo", "Mode workspace and organization access as code, against the local emulator");
  console.log("Preparing the Pulumi engine (built from Go modules on first use, cached afterwards)...");
  await ensureEngine();

  const emulator = await startEmulator({ port: 0 });
  console.log(`Emulator listening at ${emulator.url} (Mode API ${emulator.modeApiUrl}).`);
  const ws = await PulumiWorkspace.create({
    programDir: path.join(repoRoot(), "examples", "combined"),
    stack: "demo",
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
  });
  try {
    const seed = emulator.seed;
    const collection = demoCollection(emulator);
    await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
    await ws.setConfig("mode:apiToken", seed.mode.token, { secret: true });
    await ws.setConfig("mode:apiSecret", seed.mode.secret, { secret: true });
    await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
    await ws.setConfig("mode:orgApiToken", seed.org.token, { secret: true });
    await ws.setConfig("workspace", seed.mode.workspace);
    await ws.setConfig("username", seed.mode.users[1].username);
    await ws.setConfig("secondUsername", seed.mode.users[2].username);
    await ws.setConfig("collection", collection.token);
    await ws.setConfig("space", seed.mode.spaces[0]);
    await ws.setConfig("memberToken", seed.mode.users[0].token);
    await ws.setConfig("organizationId", seed.org.organizationId);
    console.log("Stack 'demo' configured: credentials stored as encrypted secrets (mode:apiToken, ...).");

    banner(
      "1/5  pulumi up",
      "Create the team's access: an invite, the Analysts group and its members, who can open a " +
        "collection,\n  space access, an org invite and its acceptance",
    );
    await ws.up({ echo: true });

    banner("2/5  A change behind Pulumi's back");
    await changeBehindPulumisBack(emulator, ws);

    banner(
      "3/5  pulumi preview",
      "Drift detection: the preview reads the live objects and says what changed and why (the warning lines)",
    );
    await ws.preview({ echo: true });

    banner(
      "4/5  pulumi up",
      "Repair: re-invite the analyst, give the group its space access back, revoke the extra grant",
    );
    await ws.up({ echo: true });

    banner("5/5  pulumi destroy");
    await ws.destroy({ echo: true });

    const log = await call<RequestLog>("GET", `${emulator.controlUrl}/requests`);
    const state = await call<EmulatorState>("GET", `${emulator.controlUrl}/state`);
    const leftInvites = state.memberships.filter((m) =>
      ["invited", "expired"].includes(m.state ?? m.status ?? ""),
    ).length;
    const seededGroups = new Set(seed.mode.userGroups);
    const leftGroups = state.userGroups.filter(
      (g) => g.state === "active" && !seededGroups.has(g.token),
    ).length;
    const space = state.spaces.find((s) => s.token === collection.token);
    const leftGrants = state.permissions.filter(
      (p) => p.targetType === "space" && p.targetId === space?.id,
    ).length;
    const level = space?.defaultAccessLevel ?? "gone";
    const levelNote =
      level === collection.level ? "as before the demo" : `it was ${collection.level} before the demo`;
    banner("Summary");
    console.log(`  Pulumi commands: up, preview, up, destroy — all succeeded.`);
    console.log(`  API requests served by the emulator: ${log.total}`);
    for (const [route, count] of Object.entries(log.byRoute).sort())
      console.log(`    ${route.padEnd(40)} ${count}`);
    console.log(
      `  Left after destroy: ${state.spaceMemberships.length} space memberships, ${state.orgInvites.length} org invites, ` +
        `${leftInvites} pending or expired workspace invites (destroy revokes them),\n` +
        `    ${leftGroups} groups, ${leftGrants} grants on collection "${collection.name}", ` +
        `whose default level is ${level} (${levelNote}).`,
    );
    console.log(`  Took ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await ws.dispose();
    await emulator.close();
    console.log("\nCleaned up: temporary Pulumi state and the emulator are gone.");
  }
}

main().catch((err: unknown) => {
  console.error(`\nThe demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
