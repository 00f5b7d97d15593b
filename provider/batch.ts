/**
 * Many writes to one collection (a space's members, a workspace's members) in one step: sent with
 * bounded concurrency, so a set of 1,000 changes is a queue paced by the client's per-host limiter,
 * not 1,000 requests started at once; every write runs even when some fail, and the failures come
 * back together so a resource can report what it did and what is left.
 */

/** Writes in flight at once per batch: above the host limiter's default concurrency, so it paces. */
export const WRITE_CONCURRENCY = 16;

/** One write that failed, with the item it was for. */
export interface Failure<T> {
  readonly item: T;
  readonly error: unknown;
}

/**
 * Runs `write` for every item, at most `limit` at a time, and returns the failures (an empty list
 * when every write succeeded). Never rejects.
 */
export async function writeAll<T>(
  items: readonly T[],
  write: (item: T) => Promise<void>,
  limit = WRITE_CONCURRENCY,
): Promise<Failure<T>[]> {
  const failures: Failure<T>[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await write(item);
      } catch (error) {
        failures.push({ item, error });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return failures;
}

/**
 * The error of a batch some of whose writes failed: how many, the first few reasons (each item
 * named by `name`), and that what succeeded stays and the next `pulumi up` finishes the job.
 */
export function batchError<T>(
  what: string,
  total: number,
  failures: Failure<T>[],
  name: (item: T) => string,
): Error {
  const shown = failures
    .slice(0, 3)
    .map((f) => `${name(f.item)}: ${f.error instanceof Error ? f.error.message : String(f.error)}`);
  const more = failures.length > shown.length ? `; and ${String(failures.length - shown.length)} more` : "";
  return new Error(
    `${what}: ${String(failures.length)} of ${String(total)} changes failed (${shown.join("; ")}${more}). ` +
      "The changes that succeeded stay; run `pulumi up` again to finish.",
    { cause: failures[0]?.error },
  );
}
