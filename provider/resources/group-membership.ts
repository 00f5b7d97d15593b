/**
 * GroupMembership: one workspace member in a Mode user group
 * (`/{workspace}/groups/{group}/memberships`). The username is resolved through this run's listing
 * of the workspace's memberships (no request per resource); a membership already there is adopted.
 * Drift: the membership was removed outside Pulumi, or the person left the workspace (Mode removes
 * their group memberships with them) → replace. Members of a group the identity provider manages
 * change only there: the group memberships' layer refuses before sending anything.
 */
import type { FromSchema } from "json-schema-to-ts";
import type { UserGroupMembership } from "../client";
import { describeAccessor } from "../collections/accessors";
import {
  addGroupMember,
  findGroupMember,
  removeGroupMember,
  type GroupRef,
} from "../collections/group-memberships";
import { findCurrentGroup, findGroup } from "../collections/groups";
import { findCurrentMember, findMember } from "../collections/workspace-memberships";
import { ObjectSchema } from "../inputs";
import { implement, type Created, type Drift } from "../resource";
import { RULES, stringSchema } from "../rules";

// ---- types ---------------------------------------------------------------------------------------

const inputProperties = {
  workspace: {
    ...stringSchema(RULES.accountName),
    description: "The workspace's username, e.g. `acme-analytics`.",
  },
  group: {
    ...stringSchema(RULES.token),
    description: "The group's token, e.g. `group.token` of a mode.Group, or a token from getGroups.",
  },
  username: {
    ...stringSchema(RULES.accountName),
    description:
      "The member's username (compared case-insensitively, as Mode's usernames are). They must be a " +
      "member of the workspace (an invitee counts): invite new people with mode.WorkspaceInvite.",
  },
} as const;

/** The inputs of a GroupMembership, declared once. */
export const groupMembershipInputSchema = {
  type: "object",
  required: ["workspace", "group", "username"],
  properties: inputProperties,
  additionalProperties: false,
} as const;

/** GroupMembership inputs. */
export type GroupMembershipInputs = FromSchema<typeof groupMembershipInputSchema>;

/** The state of a GroupMembership: the inputs plus the tokens Mode assigned. */
export const groupMembershipStateSchema = {
  type: "object",
  required: ["workspace", "group", "username", "memberToken", "membershipToken"],
  properties: {
    ...inputProperties,
    memberToken: {
      type: "string",
      minLength: 1,
      description: "The member's user token (their workspace membership's token).",
    },
    membershipToken: { type: "string", minLength: 1, description: "The group membership's own token." },
    adopted: {
      type: "boolean",
      description: "True when the person already was in the group and that membership was adopted.",
    },
  },
  additionalProperties: false,
} as const;

/** GroupMembership outputs. */
export type GroupMembershipOutputs = FromSchema<typeof groupMembershipStateSchema>;

const inputs = new ObjectSchema<GroupMembershipInputs>(
  groupMembershipInputSchema,
  "inputs of mode:GroupMembership",
  { trimmed: ["workspace", "group", "username"] },
);
const state = new ObjectSchema<GroupMembershipOutputs>(
  groupMembershipStateSchema,
  "stored outputs of mode:GroupMembership",
);

// ---- diff ----------------------------------------------------------------------------------------

/**
 * Drift, from this run's listings of the workspace and of the group: the person is no longer a
 * member of the workspace, or no longer in the group (removed outside Pulumi, or the group was
 * deleted). Each is a replace with one line saying which; the groups' listing is read only then, to
 * name the group.
 */
async function drift(olds: GroupMembershipOutputs): Promise<Drift<GroupMembershipOutputs> | undefined> {
  const member = await findMember(olds.workspace, olds.username);
  if (!member) {
    return {
      property: "memberToken",
      reason:
        `${await describe(olds)}: ${olds.username} left the workspace (Mode removed their group memberships ` +
        "with them) — up fails until they are a member again: invite them with mode.WorkspaceInvite, or " +
        "remove this resource",
    };
  }
  if (await findGroupMember(olds, member.member_token)) return undefined;
  if (!(await findGroup(olds.workspace, olds.group))) {
    return {
      property: "membershipToken",
      reason:
        `${await describe(olds)}: the group was deleted outside Pulumi — up fails until the group exists: ` +
        "declare it with mode.Group (and pass group.token), or remove this resource",
    };
  }
  return {
    property: "membershipToken",
    reason: `${await describe(olds)}: removed from the group outside Pulumi — up adds them again`,
  };
}

