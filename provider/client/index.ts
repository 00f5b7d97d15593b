/**
 * Typed HTTP clients of the Mode API (workspace invites, workspace and space memberships, groups,
 * collections and their permissions, data sources) and the
 * organization-invites API, with one shared transport (limits, retries, validation, errors).
 */
export * from "./errors";
export * from "./schemas";
export * from "./http";
export * from "./pages";
export * from "./url";
export * from "./response";
export * from "./limiter";
export * from "./args";
export * from "./mode";
export * from "./org";
