/**
 * The progress line of a command, on stderr when (and only when) stderr is a terminal: pages read,
 * lists read of the lists known so far, items read. Pages are counted from Node's HTTP client
 * diagnostics channel (each successful GET to the API's origin is one listing page: the commands
 * send nothing else), so the clients need no hook for it.
 */
import diagnostics from "node:diagnostics_channel";
import type { GatherObserver } from "./gather";

/** Where progress goes. */
export interface ProgressSink {
  /** Writes text to stderr. */
  write(text: string): void;
  /** Whether stderr is a terminal (otherwise nothing is written). */
  readonly isTTY: boolean;
}

/** The message Node's HTTP client publishes when a response has been read. */
interface ResponseFinish {
  readonly request?: {
    readonly method?: string;
    readonly host?: string;
    readonly getHeader?: (n: string) => unknown;
  };
  readonly response?: { readonly statusCode?: number };
}

const CHANNEL = "http.client.response.finish";

/** Counts and shows what a gather reads; silent unless the sink is a terminal. */
export class Progress implements GatherObserver {
  private lists = 0;
  private listsKnown = 0;
  private items = 0;
  private pages = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly onResponse = (message: unknown): void => {
    const m = message as ResponseFinish;
    if (m.request?.method !== "GET" || m.response?.statusCode !== 200) return;
    if (m.request.host !== this.host) return;
    this.pages += 1;
    this.draw(false);
  };

  /** Shows progress of reading `workspace` from the API at `apiUrl`. */
  constructor(
    private readonly sink: ProgressSink,
    private readonly workspace: string,
    apiUrl: string,
    private readonly now: () => number = Date.now,
  ) {
    this.host = new URL(apiUrl).hostname.replace(/^\[|\]$/g, "");
    if (this.sink.isTTY) diagnostics.subscribe(CHANNEL, this.onResponse);
  }

  private readonly host: string;

  /** `count` more lists will be read. */
  listsPlanned(count: number): void {
    this.listsKnown += count;
    this.draw(false);
  }

  /** One list was read whole. */
  listRead(_noun: string, items: number): void {
    this.lists += 1;
    this.items += items;
    this.draw(false);
  }

  /** Draws the final line and stops listening. */
  done(): void {
    if (!this.sink.isTTY) return;
    diagnostics.unsubscribe(CHANNEL, this.onResponse);
    this.draw(true);
    if (this.drawn) this.sink.write("\n");
  }

  /** Stops listening and clears the line (after a failure, before the error is printed). */
  abort(): void {
    if (!this.sink.isTTY) return;
    diagnostics.unsubscribe(CHANNEL, this.onResponse);
    if (this.drawn) this.sink.write("\r\u001b[K");
  }

  private draw(force: boolean): void {
    if (!this.sink.isTTY) return;
    const t = this.now();
    if (!force && t - this.lastDraw < 100) return;
    this.lastDraw = t;
    this.drawn = true;
    const n = (x: number): string => x.toLocaleString("en-US");
    this.sink.write(
      `\r\u001b[Kpulumi-mode: reading ${this.workspace}: ${n(this.pages)} pages, ` +
        `${n(this.lists)} of ${n(this.listsKnown)} lists, ${n(this.items)} items`,
    );
  }
}
