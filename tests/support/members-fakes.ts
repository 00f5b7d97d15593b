/**
 * An in-memory Mode API for the SpaceMembers and WorkspaceMembers unit tests: spaces and a
 * workspace held in arrays, Mode's answers (400 duplicate, 404 gone, 400 for the API user's own
 * membership), every request counted, and the most writes seen in flight at once.
 */
import { ApiError, type SpaceMembership, type WorkspaceMembership } from "../../provider/client";
import type { ProviderContext } from "../../provider/context";
import { fakeContext } from "./apis";

export function spaceMember(memberType: string, memberToken: string, email?: string): SpaceMembership {
  return {
    token: `sm-${memberType}-${memberToken}`,
    member_type: memberType,
    member_token: memberToken,
    member_id: memberToken,
    ...(email === undefined ? {} : { email }),
    _links: { self: { href: `/x/${memberToken}` }, member: { href: `/api/${memberToken}` } },
  };
}

/** A workspace membership as Mode lists it (the same fake as the other resource tests use). */
export { membership as workspaceMember } from "./fakes";

function apiError(status: number, kind: "validation" | "not_found" | "server", method: string): ApiError {
  return new ApiError({ api: "mode", kind, status, method, path: "/x", serverMessage: `status ${status}` });
}

export class ModeFake {
  /** Every request, e.g. `list s1`, `create User/u3`, `delete sm-User-u9`. */
  calls: string[] = [];
  space: SpaceMembership[] = [];
  workspace: WorkspaceMembership[] = [];
  warnings: string[] = [];
  /** The username whose removal Mode refuses with a 400 (the credentials' own). */
  self = "";
  /** Member tokens whose create or delete fails with a 500. */
  failing = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;

  private async write<T>(call: string, run: () => T): Promise<T> {
    this.calls.push(call);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return run();
    } finally {
      this.inFlight--;
    }
  }

  /** Requests whose name starts with `prefix`. */
  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  context(): ProviderContext {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    const mode = {
      async *listSpaceMemberships(_account: string, space: string) {
        fake.calls.push(`list ${space}`);
        yield* [...fake.space];
      },
      createSpaceMembership(_a: string, _s: string, m: { memberType: string; memberToken: string }) {
        return fake.write(`create ${m.memberType}/${m.memberToken}`, () => {
          if (fake.failing.has(m.memberToken)) throw apiError(500, "server", "POST");
          if (fake.space.some((x) => x.member_type === m.memberType && x.member_token === m.memberToken))
            throw apiError(400, "validation", "POST");
          const created = spaceMember(m.memberType, m.memberToken);
          fake.space.push(created);
          return created;
        });
      },
      deleteSpaceMembership(_a: string, _s: string, token: string) {
        return fake.write(`delete ${token}`, () => {
          const found = fake.space.find((x) => x.token === token);
          if (!found) throw apiError(404, "not_found", "DELETE");
          if (fake.failing.has(found.member_token)) throw apiError(500, "server", "DELETE");
          fake.space = fake.space.filter((x) => x !== found);
          return found;
        });
      },
      async *listMemberships(workspace: string) {
        fake.calls.push(`list ${workspace}`);
        yield* [...fake.workspace];
      },
      deleteMembership(_w: string, token: string) {
        return fake.write(`delete ${token}`, () => {
          const found = fake.workspace.find((x) => x.member_token === token);
          if (!found) throw apiError(404, "not_found", "DELETE");
          if (found.member_username === fake.self) throw apiError(400, "validation", "DELETE");
          fake.workspace = fake.workspace.filter((x) => x !== found);
          return found;
        });
      },
    };
    return fakeContext({ mode }, (message) => fake.warnings.push(message));
  }
}
