/** The gates of the pre-release checklist, in the order they are shown. */
export const gateIds = [
  "tests",
  "coverage",
  "security",
  "docs",
  "versions",
  "models",
  "integration",
  "approvals",
  "compliance",
] as const;
export type GateId = (typeof gateIds)[number];

/** pass / fail on measured data; pending while inputs are still running; missing when no input was found; error when an input could not be read. */
export type GateStatus = "pass" | "fail" | "pending" | "missing" | "error";

/** The conclusions GitHub accepts for a completed check run. */
export type CheckConclusion =
  "success" | "failure" | "neutral" | "action_required" | "cancelled" | "skipped" | "timed_out";

export type RowState = "pass" | "fail" | "pending" | "missing" | "error";

/** One line of a gate's table: what was measured against what was required. */
export interface GateRow {
  item: string;
  measured: string;
  threshold: string;
  state: RowState;
  link?: string | undefined;
}

/** What an evaluator decides; the registry turns it into a GateResult. */
export interface Verdict {
  status: GateStatus;
  title: string;
  rows: GateRow[];
  /** What to do about a failure, one bullet each. */
  advice: string[];
}

export interface GateResult {
  gate: GateId | "readiness";
  /** The check-run name (what branch protection requires). */
  name: string;
  status: GateStatus;
  /** null while pending: the check run stays in progress. */
  conclusion: CheckConclusion | null;
  required: boolean;
  title: string;
  /** Markdown: the measured-vs-threshold table, links and what to do. */
  summary: string;
  rows: GateRow[];
}

/** A CI check on the head commit, from a check run or a commit status, normalised. */
export interface CommitCheck {
  name: string;
  source: "check-run" | "status";
  state: "pending" | "success" | "failure" | "neutral" | "skipped";
  url?: string | undefined;
  /** A commit status's description (coverage services put the figure there). */
  description?: string | undefined;
}

export interface ChecksInput {
  checks: CommitCheck[];
}

export type CoverageEvidence =
  | { kind: "report"; path: string; text: string; link?: string | undefined }
  | { kind: "status"; context: string; description: string; link?: string | undefined }
  | { kind: "none"; looked: string }
  | { kind: "error"; message: string };

export interface CoverageInput {
  projects: { project: string; evidence: CoverageEvidence }[];
}

export type Severity = "critical" | "high" | "medium" | "low" | "unknown";
export type SecuritySource = "code-scanning" | "dependabot" | "trivy" | "bandit";

export interface Finding {
  source: SecuritySource;
  id: string;
  severity: Severity;
  title: string;
  location?: string | undefined;
  url?: string | undefined;
}

export type SecurityEvidence =
  | { kind: "findings"; findings: Finding[] }
  | { kind: "reports"; reports: { path: string; text: string }[] }
  | { kind: "missing"; reason: string }
  | { kind: "error"; message: string };

export interface SecurityInput {
  sources: { source: SecuritySource; evidence: SecurityEvidence }[];
}

export interface DocsInput {
  version: string;
  /** The changelog at the PR head, null when the file does not exist. */
  changelog: string | null;
  /** The last release tag, null before the first release. */
  lastTag: string | null;
  /** Files changed between the last tag and the head (empty when lastTag is null). */
  changedFiles: string[];
  compareUrl?: string | undefined;
}

export interface VersionsInput {
  version: string;
  files: {
    project: string;
    path: string;
    text: string | null;
    error?: string | undefined;
    link?: string | undefined;
    /** The release's own reader of this file's version (a manifest's image tag); else by file name. */
    readVersion?: ((text: string) => string | undefined) | undefined;
  }[];
}

export type ModelEvidence =
  | { kind: "metrics"; label: string; metrics: Record<string, number>; link?: string | undefined }
  | { kind: "file"; path: string; text: string | null; link?: string | undefined }
  | { kind: "error"; message: string };

/** A model's metric thresholds: metric name → expression such as `>= 0.60`. */
export interface ModelThresholds {
  readonly metrics: Readonly<Record<string, string>>;
}

export interface ModelsInput {
  models: { project: string; spec: ModelThresholds; evidence: ModelEvidence }[];
}

export interface Review {
  user: string;
  state: string;
  submittedAt?: string | undefined;
  url?: string | undefined;
}

export interface ApprovalsInput {
  reviews: Review[];
  /** Reviewer login → whether they are a release manager (user listed or member of a listed team). */
  managers: Record<string, boolean>;
}

export interface ComplianceInput {
  body: string | null;
}

export interface GateInputs {
  tests: ChecksInput;
  coverage: CoverageInput;
  security: SecurityInput;
  docs: DocsInput;
  versions: VersionsInput;
  models: ModelsInput;
  integration: ChecksInput;
  approvals: ApprovalsInput;
  compliance: ComplianceInput;
}
