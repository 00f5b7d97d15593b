/**
 * Brings a state file written before the access model (groups, collections, permissions, data
 * sources) up to date: missing arrays become empty, missing fields take the values the API reports
 * for objects made before they existed (active, custom, unmanaged, `view`). The file format version
 * stays 1: every addition is optional in old files.
 */
import { StateData } from "./types";

/** Fills what a state file of an earlier emulator lacks; returns the same object. */
export function upgradeState(data: StateData): StateData {
  // Typed as the current shape; in an old file any of these may be absent, hence `??=`.
  data.groupMemberships ??= [];
  data.dataSources ??= [];
  data.permissions ??= [];
  data.quirks ??= { dataSourcePermissionGet500: [] };
  const createdAt = new Date(0).toISOString();
  for (const g of data.userGroups) {
    g.description ??= "";
    g.groupType ??= "custom";
    g.state ??= "active";
    g.managed ??= false;
    g.creatorId ??= null;
    g.createdAt ??= createdAt;
  }
  for (const s of data.spaces) {
    s.description ??= "";
    s.spaceType ??= "custom";
    s.state ??= "active";
    s.defaultAccessLevel ??= "view";
    s.creatorId ??= null;
    s.createdAt ??= createdAt;
  }
  const m = data.seed.mode;
  m.groups ??= data.userGroups.map((g) => ({ token: g.token, name: g.name, members: [] }));
  m.collections ??= data.spaces.map((s) => ({
    token: s.token,
    name: s.name,
    defaultAccessLevel: s.defaultAccessLevel,
  }));
  m.personalCollections ??= [];
  m.dataSources ??= [];
  return data;
}
