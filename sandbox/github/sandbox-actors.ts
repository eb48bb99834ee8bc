// What CI, other apps and security tools do to a repository, on top of what people do.
import { recordCodeScanningAnalysis } from "./routes/alerts.js";
import { Actors, type RepoName } from "./actors.js";
import { emitRun } from "./routes/actions.js";
import { createCheckRun, createStatus, rerequestCheckRun, updateCheckRun } from "./routes/checks.js";
import { ensureUser } from "./state.js";
import type {
  App,
  CheckRun,
  CodeScanningAlert,
  CommitStatus,
  DependabotAlert,
  Deployment,
  Release,
} from "./state.js";
import { buildZip } from "./zip.js";

export class SandboxActors extends Actors {
  private readonly otherApps = new Map<string, App>();

  private appFor(slug: string): App {
    if (slug === this.world.app.slug) return this.world.app;
    const found = this.otherApps.get(slug);
    if (found) return found;
    const app: App = {
      id: this.world.nextId(),
      slug,
      name: slug,
      owner: this.world.app.owner,
      bot: ensureUser(this.world, `${slug}[bot]`, "Bot"),
    };
    this.otherApps.set(slug, app);
    return app;
  }

  /** Another app (CI by default) finishes a check run on `sha` (→ check_run.completed, check_suite.completed). */
  async completeCheckRun(
    repo: RepoName,
    sha: string,
    input: { name: string; conclusion: string; appSlug?: string; summary?: string },
  ): Promise<number> {
    const r = this.repo(repo);
    const app = this.appFor(input.appSlug ?? "ci");
    const open = r.checkRuns.find(
      (x) => x.headSha === sha && x.name === input.name && x.app.id === app.id && x.status !== "completed",
    );
    const output = { title: input.name, summary: input.summary ?? input.conclusion };
    if (open) {
      updateCheckRun(this, r, open, { conclusion: input.conclusion, output });
      return open.id;
    }
    const run = await createCheckRun(this, r, app, {
      name: input.name,
      head_sha: sha,
      status: "in_progress",
    });
    updateCheckRun(this, r, run, { conclusion: input.conclusion, output });
    return run.id;
  }

  /**
   * Another app (CI by default) queues a check run on `sha` (→ check_run.created): as GitHub
   * Actions queues every job of a workflow first, so the suite completes only with its last run
   * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#check_suite: "completed"
   * once all check runs in the suite have completed). Finish it with `completeCheckRun`.
   */
  async queueCheckRun(
    repo: RepoName,
    sha: string,
    input: { name: string; appSlug?: string },
  ): Promise<number> {
    const run = await createCheckRun(this, this.repo(repo), this.appFor(input.appSlug ?? "ci"), {
      name: input.name,
      head_sha: sha,
      status: "queued",
    });
    return run.id;
  }

  /** A person clicks "Re-run" on a check run on github.com (→ check_run.rerequested to its App). */
  rerunCheckRun(repo: RepoName, runId: number, user: string): void {
    const r = this.repo(repo);
    const run = r.checkRuns.find((x) => x.id === runId);
    if (!run) throw new Error(`no check run ${runId}`);
    rerequestCheckRun(this, r, run, this.user(user));
  }

  setStatus(
    repo: RepoName,
    sha: string,
    input: { context: string; state: CommitStatus["state"]; description?: string; user?: string },
  ): void {
    createStatus(this, this.repo(repo), this.user(input.user ?? "ci-bot"), sha, input);
  }

  /** Finish a dispatched workflow run, attaching artifacts (→ workflow_run.completed). */
  /**
   * CI starts a workflow run on a pushed commit (as `on: pull_request` or `on: push` would);
   * finish it with `completeWorkflowRun`. Returns the run id.
   */
  async startWorkflowRun(
    repo: RepoName,
    input: { workflow: string; name: string; headSha: string; headBranch: string; event?: string },
  ): Promise<number> {
    const r = this.repo(repo);
    const path = `.github/workflows/${input.workflow}`;
    const workflowId = r.workflows.get(path) ?? this.world.nextId();
    r.workflows.set(path, workflowId);
    const now = this.world.now();
    const actor = ensureUser(this.world, "github-actions[bot]", "Bot");
    const run = {
      id: this.world.nextId(),
      runNumber: r.workflowRuns.filter((x) => x.workflowId === workflowId).length + 1,
      workflowId,
      workflowPath: path,
      name: input.name,
      event: input.event ?? "pull_request",
      headBranch: input.headBranch,
      headSha: input.headSha,
      status: "queued" as const,
      conclusion: null,
      inputs: {},
      actor,
      createdAt: now,
      updatedAt: now,
    };
    r.workflowRuns.push(run);
    await emitRun(this, r, actor, run, "requested");
    return run.id;
  }

