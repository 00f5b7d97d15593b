/**
 * Test harness that runs dynamic providers exactly the way the Pulumi engine does: the provider is serialized
 * with the SDK's closure serializer (as `pulumi.dynamic.Resource` does), then evaluated in a separate process
 * by the dynamic-provider host shipped in `@pulumi/pulumi` (`cmd/dynamic-provider/index.js`), which is driven
 * over its ResourceProvider gRPC interface.
 *
 * Notes on fidelity:
 *  - The host deserializes `props.__provider` with require-from-string, so a bare/relative `require(...)`
 *    inside the provider resolves relative to the host process's cwd (default: the repo root).
 *  - The host calls `provider.configure` lazily, the first time a given serialized provider is used, with the
 *    config received by the last Configure RPC.
 *  - The host caches providers per serialized text for the life of the process; start a new host to get a
 *    fresh provider instance.
 */
import { ChildProcess, spawn } from "child_process";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { JavaScriptValue, Struct } from "google-protobuf/google/protobuf/struct_pb";
import { repoRoot } from "./engine";

/** The sentinel the Pulumi SDK uses for unknown (computed) values in dynamic-provider property bags. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Deadline applied to every gRPC call. */
const CALL_TIMEOUT_MS = 60_000;
/** How long to wait for the host process to print its port. */
const START_TIMEOUT_MS = 30_000;
/** Dummy engine address; the host requires the argument but never dials it for CRUD calls. */
const DUMMY_ENGINE_ADDRESS = "127.0.0.1:1";

/** Serializes a provider exactly as pulumi.dynamic.Resource does. */
export async function serializeProvider(provider: object): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

/** URN of a dynamic resource of this package: urn:pulumi:test::test::pulumi-nodejs:dynamic/mode:<Type>::<name> */
export function urnFor(type: string, name: string): string {
  return `urn:pulumi:test::test::pulumi-nodejs:dynamic/mode:${type}::${name}`;
}

/** The pulumi-mode checkout this harness belongs to. */
export const REPO_ROOT = repoRoot();

export interface HostOptions {
  /** Working directory of the host process; relative requires inside the provider resolve from here. Default: repo root. */
  cwd?: string;
  /** Extra environment variables, merged over the current process.env. */
  env?: Record<string, string>;
}

