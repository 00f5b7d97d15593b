/** OrgInviteAcceptance: diff (drift, unknowns) against fake clients. */
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider";
import { setProviderContext } from "../../provider/context";
import { acceptance, Fakes, orgInvite } from "../support/fakes";

describe("OrgInviteAcceptance", () => {
  let fakes: Fakes;
  beforeEach(() => {
    fakes = new Fakes();
    setProviderContext(fakes.context());
  });
  after(() => setProviderContext(undefined));

  const accepted = {
    organizationId: "org1",
    inviteId: "i1",
    code: "c0de",
    acceptedAt: "2026-11-01T00:00:00Z",
  };

  it("OrgInviteAcceptance: accepted → no change; invite gone → replace on acceptedAt; unknown code → replace", async () => {
    fakes.invites = [orgInvite("i1", "ada@example.com", { accepted: true })];
    assert.equal((await acceptance.diff("i1", accepted, accepted)).changes, false);
    setProviderContext(fakes.context());
    fakes.invites = [];
    assert.deepEqual((await acceptance.diff("i1", accepted, accepted)).replaces, ["acceptedAt"]);
    fakes.calls = [];
    const unknown = await acceptance.diff("i1", accepted, { ...accepted, inviteId: UNKNOWN, code: UNKNOWN });
    assert.deepEqual(unknown.replaces, ["inviteId", "code"]);
    assert.deepEqual(fakes.calls, []);
  });
});
