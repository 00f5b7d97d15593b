/**
 * What every read function shares: the API clients, loaded on the first call (a program that only
 * declares resources does not pay for loading ajv and the HTTP stack on its critical path), built
 * from the same `mode:*` config keys or environment variables as the resources; the common argument
 * schemas; and reading a whole listing.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ModeClient, OrgClient } from "../provider/client";
import { RULES, stringSchema } from "../provider/rules";
import { Settings } from "../provider/settings";

/* eslint-disable @typescript-eslint/no-require-imports */
/** The client factories (loaded on first use). */
function apis(): typeof import("../provider/apis") {
  return require("../provider/apis") as typeof import("../provider/apis");
}

/** The clients' module: response helpers such as a group's `managed` flag (loaded on first use). */
export function clientModule(): typeof import("../provider/client") {
  return require("../provider/client") as typeof import("../provider/client");
}

/** The organization invites' rules (an invite's status), loaded with the clients. */
export function orgInviteRules(): typeof import("../provider/collections/org-invites") {
  return require("../provider/collections/org-invites") as typeof import("../provider/collections/org-invites");
}
/* eslint-enable @typescript-eslint/no-require-imports */

function settings(): Settings {
  return new Settings((key) => pulumi.runtime.getConfig(key));
}

/** The Mode API client for this program's settings. */
export function modeClient(): ModeClient {
  return apis().modeClientFor(settings());
}

/** The organization-invites API client for this program's settings. */
export function orgClient(): OrgClient {
  return apis().orgClientFor(settings());
}

/** Every item of a listing (the clients yield only once the whole listing is read and verified). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** The `workspace` argument of a read function. */
export const workspaceArg = {
  ...stringSchema(RULES.accountName),
  description: "The workspace's username.",
} as const;

/** A token argument of a read function, described. */
export const tokenArg = (description: string) => ({ ...stringSchema(RULES.token), description }) as const;
