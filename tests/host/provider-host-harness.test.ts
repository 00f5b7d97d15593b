import * as assert from "assert";
import * as path from "path";
import {
  ProviderHost,
  ProviderHostError,
  REPO_ROOT,
  UNKNOWN,
  serializeProvider,
  urnFor,
} from "../../testing/provider-host";

const FIXTURE_DIR = path.join(REPO_ROOT, "tests", "fixtures", "provider-host");

interface Impl {
  setApiToken(value: string | undefined): void;
  getApiToken(): string | undefined;
}

type Props = Record<string, unknown>;

/**
 * A tiny dynamic provider. It is serialized with the SDK's closure serializer and evaluated inside the host
 * process, so it may only rely on what it captures and on modules it requires from the host's cwd.
 */
const testProvider = {
  async configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const impl = require("./impl.cjs") as Impl;
    impl.setApiToken(req.config.get("mode:apiToken"));
  },
  async check(
    _olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const failures: { property: string; reason: string }[] = [];
    const email = news.email;
    if (typeof email !== "string" || !email.includes("@")) {
      failures.push({ property: "email", reason: `invalid email: ${String(email)}` });
    }
    return { inputs: { ...news, email: typeof email === "string" ? email.toLowerCase() : email }, failures };
  },
  async diff(
    _id: string,
    olds: Props,
    news: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    const replaces = olds.email !== news.email ? ["email"] : [];
    return {
      changes: replaces.length > 0 || olds.role !== news.role,
      replaces,
      deleteBeforeReplace: replaces.length > 0,
    };
  },
  async create(inputs: Props): Promise<{ id: string; outs: Props }> {
    if (inputs.email === "fail@example.com") {
      throw new Error("Mode API rejected invite for fail@example.com (HTTP 422)");
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const impl = require("./impl.cjs") as Impl;
    console.warn(`creating invite for ${String(inputs.email)}`);
    return {
      id: "abc",
      outs: { ...inputs, token: impl.getApiToken(), inviteUrl: `https://mode.test/i/abc` },
    };
  },
  async read(id: string, props: Props): Promise<{ id: string; props: Props; inputs: Props }> {
    return { id, props: { ...props, role: "admin" }, inputs: { email: props.email, role: "admin" } };
  },
  async update(_id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
    return { outs: { ...news, previousRole: olds.role } };
  },
  async delete(id: string, props: Props): Promise<void> {
    if (props.email === "undeletable@example.com") {
      throw new Error(`cannot delete invite ${id}: owner`);
    }
    console.warn(`deleted invite ${id}`);
  },
};

describe("provider-host harness (real @pulumi/pulumi dynamic-provider host over gRPC)", function () {
  this.timeout(60_000);

  let host: ProviderHost;
  let providerText: string;
  const urn = urnFor("Invite", "alice");

  before(async () => {
    providerText = await serializeProvider(testProvider);
    host = await ProviderHost.start({ cwd: FIXTURE_DIR });
    await host.configure({ "mode:apiToken": "tok-123" });
  });

  after(async () => {
    if (host) {
      await host.stop();
    }
  });

  it("serializes the provider as a module exporting handler()", () => {
    assert.match(providerText, /exports\.handler = /);
    assert.match(host.stdout, /^\d+\n/);
  });

  it("check returns the provider's normalized inputs plus __provider", async () => {
    const res = await host.check(
      urn,
      {},
      { __provider: providerText, email: "Alice@Example.COM", role: "viewer" },
    );
    assert.deepStrictEqual(res, {
      inputs: { __provider: providerText, email: "alice@example.com", role: "viewer" },
      failures: [],
    });
  });

  it("check returns failures", async () => {
    const res = await host.check(urn, {}, { __provider: providerText, email: "nope", role: "viewer" });
    assert.deepStrictEqual(res.failures, [{ property: "email", reason: "invalid email: nope" }]);
    assert.strictEqual(res.inputs.email, "nope");
  });

  it("diff reports replaces, plain changes and no changes", async () => {
    const olds = { __provider: providerText, email: "alice@example.com", role: "viewer" };
    assert.deepStrictEqual(await host.diff(urn, "abc", olds, { ...olds, email: "bob@example.com" }), {
      changes: "some",
      replaces: ["email"],
      deleteBeforeReplace: true,
    });
    assert.deepStrictEqual(await host.diff(urn, "abc", olds, { ...olds, role: "admin" }), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepStrictEqual(await host.diff(urn, "abc", olds, { ...olds }), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("diff with an unknown __provider in news falls back to the olds' provider", async () => {
    const olds = { __provider: providerText, email: "alice@example.com", role: "viewer" };
    const res = await host.diff(urn, "abc", olds, { __provider: UNKNOWN, email: UNKNOWN, role: "viewer" });
    assert.deepStrictEqual(res, { changes: "some", replaces: ["email"], deleteBeforeReplace: true });
  });

  it("create returns id and properties; configure values reach the provider; stderr is captured", async () => {
    const res = await host.create(urn, {
      __provider: providerText,
      email: "alice@example.com",
      role: "viewer",
    });
    assert.deepStrictEqual(res, {
      id: "abc",
      properties: {
        __provider: providerText,
        email: "alice@example.com",
        role: "viewer",
        token: "tok-123",
        inviteUrl: "https://mode.test/i/abc",
      },
    });
    const stderr = await host.waitForStderr("creating invite for alice@example.com");
    assert.match(stderr, /creating invite for alice@example\.com/);
  });

  it("read returns refreshed properties and inputs (both carrying __provider)", async () => {
    const res = await host.read(urn, "abc", {
      __provider: providerText,
      email: "alice@example.com",
      role: "viewer",
    });
    assert.deepStrictEqual(res, {
      id: "abc",
      properties: { __provider: providerText, email: "alice@example.com", role: "admin" },
      inputs: { __provider: providerText, email: "alice@example.com", role: "admin" },
    });
  });

  it("update returns the new outputs", async () => {
    const olds = { __provider: providerText, email: "alice@example.com", role: "viewer", token: "tok-123" };
    const news = { __provider: providerText, email: "alice@example.com", role: "admin" };
    const res = await host.update(urn, "abc", olds, news);
    assert.deepStrictEqual(res, {
      properties: {
        __provider: providerText,
        email: "alice@example.com",
        role: "admin",
        previousRole: "viewer",
      },
    });
  });

  it("delete succeeds and the provider's warning lands in stderr", async () => {
    await host.delete(urn, "abc", { __provider: providerText, email: "alice@example.com" });
    await host.waitForStderr("deleted invite abc");
  });

  it("an error thrown in create surfaces with its message", async () => {
    await assert.rejects(
      host.create(urnFor("Invite", "fail"), { __provider: providerText, email: "fail@example.com" }),
      (err: unknown) => {
        assert.ok(err instanceof ProviderHostError);
        assert.match(err.message, /Mode API rejected invite for fail@example\.com \(HTTP 422\)/);
        assert.strictEqual(err.details, "Mode API rejected invite for fail@example.com (HTTP 422)");
        assert.strictEqual(err.method, "Create");
        return true;
      },
    );
  });

  it("an error thrown in delete surfaces with its message", async () => {
    await assert.rejects(
      host.delete(urn, "xyz", { __provider: providerText, email: "undeletable@example.com" }),
      /cannot delete invite xyz: owner/,
    );
  });

  it("stop() terminates the host process", async () => {
    const other = await ProviderHost.start({ cwd: FIXTURE_DIR });
    await other.stop();
    await assert.rejects(other.check(urn, {}, { __provider: providerText }), /not connected/);
    await other.stop(); // idempotent
  });
});