/** A gRPC error returned by the host. `message` contains the provider's error message (`details`). */
export class ProviderHostError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${details} (ResourceProvider/${method} failed with gRPC status ${grpc.status[code] ?? code})`);
    this.name = "ProviderHostError";
  }
}

function toJsValue(value: unknown, where: string): JavaScriptValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") {
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new TypeError(`provider-host: ${where} is a non-finite number (${value}); not representable`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => (v === undefined ? null : toJsValue(v, `${where}[${i}]`)));
  }
  if (typeof value === "object") {
    return toJsObject(value as Record<string, unknown>, where);
  }
  throw new TypeError(
    `provider-host: ${where} has type ${typeof value}; not representable in a protobuf Struct`,
  );
}

function toJsObject(obj: Record<string, unknown>, where: string): { [key: string]: JavaScriptValue } {
  const out: { [key: string]: JavaScriptValue } = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v !== undefined) {
      out[k] = toJsValue(v, `${where}.${k}`);
    }
  }
  return out;
}

function toStruct(obj: Record<string, unknown>, where: string): Struct {
  return Struct.fromJavaScript(toJsObject(obj, where));
}

function fromStruct(struct: Struct | undefined): Record<string, unknown> {
  return struct === undefined ? {} : (struct.toJavaScript() as Record<string, unknown>);
}

type UnaryCall<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

export class ProviderHost {
  private stdoutText = "";
  private stderrText = "";
  private readonly exited: Promise<void>;
  private hasExited = false;

  private constructor(
    private readonly child: ChildProcess,
    private client: provrpc.ResourceProviderClient | undefined,
  ) {
    this.exited = new Promise<void>((resolve) => {
      child.once("exit", () => {
        this.hasExited = true;
        resolve();
      });
      // A spawn failure emits "error" and never "exit".
      child.once("error", () => {
        if (child.pid === undefined) {
          this.hasExited = true;
          resolve();
        }
      });
    });
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      this.stdoutText += chunk;
    });
    child.stderr?.on("data", (chunk: string) => {
      this.stderrText += chunk;
    });
  }

  /** Everything the host process wrote to stderr so far (provider console.warn/error lands here). */
  get stderr(): string {
    return this.stderrText;
  }

  /** Everything the host process wrote to stdout so far (the first line is the gRPC port). */
  get stdout(): string {
    return this.stdoutText;
  }

  /** Spawns `node <host index.js> 127.0.0.1:1`, reads the port line from stdout and connects a gRPC client. */
  static async start(opts: HostOptions = {}): Promise<ProviderHost> {
    const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    const child = spawn(process.execPath, [hostScript, DUMMY_ENGINE_ADDRESS], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, ...(opts.env ?? {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const host = new ProviderHost(child, undefined);
    let port: number;
    try {
      port = await host.waitForPort();
    } catch (err) {
      await host.stop();
      throw err;
    }
    host.client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return host;
  }

  private waitForPort(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.child.stdout?.off("data", onData);
        this.child.off("exit", onExit);
        this.child.off("error", onError);
      };
      const onData = (): void => {
        const newline = this.stdoutText.indexOf("\n");
        if (newline < 0) {
          return;
        }
        const line = this.stdoutText.slice(0, newline).trim();
        cleanup();
        const port = Number(line);
        if (/^\d+$/.test(line) && port > 0) {
          resolve(port);
        } else {
          reject(
            new Error(`provider-host: expected a port on the first stdout line, got ${JSON.stringify(line)}`),
          );
        }
      };
      const onExit = (code: number | null, signal: string | null): void => {
        cleanup();
        reject(
          new Error(
            `provider-host: host exited before printing its port (code ${code}, signal ${signal}); stderr:\n${this.stderrText}`,
          ),
        );
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(new Error(`provider-host: failed to spawn host: ${err.message}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`provider-host: no port within ${START_TIMEOUT_MS} ms; stderr:\n${this.stderrText}`),
        );
      }, START_TIMEOUT_MS);
      this.child.stdout?.on("data", onData);
      this.child.once("exit", onExit);
      this.child.once("error", onError);
      onData();
    });
  }

  /** Resolves once stderr matches `match` (output is piped asynchronously, so it can lag the gRPC reply). */
  async waitForStderr(match: string | RegExp, timeoutMs = 5_000): Promise<string> {
    const matches = (): boolean =>
      typeof match === "string" ? this.stderrText.includes(match) : match.test(this.stderrText);
    const deadline = Date.now() + timeoutMs;
    while (!matches()) {
      if (Date.now() > deadline) {
        throw new Error(
          `provider-host: stderr did not match ${String(match)} within ${timeoutMs} ms:\n${this.stderrText}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.stderrText;
  }

  private rpc<Req, Res>(method: string, call: UnaryCall<Req, Res>, request: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      call(request, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (error, response) => {
        if (error) {
          reject(new ProviderHostError(method, error.code, error.details || error.message));
        } else {
          resolve(response);
        }
      });
    });
  }

  private get c(): provrpc.ResourceProviderClient {
    if (this.client === undefined) {
      throw new Error("provider-host: not connected (host stopped or not started)");
    }
    return this.client;
  }

  /**
   * Sends Configure as the engine does: `args` holds the stack config (keys like "mode:apiToken"), mirrored in
   * the legacy `variables` map. The host passes `args` to the provider's configure (lazily, on first use).
   */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new provproto.ConfigureRequest();
    const variables = req.getVariablesMap();
    for (const [k, v] of Object.entries(config)) {
      variables.set(k, v);
    }
    req.setArgs(toStruct(config, "config"));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const c = this.c;
    await this.rpc("Configure", c.configure.bind(c), req);
  }

  async check(
    urn: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: { property: string; reason: string }[] }> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds, "olds"));
    req.setNews(toStruct(news, "news"));
    const c = this.c;
    const resp = await this.rpc("Check", c.check.bind(c), req);
    return {
      inputs: fromStruct(resp.getInputs()),
      failures: resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
    const req = new provproto.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(toStruct(olds, "olds"));
    req.setNews(toStruct(news, "news"));
    const c = this.c;
    const resp = await this.rpc("Diff", c.diff.bind(c), req);
    const changes = resp.getChanges();
    const Changes = provproto.DiffResponse.DiffChanges;
    return {
      changes: changes === Changes.DIFF_SOME ? "some" : changes === Changes.DIFF_NONE ? "none" : "unknown",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  /** `props` must include `__provider`. */
  async create(
    urn: string,
    props: Record<string, unknown>,
  ): Promise<{ id: string; properties: Record<string, unknown> }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(props, "props"));
    req.setTimeout(CALL_TIMEOUT_MS / 1000);
    const c = this.c;
    const resp = await this.rpc("Create", c.create.bind(c), req);
    return { id: resp.getId(), properties: fromStruct(resp.getProperties()) };
  }

  /** `props` (or, if empty, `inputs`) must include `__provider`. */
  async read(
    urn: string,
    id: string,
    props: Record<string, unknown>,
    inputs?: Record<string, unknown>,
  ): Promise<{
    id: string;
    properties: Record<string, unknown>;
    inputs: Record<string, unknown> | undefined;
  }> {
    const req = new provproto.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(toStruct(props, "props"));
    if (inputs !== undefined) {
      req.setInputs(toStruct(inputs, "inputs"));
    }
    const c = this.c;
    const resp = await this.rpc("Read", c.read.bind(c), req);
    const respInputs = resp.getInputs();
    return {
      id: resp.getId(),
      properties: fromStruct(resp.getProperties()),
      inputs: respInputs === undefined ? undefined : fromStruct(respInputs),
    };
  }

  /** `news` must include `__provider`. */
  async update(
    urn: string,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ properties: Record<string, unknown> }> {
    const req = new provproto.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(toStruct(olds, "olds"));
    req.setNews(toStruct(news, "news"));
    req.setTimeout(CALL_TIMEOUT_MS / 1000);
    const c = this.c;
    const resp = await this.rpc("Update", c.update.bind(c), req);
    return { properties: fromStruct(resp.getProperties()) };
  }

  /** `props` must include `__provider`. */
  async delete(urn: string, id: string, props: Record<string, unknown>): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(toStruct(props, "props"));
    req.setTimeout(CALL_TIMEOUT_MS / 1000);
    const c = this.c;
    await this.rpc("Delete", c.delete.bind(c), req);
  }

  /** Closes the channel, kills the host process and waits for it to exit. Idempotent. */
  async stop(): Promise<void> {
    if (this.client !== undefined) {
      this.client.close();
      this.client = undefined;
    }
    if (!this.hasExited && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!this.hasExited) {
          this.child.kill("SIGKILL");
        }
      }, 5_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
