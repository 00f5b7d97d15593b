/**
 * The data sources (database connections) of a Mode workspace (`/{workspace}/data_sources`): this
 * run's listing and finding one by token. Read-only: the API does not create or delete
 * them. Object ids within the collection are data-source tokens.
 */
import type { DataSource } from "../client";
import { providerContext } from "../context";
import type { Listing } from "./listing";

/** This run's listing of the workspace's data sources. */
export function dataSources(workspace: string): Listing<DataSource> {
  const context = providerContext();
  return context.listing(`data-sources/${workspace}`, () => context.modeApi().listDataSources(workspace));
}

/** The data source `token`, from this run's listing; undefined when there is none. */
export function findDataSource(workspace: string, token: string): Promise<DataSource | undefined> {
  return dataSources(workspace).find((dataSource) => dataSource.token === token);
}

/**
 * How a reason line or an error names a data source: `data source "Warehouse" of acme`, or
 * `data source <token> of acme` when this run's listing does not have it.
 */
export async function describeDataSource(workspace: string, token: string): Promise<string> {
  const found = await findDataSource(workspace, token);
  return found ? `data source "${found.name}" of ${workspace}` : `data source ${token} of ${workspace}`;
}
