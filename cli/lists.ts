/**
 * The lists a snapshot reads, on the Mode client: one client method per list, each yielding a
 * whole, verified listing.
 */
import type { ModeClient } from "../provider/client";
import type { WorkspaceLists } from "./gather";

/** The workspace's lists through `client`. */
export function clientLists(client: ModeClient): WorkspaceLists {
  const pending = (what: string) =>
    // eslint-disable-next-line require-yield
    async function* (): AsyncGenerator<never> {
      throw new Error(`listing ${what} is not available in this build`);
    };
  return {
    memberships: (workspace) => client.listMemberships(workspace),
    groups: pending("groups"),
    groupMemberships: pending("group memberships"),
    collections: pending("collections"),
    collectionPermissions: pending("collection permissions"),
    dataSources: pending("data sources"),
    dataSourcePermissions: pending("data-source permissions"),
  };
}
