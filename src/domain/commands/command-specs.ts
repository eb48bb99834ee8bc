import type { Result } from "../result.js";
import {
  bumpKinds,
  parseCountArg,
  parseEnvironmentArg,
  parsePercentArg,
  parsePreIdArg,
  parseReasonArg,
  parseRefArg,
  parseServiceArg,
  parseVersionArg,
  quote,
} from "./arguments.js";
import type { Command, CommandName } from "./command.js";
import type { PermissionLevel } from "./permission.js";

/** What a command's words look like once split: positional words and `--flag [value]` pairs. */
export interface CommandWords {
  positional: string[];
  flags: Map<string, string | true>;
}

export interface FlagSpec {
  name: string;
  /** Placeholder of the value, or undefined for a switch. */
  value?: string;
}

export interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  flags: FlagSpec[];
  /** Fewest and most positional words accepted (most: Infinity for free text). */
  arity: [number, number];
  /** The permission needed by default; config may raise or lower it per command and environment. */
  permission: PermissionLevel;
  /** Reads only: an environment's own permission does not apply to it. */
  readOnly?: boolean;
  examples: string[];
  /** Paragraphs `/help <command>` adds after the summary. */
  details?: string[];
  build(words: CommandWords): Result<Command>;
}

const ok = (value: Command): Result<Command> => ({ ok: true, value });
const fail = (error: string): Result<Command> => ({ ok: false, error });

/** Chains validators: the first error wins. */
const all = <T extends unknown[]>(...results: { [K in keyof T]: Result<T[K]> }): Result<T> => {
  const values: unknown[] = [];
  for (const result of results) {
    if (!result.ok) return result;
    values.push(result.value);
  }
  return { ok: true, value: values as T };
};

const flagValue = (words: CommandWords, name: string): string | undefined => {
  const value = words.flags.get(name);
  return typeof value === "string" ? value : undefined;
};

const envOnly = (name: "promote" | "abort" | "unlock") => (words: CommandWords) => {
  const env = parseEnvironmentArg(words.positional[0] ?? "");
  return env.ok ? ok({ name, env: env.value }) : env;
};

/**
 * Every command's spec, keyed by its name: a command of `Command` without a spec does not compile,
 * and the config's `commands.<name>` keys are made from these names. Help lists them in this order.
 */
