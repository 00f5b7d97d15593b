/**
 * Reading what a `pulumi` command printed and what the emulator received, for the engine tests:
 * the warning lines under Diagnostics (where the provider's reason lines land), one resource's
 * errors, and the emulator's request log by route.
 */
import type { RunningEmulator } from "../../emulator";
import { control } from "../../testing/emulator-control";
import type { PulumiRun } from "../../testing/engine";

/** The lines printed as warnings under the command's Diagnostics, without the `warning: ` prefix. */
export function warnings(run: PulumiRun): string[] {
  const output = run.stdout + run.stderr;
  const at = output.indexOf("\nDiagnostics:");
  if (at < 0) return [];
  return output
    .slice(at)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("warning: "))
    .map((l) => l.slice("warning: ".length));
}

/**
 * The errors the engine prints for one resource under Diagnostics (`<type> (<name>):` followed by
 * `error: <message>` lines).
 */
export function resourceErrors(run: PulumiRun, resource: string): string[] {
  const output = run.stdout + run.stderr;
  const at = output.indexOf("\nDiagnostics:");
  if (at < 0) return [];
  const lines = output.slice(at).split("\n");
  const start = lines.findIndex((l) => l.trim() === `${resource}:`);
  if (start < 0) return [];
  const errors: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || /^ {2}\S/.test(line)) break;
    if (line.trim().startsWith("error: ")) errors.push(line.trim().slice("error: ".length));
  }
  return errors;
}

/** Requests the emulator received since the last call, by `METHOD route`; the log is then cleared. */
export async function takeRequests(emulator: RunningEmulator): Promise<Record<string, number>> {
  const res = await control<{ byRoute: Record<string, number> }>(emulator, "GET", "/requests");
  await control(emulator, "DELETE", "/requests");
  return res.json.byRoute;
}

/** The writes among `requests` (anything but a GET). */
export function writes(requests: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(requests).filter(([route]) => !route.startsWith("GET ")));
}
