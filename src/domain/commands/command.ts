import type { BumpKind } from "./arguments.js";

/** A slash command as the parser returns it: one variant per command, tagged by `name`. */
export type ReleaseTarget =
  { kind: "exact"; version: string } | { kind: "bump"; bump: BumpKind } | { kind: "auto" };

export type Command =
  | { name: "release"; target: ReleaseTarget; pre?: string; from?: string }
  | { name: "deploy"; env: string; version?: string }
  | { name: "rollback"; env: string; version?: string; revision?: number }
  | { name: "canary"; env: string; version: string; replicas?: number; weight?: number; analysis?: false }
  | { name: "promote"; env: string }
  | { name: "abort"; env: string }
  | { name: "scale"; env: string; service: string; replicas: number }
  | { name: "lock"; env: string; reason: string }
  | { name: "unlock"; env: string }
  | { name: "status"; env?: string }
  | { name: "checklist" }
  | { name: "ship" }
  | { name: "revert"; version: string }
  | { name: "help"; topic?: CommandName };

export type CommandName = Command["name"];

/** Commands that act on an environment, whose permission may be set per environment. */
export const environmentOf = (command: Command): string | undefined =>
  "env" in command ? command.env : undefined;
