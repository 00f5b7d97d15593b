/**
 * What every pulumi-mode resource stores as its provider (sdk/shim.ts): a one-line module that loads
 * the installed provider by package name, and the base class that registers it.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { resourceProvider, type ResourceKind } from "../../provider";
import { providerText } from "../../sdk/shim";
import { OrgInvite, SpaceMembership } from "../../sdk";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const requireFromString = require("require-from-string") as (code: string) => { handler(): unknown };

const KINDS: ResourceKind[] = [
  "WorkspaceInvite",
  "WorkspaceMembership",
  "SpaceMembership",
  "OrgInvite",
  "OrgInviteAcceptance",
  "SpaceMembers",
  "WorkspaceMembers",
];

describe("provider text", () => {
  it("captures only the package's provider entry and the kind, in under 100 characters", () => {
    for (const kind of KINDS) {
      const text = providerText(kind);
      assert.equal(text, `exports.handler=()=>require('pulumi-mode/provider').resourceProvider('${kind}')`);
      assert.ok(text.length < 100, `${kind}: ${text.length} characters`);
    }
  });

  it("evaluates as the dynamic-provider host does to the installed provider of its kind", () => {
    // The host: requireFromString(text).handler(); `pulumi-mode` resolves to this checkout.
    for (const kind of KINDS) {
      assert.equal(requireFromString(providerText(kind)).handler(), resourceProvider(kind), kind);
    }
  });

  it("refuses what is not a kind", () => {
    assert.throws(() => providerText("Space'Membership" as ResourceKind), /not a resource kind/);
  });
});

describe("ModeResource", () => {
  const registered: pulumi.runtime.MockResourceArgs[] = [];

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "shim-test",
      "test",
      false,
    );
  });

  it("registers a dynamic resource of type pulumi-nodejs:dynamic/mode:<Kind> with its provider text", async () => {
    const limit = Error.stackTraceLimit;
    const m = new SpaceMembership("m", {
      account: "acme",
      space: "s1",
      memberType: "User",
      memberToken: "u1",
    });
    const i = new OrgInvite("i", { organizationId: "o1", recipientEmail: "a@example.com" });
    assert.equal(Error.stackTraceLimit, limit, "the stack trace limit is restored after the constructor");
    await new Promise<void>((resolve) => pulumi.all([m.urn, i.urn]).apply(() => resolve()));
    const byName = new Map(registered.map((r) => [r.name, r]));
    assert.equal(byName.get("m")?.type, "pulumi-nodejs:dynamic/mode:SpaceMembership");
    assert.equal(byName.get("m")?.inputs.__provider, providerText("SpaceMembership"));
    assert.equal(byName.get("m")?.inputs.memberToken, "u1");
    assert.equal(byName.get("i")?.type, "pulumi-nodejs:dynamic/mode:OrgInvite");
    assert.equal(byName.get("i")?.inputs.__provider, providerText("OrgInvite"));
  });

  it("restores the stack trace limit when the SDK's constructor throws", () => {
    const limit = Error.stackTraceLimit;
    // The SDK refuses a resource whose parent is not a resource, inside the constructor.
    assert.throws(
      () =>
        new SpaceMembership(
          "bad",
          { account: "acme", space: "s2", memberType: "User", memberToken: "u2" },
          { parent: {} as pulumi.Resource },
        ),
    );
    assert.equal(Error.stackTraceLimit, limit);
  });
});