// ---- create --------------------------------------------------------------------------------------

/**
 * Adds the member to the group, or adopts the membership already there. A username that is not a
 * member of the workspace, or a group that is not an active group, fails before anything is sent.
 * (Not in `check`: the engine checks a replacement like a new resource, and a person who left the
 * workspace would then fail every preview of the stack instead of this one resource's `up`.)
 */
async function create(args: GroupMembershipInputs): Promise<Created<GroupMembershipOutputs>> {
  const member = await findCurrentMember(args.workspace, args.username);
  if (!member) throw notMemberError(args);
  if (!(await findCurrentGroup(args.workspace, args.group))) throw noGroupError(args);
  const { object, adopted } = await addGroupMember(args, member.member_token);
  return { id: object.token, outs: outputsOf(args, object, adopted) };
}

// ---- read ----------------------------------------------------------------------------------------

/** The live membership; gone when the person left the workspace or is no longer in the group. */
async function read(
  _id: string,
  olds: GroupMembershipOutputs,
): Promise<Created<GroupMembershipOutputs> | undefined> {
  const member = await findMember(olds.workspace, olds.username);
  const live = member ? await findGroupMember(olds, member.member_token) : undefined;
  return live ? { id: live.token, outs: outputsOf(olds, live, olds.adopted) } : undefined;
}

// ---- update --------------------------------------------------------------------------------------

/** Every input identifies the membership, so diff never asks for an in-place update. */
async function update(_id: string, olds: GroupMembershipOutputs): Promise<GroupMembershipOutputs> {
  return olds;
}

// ---- delete --------------------------------------------------------------------------------------

/**
 * Removes the person from the group (found by their user token in this run's listing of the group,
 * so a membership re-added outside Pulumi is removed too); not listed (or the group gone) is success.
 * A membership a create of this run placed (a replacement's) stays.
 */
async function del(_id: string, olds: GroupMembershipOutputs): Promise<void> {
  const live = await findGroupMember(olds, olds.memberToken);
  if (live) await removeGroupMember(olds, live.token);
}

// ---- helpers -------------------------------------------------------------------------------------

function notMemberError(args: GroupMembershipInputs): Error {
  return new Error(
    `Cannot add ${args.username} to a group of ${args.workspace}: ${args.workspace} has no member ` +
      `${args.username}, and Mode adds only workspace members to groups. Invite them first with ` +
      "mode.WorkspaceInvite and pass its memberUsername (the invitee counts from the moment the invite is sent).",
  );
}

function noGroupError(args: GroupMembershipInputs): Error {
  return new Error(
    `Cannot add ${args.username} to group ${args.group} in ${args.workspace}: the workspace has no active ` +
      "group with that token. Pass the token of an existing group (e.g. group.token of a mode.Group, or " +
      "one listed by getGroups).",
  );
}

function outputsOf(
  args: GroupMembershipInputs,
  live: UserGroupMembership,
  adopted: boolean | undefined,
): GroupMembershipOutputs {
  return {
    workspace: args.workspace,
    group: args.group,
    username: args.username,
    memberToken: live.member_token,
    membershipToken: live.token,
    adopted: adopted ?? false,
  };
}

/** The membership by what the API knows: `ana in group "Analysts" of acme` (the group's token when gone). */
async function describe(at: GroupRef & { username: string }): Promise<string> {
  const group = await describeAccessor(at.workspace, { type: "UserGroup", token: at.group });
  return `${at.username} in ${group} of ${at.workspace}`;
}

/** The GroupMembership implementation. */
export const groupMembership = implement<GroupMembershipInputs, GroupMembershipOutputs>({
  kind: "GroupMembership",
  inputs,
  state,
  identity: { workspace: "exact", group: "exact", username: "caseInsensitive" },
  // A replacement's old membership is gone (drift) or in another group: nothing to free first.
  deleteBeforeReplace: () => false,
  drift,
  create,
  read,
  update,
  delete: del,
});
