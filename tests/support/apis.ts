/**
 * Fakes of the APIs the provider reaches, built on the provider's own narrow interfaces
 * (`ModeApi`, `OrgApi` in provider/apis.ts): a test gives the methods it serves, every other method
 * fails saying it is not faked, and the provider context takes them as it takes the real clients.
 */
import { MODE_API_METHODS, ORG_API_METHODS, type ModeApi, type OrgApi } from "../../provider/apis";
import { ProviderContext, type Warn } from "../../provider/context";

function notFaked<T>(api: string, methods: readonly string[]): T {
  const entries = methods.map((name) => [
    name,
    () => {
      throw new Error(`${api}.${name} is not faked in this test`);
    },
  ]);
  return Object.fromEntries(entries) as T;
}

/** A Mode API serving `methods`; any other method throws. */
export function fakeModeApi(methods: Partial<ModeApi>): ModeApi {
  return { ...notFaked<ModeApi>("ModeApi", MODE_API_METHODS), ...methods };
}

/** An organization-invites API serving `methods`; any other method throws. */
export function fakeOrgApi(methods: Partial<OrgApi>): OrgApi {
  return { ...notFaked<OrgApi>("OrgApi", ORG_API_METHODS), ...methods };
}

/** A provider context on fakes: warnings go to `warn`. */
export function fakeContext(
  apis: { mode?: Partial<ModeApi>; org?: Partial<OrgApi> },
  warn: Warn,
): ProviderContext {
  const mode = fakeModeApi(apis.mode ?? {});
  const org = fakeOrgApi(apis.org ?? {});
  return new ProviderContext({ warn, modeApi: () => mode, orgApi: () => org });
}
