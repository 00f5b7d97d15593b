/**
 * `mode-emulator env`: the shell lines that point the `pulumi` CLI and the provider at a running
 * emulator, for `eval "$(mode-emulator env …)"`. Generic to any program: the provider reads its
 * endpoints and credentials from the environment (MODE_API_URL, MODE_API_TOKEN, MODE_API_SECRET,
 * MODE_ORG_API_URL, MODE_ORG_API_TOKEN), for both APIs or the one asked for; the `pulumi` CLI gets a
 * local file backend, a passphrase for its secrets and no update check. Secrets printed are the
 * emulator's own seeded admin credentials, never anything else from the environment.
 *
 * Nothing here knows a program, a stack or where a `pulumi` binary lives: a caller that does (the
 * repository's `scripts/example-env.ts`) adds its own lines around {@link envLines}.
 */
import type { SeedInfo } from "./index";

/** The two APIs the emulator serves: the Mode API and the organization-invites API. */
export type EmulatorApi = "mode" | "org";

/** Every {@link EmulatorApi}, in the order their lines are printed. */
export const EMULATOR_APIS: readonly EmulatorApi[] = ["mode", "org"];

/** Whether `v` names one of the {@link EMULATOR_APIS}. */
export function isEmulatorApi(v: string): v is EmulatorApi {
  return EMULATOR_APIS.some((a) => a === v);
}

/** What `env` prints for. */
export interface EnvOptions {
  /** Directory of the local file backend (created by the printed lines). */
  backendDir: string;
  /** Passphrase of the stack's passphrase secrets provider (default `emulator`). */
  passphrase?: string;
  /** The APIs whose endpoint and credentials are printed (default both). */
  apis?: readonly EmulatorApi[];
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** The shell lines (one command each) for a seed and options. */
export function envLines(seed: SeedInfo, o: EnvOptions): string[] {
  const q = shellQuote;
  const apis = new Set(o.apis ?? EMULATOR_APIS);
  const lines: string[] = [];
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
  return lines;
}

/**
 * The seed of the emulator running at `url` (`GET {url}/_control/seed`, the same JSON as its first
 * stdout line). `startHint` is the command the error suggests when nothing answers.
 */
export async function fetchSeed(
  url: string,
  startHint = "mode-emulator --port N --daemon",
): Promise<SeedInfo> {
  try {
    const r = await fetch(`${url}/_control/seed`);
    if (!r.ok) throw new Error(`answered ${r.status}`);
    return (await r.json()) as SeedInfo;
  } catch (e) {
    throw new Error(`no emulator at ${url} (${(e as Error).message}); start one with: ${startHint}`);
  }
}
