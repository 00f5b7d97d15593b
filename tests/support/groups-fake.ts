/**
 * An in-memory Mode API for the Group, GroupMembership and GroupMembers unit tests: a workspace's
 * members, its groups and their memberships held in arrays, with Mode's answers as
 * API-CONTRACT.md describes them (a duplicate name or member 400, a gone group 404, soft delete, the
 * rename-before-delete quirk, managed groups refusing changes with a 400), and every request counted,
 * e.g. `listGroups`, `createGroup Analysts`, `listGroupMemberships g1`, `deleteGroupMembership g1/gm-3`.
 */
import {
  ApiError,
  type UserGroup,
  type UserGroupMembership,
  type WorkspaceMembership,
} from "../../provider/client";
import type { ProviderContext } from "../../provider/context";
import { fakeContext } from "./apis";
import { membership } from "./fakes";

/** A group as the fake holds it. */
export interface FakeGroup {
  token: string;
  name: string;
  state: "active" | "soft_deleted";
  managed: boolean;
  /** The user tokens of its members, with each membership's token. */
  members: { token: string; memberToken: string }[];
}

function apiError(status: number, method: string, path: string, message: string): ApiError {
  const kind = status === 404 ? "not_found" : status === 400 ? "validation" : "server";
  return new ApiError({ api: "mode", kind, status, method, path, serverMessage: message });
}

/** The wire shape of a group. */
export function userGroup(g: FakeGroup): UserGroup {
  const self = { href: `/api/acme/groups/${g.token}` };
  return {
    token: g.token,
    group_type: "custom",
    name: g.name,
    description: "",
    state: g.state,
    member_count: g.members.length,
    spaces_count: 0,
    data_sources_count: 0,
    managed: g.managed,
    _links: {
      self,
      web: self,
      group_memberships: { href: `${self.href}/memberships` },
      membership_by_id: { href: `${self.href}/memberships/{id}` },
      memberships_preview: { href: `${self.href}/memberships` },
    },
  };
}

/** The wire shape of a group membership. */
export function groupMembership(
  group: string,
  m: { token: string; memberToken: string },
): UserGroupMembership {
  return {
    token: m.token,
    member_token: m.memberToken,
    _links: {
      self: { href: `/api/acme/groups/${group}/memberships/${m.token}` },
      member: { href: `/api/acme/memberships/${m.memberToken}` },
      user_group: { href: `/api/acme/groups/${group}` },
    },
  };
}

export class GroupsFake {
  /** Every request, in order. */
  calls: string[] = [];
  warnings: string[] = [];
  /** The workspace's memberships (tokens are `tok-<username>`, see {@link membership}). */
  workspace: WorkspaceMembership[] = [];
  groups: FakeGroup[] = [];
  private next = 1;

  /** Adds an active group holding `usernames` (workspace members' tokens `tok-<username>`). */
  group(token: string, name: string, usernames: string[] = [], managed = false): FakeGroup {
    const g: FakeGroup = {
      token,
      name,
      state: "active",
      managed,
      members: usernames.map((u) => ({ token: `gm-${token}-${u}`, memberToken: `tok-${u}` })),
    };
    this.groups.push(g);
    return g;
  }

  /** Adds active workspace members. */
  members(...usernames: string[]): void {
    this.workspace.push(...usernames.map((u) => membership(u)));
  }

  /** The usernames in group `token`, sorted. */
  usernamesIn(token: string): string[] {
    const g = this.groups.find((x) => x.token === token);
    return (g?.members ?? []).map((m) => m.memberToken.replace(/^tok-/, "")).sort();
  }

  /** Requests whose text starts with `prefix`. */
  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  /** The requests that are not reads. */
  writes(): string[] {
    return this.calls.filter((c) => !/^(list|get)/.test(c));
  }

