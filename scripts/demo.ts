/**
 * `npm run demo`: the combined example, end to end, against the local emulator, through the real
 * Pulumi engine. Shows `up`, a change made behind Pulumi's back, the `preview` that reveals it, the
 * `up` that repairs it and `destroy`, with the engine's own output; then a summary; then cleans up.
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
  await call(
    "DELETE",
    `${emulator.modeApiUrl}/${seed.workspace}/spaces/${seed.spaces[0]}/memberships/${token}`,
    {
      auth,
    },
  );
  console.log(`  • Someone removes the user group from the team's space in Mode (membership ${token}).`);
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
    await ws.setConfig("mode:apiUrl", emulator.modeApiUrl);
    await ws.setConfig("mode:apiToken", seed.mode.token, { secret: true });
    await ws.setConfig("mode:apiSecret", seed.mode.secret, { secret: true });
    await ws.setConfig("mode:orgApiUrl", emulator.orgApiUrl);
    await ws.setConfig("mode:orgApiToken", seed.org.token, { secret: true });
    await ws.setConfig("workspace", seed.mode.workspace);
    await ws.setConfig("space", seed.mode.spaces[0]);
    await ws.setConfig("memberToken", seed.mode.users[0].token);
    await ws.setConfig("groupToken", seed.mode.userGroups[0]);
    await ws.setConfig("organizationId", seed.org.organizationId);
    console.log("Stack 'demo' configured: credentials stored as encrypted secrets (mode:apiToken, ...).");

    banner("1/5  pulumi up", "Create the team's access: invite, space access, org invite and its acceptance");
    await ws.up({ echo: true });

    banner("2/5  A change behind Pulumi's back");
    await changeBehindPulumisBack(emulator, ws);

    banner(
      "3/5  pulumi preview",
      "Drift detection: the preview reads the live objects and says what changed and why (the warning lines)",
    );
    await ws.preview({ echo: true });

    banner("4/5  pulumi up", "Repair: re-invite the analyst and give the group its space access back");
    await ws.up({ echo: true });

    banner("5/5  pulumi destroy");
    await ws.destroy({ echo: true });

    const log = await call<RequestLog>("GET", `${emulator.controlUrl}/requests`);
    const state = await call<EmulatorState>("GET", `${emulator.controlUrl}/state`);
    const leftInvites = state.memberships.filter((m) =>
      ["invited", "expired"].includes(m.state ?? m.status ?? ""),
    ).length;
    banner("Summary");
    console.log(`  Pulumi commands: up, preview, up, destroy — all succeeded.`);
    console.log(`  API requests served by the emulator: ${log.total}`);
    for (const [route, count] of Object.entries(log.byRoute).sort())
      console.log(`    ${route.padEnd(40)} ${count}`);
    console.log(
      `  Left after destroy: ${state.spaceMemberships.length} space memberships, ${state.orgInvites.length} org invites, ` +
        `${leftInvites} pending or expired workspace invites (destroy revokes them).`,
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
