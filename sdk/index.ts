/** pulumi-mode: Mode workspace invites, space memberships and organization invites as Pulumi resources. */
export {};
