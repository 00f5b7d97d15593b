/** The loader the serialized provider text calls: one provider per kind, one configuration per process. */
import { strict as assert } from "node:assert";
import type * as pulumi from "@pulumi/pulumi";
import { resourceProvider } from "../../provider";
import { providerContext } from "../../provider/context";

/** A configure request whose config holds `values` (what the dynamic-provider host passes). */
function request(values: Record<string, string>): pulumi.dynamic.ConfigureRequest {
  return { config: { get: (key: string) => values[key] } } as unknown as pulumi.dynamic.ConfigureRequest;
}

describe("provider loader", () => {
  const config = {
    "mode:apiUrl": "http://127.0.0.1:9/",
    "mode:apiToken": "loader-token",
    "mode:apiSecret": "loader-secret",
  };

  it("returns one provider object per kind and refuses an unknown kind with what to do", () => {
    assert.equal(resourceProvider("SpaceMembership"), resourceProvider("SpaceMembership"));
    assert.throws(() => resourceProvider("Nope"), /no resource kind "Nope"; upgrade the pulumi-mode package/);
  });

  it("configuring again with the same settings (another kind's or an older provider text) keeps the clients", async () => {
    await resourceProvider("SpaceMembership").configure(request(config));
    const client = providerContext().modeApi();
    await resourceProvider("OrgInvite").configure(request(config));
    await resourceProvider("SpaceMembership").configure(request({ ...config }));
    assert.equal(providerContext().modeApi(), client, "the same client, with what its limiter learned");
    await resourceProvider("OrgInvite").configure(request({ ...config, "mode:apiToken": "another-token" }));
    assert.notEqual(providerContext().modeApi(), client, "other settings: new clients");
  });
});