  context(): ProviderContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    const active = (token: string, method: string): FakeGroup => {
      const g = fake.groups.find((x) => x.token === token && x.state === "active");
      if (!g) throw apiError(404, method, `/acme/groups/${token}`, "Group not found");
      return g;
    };
    const taken = (name: string, except?: string): boolean =>
      fake.groups.some(
        (g) => g.state === "active" && g.token !== except && g.name.toLowerCase() === name.toLowerCase(),
      );
    const mode = {
      async *listMemberships() {
        fake.calls.push("listMemberships");
        yield* [...fake.workspace];
      },
      async *listGroups() {
        fake.calls.push("listGroups");
        yield* fake.groups.filter((g) => g.state === "active").map(userGroup);
      },
      async getGroup(_w: string, token: string) {
        fake.calls.push(`getGroup ${token}`);
        const g = fake.groups.find((x) => x.token === token);
        if (!g) throw apiError(404, "GET", `/acme/groups/${token}`, "Group not found");
        return userGroup(g);
      },
      async createGroup(_w: string, input: { name: string }) {
        fake.calls.push(`createGroup ${input.name}`);
        if (taken(input.name)) throw apiError(400, "POST", "/acme/groups", "Name has already been taken");
        return userGroup(fake.group(`g${fake.next++}`, input.name));
      },
      async updateGroup(_w: string, token: string, input: { name: string }) {
        fake.calls.push(`updateGroup ${token} ${input.name}`);
        const g = active(token, "PATCH");
        if (g.managed) throw apiError(400, "PATCH", `/acme/groups/${token}`, "Group is managed (SCIM)");
        if (taken(input.name, token))
          throw apiError(400, "PATCH", `/acme/groups/${token}`, "Name has already been taken");
        g.name = input.name;
        return userGroup(g);
      },
      async deleteGroup(_w: string, token: string) {
        fake.calls.push(`deleteGroup ${token}`);
        const g = fake.groups.find((x) => x.token === token);
        if (!g) throw apiError(404, "DELETE", `/acme/groups/${token}`, "Group not found");
        if (g.managed) throw apiError(400, "DELETE", `/acme/groups/${token}`, "Group is managed (SCIM)");
        const quirk = fake.groups.some(
          (x) => x !== g && x.state === "soft_deleted" && x.name.toLowerCase() === g.name.toLowerCase(),
        );
        if (!quirk) g.state = "soft_deleted";
        return userGroup(g);
      },
      async *listGroupMemberships(_w: string, token: string) {
        fake.calls.push(`listGroupMemberships ${token}`);
        const g = active(token, "GET");
        yield* g.members.map((m) => groupMembership(token, m));
      },
      async createGroupMembership(_w: string, token: string, input: { memberToken: string }) {
        fake.calls.push(`createGroupMembership ${token}/${input.memberToken}`);
        const g = active(token, "POST");
        const path = `/acme/groups/${token}/memberships`;
        if (!fake.workspace.some((m) => m.member_token === input.memberToken))
          throw apiError(404, "POST", path, "Member not found");
        if (g.managed)
          throw apiError(400, "POST", path, `Group ${g.name} is managed by your identity provider`);
        if (g.members.some((m) => m.memberToken === input.memberToken))
          throw apiError(400, "POST", path, "Member has already been added");
        const m = { token: `gm-${fake.next++}`, memberToken: input.memberToken };
        g.members.push(m);
        return groupMembership(token, m);
      },
      async deleteGroupMembership(_w: string, token: string, membershipToken: string) {
        fake.calls.push(`deleteGroupMembership ${token}/${membershipToken}`);
        const g = active(token, "DELETE");
        const path = `/acme/groups/${token}/memberships/${membershipToken}`;
        const m = g.members.find((x) => x.token === membershipToken);
        if (!m) throw apiError(404, "DELETE", path, "Membership not found");
        if (g.managed)
          throw apiError(400, "DELETE", path, `Group ${g.name} is managed by your identity provider`);
        g.members = g.members.filter((x) => x !== m);
        return groupMembership(token, m);
      },
    };
    return fakeContext({ mode }, (message) => fake.warnings.push(message));
  }
}