const specTable: { [N in CommandName]: CommandSpec & { name: N } } = {
  release: {
    name: "release",
    usage: "/release [X.Y.Z | major | minor | patch] [--pre rc] [--from <ref>]",
    summary: "Cut a release branch from develop, bump every version file, write the CHANGELOG, open the PR.",
    flags: [
      { name: "pre", value: "id" },
      { name: "from", value: "ref" },
    ],
    arity: [0, 1],
    permission: "write",
    examples: [
      "/release 1.2.0",
      "/release minor",
      "/release minor --pre rc",
      "/release",
      "/release --from 3f2c1ab",
    ],
    details: [
      "The release's commits are those on develop since the newest release tag. Where no tag marks the previous release, `--from <ref>` (a branch, tag or commit SHA of this repository) says where they start; commits are never picked by date.",
    ],
    build: (words) => {
      const [first] = words.positional;
      const preText = flagValue(words, "pre");
      const pre = preText === undefined ? undefined : parsePreIdArg(preText);
      if (pre && !pre.ok) return pre;
      const fromText = flagValue(words, "from");
      const from = fromText === undefined ? undefined : parseRefArg(fromText);
      if (from && !from.ok) return from;
      const range = from === undefined ? {} : { from: from.value };
      const preValue = pre?.value;
      if (first === undefined)
        return ok({ name: "release", target: { kind: "auto" }, pre: preValue, ...range });
      const bump = bumpKinds.find((kind) => kind === first);
      if (bump) return ok({ name: "release", target: { kind: "bump", bump }, pre: preValue, ...range });
      const version = parseVersionArg(first);
      if (!version.ok) return fail(`${version.error}, or one of \`major\`, \`minor\`, \`patch\``);
      if (preValue !== undefined)
        return fail("`--pre` goes with `major`, `minor` or `patch`, not an exact version");
      return ok({ name: "release", target: { kind: "exact", version: version.value }, ...range });
    },
  },
  deploy: {
    name: "deploy",
    usage: "/deploy <env> [version]",
    summary:
      "Deploy a version (default: the latest release) to an environment and watch the rollout; the environment's gates (released tags, approvals) apply.",
    flags: [],
    arity: [1, 2],
    permission: "write",
    examples: ["/deploy staging", "/deploy production 1.2.0"],
    build: (words) => {
      const [envText = "", versionText] = words.positional;
      const env = parseEnvironmentArg(envText);
      if (!env.ok) return env;
      if (versionText === undefined) return ok({ name: "deploy", env: env.value });
      const version = parseVersionArg(versionText);
      return version.ok ? ok({ name: "deploy", env: env.value, version: version.value }) : version;
    },
  },
  rollback: {
    name: "rollback",
    usage: "/rollback <env> [version | --revision N]",
    summary:
      "Roll an environment back to the last good revision, a version, or a revision number; never held back by approvals (emergency path).",
    flags: [{ name: "revision", value: "N" }],
    arity: [1, 2],
    permission: "write",
    examples: ["/rollback production", "/rollback production 1.1.0", "/rollback production --revision 3"],
    build: (words) => {
      const [envText = "", versionText] = words.positional;
      const revisionText = flagValue(words, "revision");
      const env = parseEnvironmentArg(envText);
      if (!env.ok) return env;
      if (versionText !== undefined && revisionText !== undefined) {
        return fail("give either a version or `--revision N`, not both");
      }
      if (revisionText !== undefined) {
        const revision = parseCountArg(revisionText, "the revision", 2 ** 31 - 1);
        if (!revision.ok) return revision;
        if (revision.value < 1) return fail("the revision must be 1 or more");
        return ok({ name: "rollback", env: env.value, revision: revision.value });
      }
      if (versionText === undefined) return ok({ name: "rollback", env: env.value });
      const version = parseVersionArg(versionText);
      return version.ok ? ok({ name: "rollback", env: env.value, version: version.value }) : version;
    },
  },
  canary: {
    name: "canary",
    usage: "/canary <env> <version> [--replicas N | --weight P%] [--no-analysis]",
    summary:
      "Start a canary: the canary Deployment gets the new image and some replicas. Where the environment sets `canary.analysis`, its metrics are then checked every interval for the duration (30 min by default), step by step, and the canary is promoted, or aborted past the failure limit, by itself; `--no-analysis` leaves it to `/promote` and `/abort`.",
    details: [
      "Analysis settings (`environments.<env>.canary.analysis`): `checks` (`success-rate`, `p99-latency`, or `{ name, query, condition }` with PromQL using `{{service}}`, `{{version}}`, `{{namespace}}`, `{{track}}`, `{{interval}}`), `interval` (1m), `duration` (30m a step), `failureLimit` (0), `inconclusive` (`pause`, `abort` or `wait`), `steps` (weights such as `[10, 25, 50]`).",
      "No data, an error or an unreachable Prometheus is inconclusive, never healthy. Progress and measured values are on the `<env>-canary` GitHub Deployment and in one updated comment; `/promote` and `/abort` decide at any time. The Prometheus server is the installation operator's (settings `prometheus`).",
    ],
    flags: [{ name: "replicas", value: "N" }, { name: "weight", value: "P%" }, { name: "no-analysis" }],
    arity: [2, 2],
    permission: "write",
    examples: [
      "/canary production 1.2.0",
      "/canary production 1.2.0 --weight 10%",
      "/canary production 1.2.0 --no-analysis",
    ],
    build: (words) => {
      const [envText = "", versionText = ""] = words.positional;
      const parsed = all(parseEnvironmentArg(envText), parseVersionArg(versionText));
      if (!parsed.ok) return parsed;
      const [env, version] = parsed.value;
      const manual = words.flags.has("no-analysis") ? { analysis: false as const } : {};
      const replicasText = flagValue(words, "replicas");
      const weightText = flagValue(words, "weight");
      if (replicasText !== undefined && weightText !== undefined) {
        return fail("give either `--replicas N` or `--weight P%`, not both");
      }
      if (replicasText !== undefined) {
        const replicas = parseCountArg(replicasText, "the replicas", 1000);
        return replicas.ok
          ? ok({ name: "canary", env, version, replicas: replicas.value, ...manual })
          : replicas;
      }
      if (weightText !== undefined) {
        const weight = parsePercentArg(weightText);
        return weight.ok ? ok({ name: "canary", env, version, weight: weight.value, ...manual }) : weight;
      }
      return ok({ name: "canary", env, version, ...manual });
    },
  },
  promote: {
    name: "promote",
    usage: "/promote <env>",
    summary: "Promote the running canary: the main Deployment gets its image, the canary goes to 0.",
    flags: [],
    arity: [1, 1],
    permission: "write",
    examples: ["/promote production"],
    build: envOnly("promote"),
  },
  abort: {
    name: "abort",
    usage: "/abort <env>",
    summary: "Abort the running canary: scale it to 0 and restore its image.",
    flags: [],
    arity: [1, 1],
    permission: "write",
    examples: ["/abort production"],
    build: envOnly("abort"),
  },
  scale: {
    name: "scale",
    usage: "/scale <env> <service> <replicas>",
    summary: "Emergency scale of one service's Deployment, recorded.",
    flags: [],
    arity: [3, 3],
    permission: "maintain",
    examples: ["/scale production bankchurn 10"],
    build: (words) => {
      const [envText = "", serviceText = "", replicasText = ""] = words.positional;
      const parsed = all(
        parseEnvironmentArg(envText),
        parseServiceArg(serviceText),
        parseCountArg(replicasText, "the replicas", 1000),
      );
      if (!parsed.ok) return parsed;
      const [env, service, replicas] = parsed.value;
      return ok({ name: "scale", env, service, replicas });
    },
  },
  lock: {
    name: "lock",
    usage: "/lock <env> [reason]",
    summary: "Lock an environment so that no one deploys to it; the reason is shown to others.",
    flags: [],
    arity: [1, Infinity],
    permission: "write",
    examples: ["/lock production investigating latency"],
    build: (words) => {
      const [envText = "", ...rest] = words.positional;
      const parsed = all(parseEnvironmentArg(envText), parseReasonArg(rest));
      if (!parsed.ok) return parsed;
      const [env, reason] = parsed.value;
      return ok({ name: "lock", env, reason });
    },
  },
  unlock: {
    name: "unlock",
    usage: "/unlock <env>",
    summary: "Release an environment's lock.",
    flags: [],
    arity: [1, 1],
    permission: "write",
    examples: ["/unlock production"],
    build: envOnly("unlock"),
  },
  status: {
    name: "status",
    usage: "/status [env]",
    summary: "What version runs where, per service; locks; what is in flight.",
    flags: [],
    arity: [0, 1],
    permission: "read",
    readOnly: true,
    examples: ["/status", "/status production"],
    build: (words) => {
      const [envText] = words.positional;
      if (envText === undefined) return ok({ name: "status" });
      const env = parseEnvironmentArg(envText);
      return env.ok ? ok({ name: "status", env: env.value }) : env;
    },
  },
  checklist: {
    name: "checklist",
    usage: "/checklist",
    summary: "Re-run the pre-release checklist on this release or hotfix PR.",
    flags: [],
    arity: [0, 0],
    permission: "triage",
    examples: ["/checklist"],
    build: () => ok({ name: "checklist" }),
  },
  ship: {
    name: "ship",
    usage: "/ship",
    summary:
      "Complete the shipping of this merged release or hotfix PR: the steps still missing (tag, release, images, back-merge, comments, closing the issue), never one already done.",
    details: [
      "Shipping starts by itself when the PR is merged; a step that fails past the retries is told on the PR and the tracking issue with what is done and what remains. `/ship` finishes it once the cause is fixed; a restart of release-pilot and a redelivered merge event do the same.",
    ],
    flags: [],
    arity: [0, 0],
    // Merging a pull request takes write access on GitHub; `/ship` finishes what that merge
    // started and decides nothing new (https://docs.github.com/en/organizations/managing-user-access-to-your-organizations-repositories/managing-repository-roles/repository-roles-for-an-organization).
    permission: "write",
    examples: ["/ship"],
    build: () => ok({ name: "ship" }),
  },
  revert: {
    name: "revert",
    usage: "/revert <version>",
    summary: "Open a PR on main that reverts a release; merged, it ships as the next patch.",
    flags: [],
    arity: [1, 1],
    permission: "maintain",
    examples: ["/revert v1.2.0"],
    build: (words) => {
      const version = parseVersionArg(words.positional[0] ?? "");
      return version.ok ? ok({ name: "revert", version: version.value }) : version;
    },
  },
  help: {
    name: "help",
    usage: "/help [command]",
    summary: "Show the commands, or one command's usage.",
    flags: [],
    arity: [0, 1],
    permission: "none",
    examples: ["/help", "/help deploy"],
    build: (words) => {
      const [topicText] = words.positional;
      if (topicText === undefined) return ok({ name: "help" });
      const topic = findCommandSpec(topicText.replace(/^\//, ""));
      return topic
        ? ok({ name: "help", topic: topic.name })
        : fail(`there is no command ${quote(topicText)}`);
    },
  },
};

const specs: CommandSpec[] = Object.values(specTable);

const byName = new Map<string, CommandSpec>(specs.map((spec) => [spec.name, spec]));

/** Every command, in the order help lists them. */
export const commandSpecs: readonly CommandSpec[] = specs;

/** Every command's name, in the same order. */
export const commandNames = Object.keys(specTable) as CommandName[];

export const findCommandSpec = (name: string): CommandSpec | undefined => byName.get(name.toLowerCase());
