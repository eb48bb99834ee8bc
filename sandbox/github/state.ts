// In-memory state of everything GitHub keeps outside git: people, issues, checks, releases ...
import type { GitStore } from "./git-store.js";
import type { GitRunner } from "./git-runner.js";

export type UserType = "User" | "Bot" | "Organization";
export type PermissionLevel = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface User {
  login: string;
  id: number;
  type: UserType;
}

export interface Reaction {
  id: number;
  user: User;
  content: string;
  createdAt: string;
}

export interface Comment {
  id: number;
  issueNumber: number;
  user: User;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: Reaction[];
}

export interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullData {
  head: string; // branch name
  base: string;
  headSha: string;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: User | null;
  mergeCommitSha: string | null;
  draft: boolean;
}

export interface Review {
  id: number;
  pullNumber: number;
  user: User;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "PENDING" | "DISMISSED";
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface Issue {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: User;
  state: "open" | "closed";
  stateReason: string | null;
  labels: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: PullData;
}

/**
 * A branch's protection rule: required status checks (by context name) and, optionally,
 * required approving reviews (https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-protected-branches/about-protected-branches).
 */
export interface Protection {
  requiredChecks: string[];
  /** Approving reviews a PR needs; when set, the branch takes changes only through a PR. */
  requiredApprovals?: number;
}

export interface CheckSuite {
  id: number;
  headSha: string;
  headBranch: string | null;
  app: App;
  createdAt: string;
  updatedAt: string;
  /** The head commit as check suites show it (simple-commit), read when the suite is made. */
  headCommit?: Record<string, unknown>;
  /** A run was re-requested: the suite shows queued, no conclusion, until a run is updated. */
  requeued?: boolean;
}

export interface CheckRun {
  id: number;
  suiteId: number;
  name: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";
  conclusion: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  actions: unknown[];
  app: App;
}

export interface CommitStatus {
  id: number;
  sha: string;
  state: "error" | "failure" | "pending" | "success";
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: User;
  createdAt: string;
  updatedAt: string;
}

export interface Release {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  author: User;
  createdAt: string;
  publishedAt: string | null;
}

export interface DeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  creator: User;
  createdAt: string;
}

export interface Deployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  description: string | null;
  creator: User;
  /** The App whose installation token created it (none for a person's token). */
  viaApp: App | undefined;
  createdAt: string;
  productionEnvironment: boolean;
  transientEnvironment: boolean;
  statuses: DeploymentStatus[];
}

export interface Artifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  createdAt: string;
}

export interface WorkflowRun {
  id: number;
  runNumber: number;
  workflowId: number;
  workflowPath: string;
  name: string;
  event: string;
  headBranch: string;
  headSha: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  inputs: Record<string, unknown>;
  actor: User;
  createdAt: string;
  updatedAt: string;
}

export interface CodeScanningAlert {
  number: number;
  ref: string;
  state: "open" | "dismissed" | "fixed";
  severity: "critical" | "high" | "medium" | "low" | "warning" | "note" | "error";
  ruleId: string;
  description: string;
  tool: string;
  createdAt: string;
  dismissedAt: string | null;
}

export interface DependabotAlert {
  number: number;
  state: "open" | "dismissed" | "fixed" | "auto_dismissed";
  severity: "low" | "medium" | "high" | "critical";
  packageName: string;
  ecosystem: string;
  manifestPath: string;
  summary: string;
  createdAt: string;
  dismissedAt: string | null;
}

export interface App {
  id: number;
  slug: string;
  name: string;
  owner: User;
  bot: User;
}

export interface Repo {
  id: number;
  owner: User;
  name: string;
  defaultBranch: string;
  git: GitStore;
  createdAt: string;
  pushedAt: string;
  nextNumber: number;
  issues: Map<number, Issue>;
  comments: Map<number, Comment>;
  labels: Map<string, Label>;
  reviews: Review[];
  permissions: Map<string, PermissionLevel>;
  protections: Map<string, Protection>;
  /** Repository rulesets (rulesets.ts). */
  rulesets: Ruleset[];
  checkSuites: CheckSuite[];
  checkRuns: CheckRun[];
  statuses: CommitStatus[];
  releases: Release[];
  deployments: Deployment[];
  workflows: Map<string, number>; // file name -> workflow id
  workflowRuns: WorkflowRun[];
  artifacts: Artifact[];
  codeScanning: CodeScanningAlert[];
  dependabot: DependabotAlert[];
}

/** A repository ruleset restricting refs (rulesets.ts reads it). */
export type RulesetRule =
  | { type: "creation" | "update" | "deletion" | "non_fast_forward" }
  | {
      type: "required_status_checks";
      parameters: {
        required_status_checks: { context: string }[];
        strict_required_status_checks_policy: boolean;
        do_not_enforce_on_create?: boolean;
      };
    };

export interface Ruleset {
  id: number;
  name: string;
  /** Branch rulesets match refs/heads/*, tag rulesets refs/tags/*. */
  target: "branch" | "tag";
  /** Only `active` rulesets refuse; `evaluate` only reports (an Enterprise insight), `disabled` is off. */
  enforcement: "active" | "evaluate" | "disabled";
  /** `conditions.ref_name`: fnmatch patterns on the full ref, or ~ALL / ~DEFAULT_BRANCH. */
  include: string[];
  exclude: string[];
  rules: RulesetRule[];
  /** The App is in `bypass_actors` (actor_type "Integration", bypass_mode "always"). */
  appBypasses: boolean;
}

/** Everything the sandbox knows; handlers and actors share it. */
export interface World {
  baseUrl: string;
  root: string;
  gitRunner: GitRunner;
  users: Map<string, User>;
  repos: Map<string, Repo>;
  teams: Map<string, Set<string>>; // "org/team" -> logins
  app: App;
  installationId: number;
  /** What the installation may do (app.yml's default_permissions unless a test says otherwise). */
  installationPermissions: Readonly<Record<string, string>>;
  /** Installation access tokens the sandbox issued, each with the permissions it carries. */
  tokens: Map<string, Readonly<Record<string, string>>>;
  /** Personal access tokens: each acts as the person it belongs to (see server.ts). */
  personalTokens: Map<string, User>;
  nextId: () => number;
  now: () => string;
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

export function ensureUser(world: World, login: string, type: UserType = "User"): User {
  const found = world.users.get(login.toLowerCase());
  if (found) return found;
  const user: User = { login, id: world.nextId(), type };
  world.users.set(login.toLowerCase(), user);
  return user;
}
