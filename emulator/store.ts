/**
 * The emulator's state holder: the current data, the emulator clock, reset to the seed and
 * persistence to a JSON state file (atomic write: temporary file + rename).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { buildSeed } from "./seed";
import { upgradeState } from "./state-upgrade";
import { SeedSizes, StateData } from "./types";

export * from "./types";
export { buildSeed, newUuid, randomHex, seedHex, seedUuid } from "./seed";

/** Holds the state, the clock and persistence. */
export class Store {
  /** The current state (mutated in place by the models). */
  data: StateData;
  private dirty = false;

  /** Loads `statePath` when it exists, otherwise seeds. */
  constructor(
    private readonly sizes: SeedSizes,
    private readonly statePath?: string,
  ) {
    if (statePath && existsSync(statePath)) {
      const parsed = JSON.parse(readFileSync(statePath, "utf8")) as StateData;
      if (parsed.version !== 1 || !Array.isArray(parsed.users)) {
        throw new Error(`state file ${statePath} is not an emulator state file`);
      }
      this.data = upgradeState(parsed);
    } else {
      this.data = buildSeed(sizes);
      this.dirty = true;
    }
    this.saveIfDirty();
  }

  /** The emulator clock (wall clock plus the advanced offset). */
  now(): Date {
    return new Date(Date.now() + this.data.clockOffsetMs);
  }

  /** The emulator clock as ISO 8601 with milliseconds. */
  nowIso(): string {
    return this.now().toISOString();
  }

  /** Moves the clock forward. */
  advance(seconds: number): void {
    this.data.clockOffsetMs += seconds * 1000;
    this.markDirty();
  }

  /** Allocates a numeric id. */
  nextId(): number {
    this.markDirty();
    return this.data.nextId++;
  }

  /** Records that the state changed and must be saved. */
  markDirty(): void {
    this.dirty = true;
  }

  /** Back to the fresh seed. */
  reset(): void {
    this.data = buildSeed(this.sizes);
    this.markDirty();
    this.saveIfDirty();
  }

  /** Writes the state file if anything changed (atomic: temporary file + rename). */
  saveIfDirty(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.save();
  }

  /** Writes the state file unconditionally (no-op without a state path). */
  save(): void {
    if (!this.statePath) return;
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data), { mode: 0o600 });
    renameSync(tmp, this.statePath);
  }
}
