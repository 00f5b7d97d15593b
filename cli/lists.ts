/**
 * The lists a snapshot reads, on the Mode client: one client method per list, each yielding a
 * whole, verified listing (the client reads every page, counts it against `total_count`, and yields
 * nothing until it adds up).
 */
import type { ModeClient } from "../provider/client";
import type { WorkspaceLists } from "./gather";

/** The workspace's lists through `client`. */
export function clientLists(client: ModeClient): WorkspaceLists {
  return {
    memberships: (workspace) => client.listMemberships(workspace),
    groups: (workspace) => client.listGroups(workspace),
    groupMemberships: (workspace, group) => client.listGroupMemberships(workspace, group),
    // Without filter=all: custom collections and the credentials' own personal one (left out).
    collections: (workspace) => client.listSpaces(workspace),
    collectionPermissions: (workspace, collection) => client.listSpacePermissions(workspace, collection),
    dataSources: (workspace) => client.listDataSources(workspace),
    dataSourcePermissions: (workspace, dataSource) => client.listDataSourcePermissions(workspace, dataSource),
  };
}