  async completeWorkflowRun(
    repo: RepoName,
    runId: number,
    conclusion: string,
    artifacts: { name: string; files: Record<string, string> }[] = [],
  ): Promise<void> {
    const r = this.repo(repo);
    const run = r.workflowRuns.find((x) => x.id === runId);
    if (!run) throw new Error(`no workflow run ${runId}`);
    for (const a of artifacts)
      r.artifacts.push({
        id: this.world.nextId(),
        runId,
        name: a.name,
        zip: buildZip(a.files),
        createdAt: this.world.now(),
      });
    if (run.status === "queued") {
      // GitHub reports the run starting before it reports the end.
      run.status = "in_progress";
      run.updatedAt = this.world.now();
      await emitRun(this, r, run.actor, run, "in_progress");
    }
    run.status = "completed";
    run.conclusion = conclusion;
    run.updatedAt = this.world.now();
    await emitRun(this, r, run.actor, run, "completed");
  }

  workflowRuns(repo: RepoName) {
    return [...this.repo(repo).workflowRuns];
  }

  /** A code-scanning analysis ran on a ref (with or without findings). */
  addCodeScanningAnalysis(repo: RepoName, ref: string): void {
    recordCodeScanningAnalysis(this.repo(repo), ref);
  }

  addCodeScanningAlert(
    repo: RepoName,
    input: {
      severity: CodeScanningAlert["severity"];
      ref?: string;
      ruleId?: string;
      description?: string;
      tool?: string;
    },
  ): number {
    const r = this.repo(repo);
    const number = r.codeScanning.length + 1;
    r.codeScanning.push({
      number,
      ref: input.ref ?? `refs/heads/${r.defaultBranch}`,
      state: "open",
      severity: input.severity,
      ruleId: input.ruleId ?? "py/sql-injection",
      description: input.description ?? "Database query built from user-controlled sources",
      tool: input.tool ?? "CodeQL",
      createdAt: this.world.now(),
      dismissedAt: null,
    });
    return number;
  }

  addDependabotAlert(
    repo: RepoName,
    input: {
      severity: DependabotAlert["severity"];
      packageName?: string;
      ecosystem?: string;
      manifestPath?: string;
      summary?: string;
    },
  ): number {
    const r = this.repo(repo);
    const number = r.dependabot.length + 1;
    r.dependabot.push({
      number,
      state: "open",
      severity: input.severity,
      packageName: input.packageName ?? "requests",
      ecosystem: input.ecosystem ?? "pip",
      manifestPath: input.manifestPath ?? "requirements.txt",
      summary: input.summary ?? "Vulnerable dependency",
      createdAt: this.world.now(),
      dismissedAt: null,
    });
    return number;
  }

  dismissAlert(repo: RepoName, kind: "code-scanning" | "dependabot", number: number): void {
    const r = this.repo(repo);
    const alert = (kind === "code-scanning" ? r.codeScanning : r.dependabot).find((a) => a.number === number);
    if (!alert) throw new Error(`no ${kind} alert ${number}`);
    alert.state = "dismissed";
    alert.dismissedAt = this.world.now();
  }

  releases(repo: RepoName): Release[] {
    return [...this.repo(repo).releases];
  }

  deployments(repo: RepoName): Deployment[] {
    return [...this.repo(repo).deployments];
  }

  checkRuns(repo: RepoName, sha: string): CheckRun[] {
    return this.repo(repo).checkRuns.filter((r) => r.headSha === sha);
  }
}
