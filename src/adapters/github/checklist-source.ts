import type { CommitCheck, Finding, Review } from "../../domain/checklist/types.js";
import type { ArtifactFile, ArtifactRef, ChecklistSource } from "../../ports/checklist.js";
import {
  checkFromRun,
  checkFromStatus,
  describeFailure,
  findingFromCodeScanning,
  findingFromDependabot,
  type GitHubCodeScanningAlert,
  type GitHubDependabotAlert,
} from "./checklist-mappers.js";
import type { ArtifactCache } from "./checklist-artifact-cache.js";
import { httpStatusOf, type Octokit } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { readZip } from "./zip.js";

/** GitHub lists at most this many changed files per comparison page. */
const COMPARE_PAGE = 100;
const COMPARE_MAX_PAGES = 30;

/** A response body as bytes, whichever form Octokit handed it over in. */
const bytesOf = async (data: unknown): Promise<Uint8Array> => {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ReadableStream) return new Uint8Array(await new Response(data).arrayBuffer());
  throw new Error(`unexpected artifact body (${typeof data})`);
};

/** Runs a read, turning any failure into an Error that names the read. */
const reading = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
  try {
    return await read();
  } catch (e) {
    throw describeFailure(what, e);
  }
};

/** The ChecklistSource port on the GitHub REST API; pass one `artifactCache` for the app's lifetime. */
export const createChecklistSource = (
  octokit: Octokit,
  repo: RepoRef,
  options: { artifactCache?: ArtifactCache } = {},
): ChecklistSource => ({
  listCommitChecks: (sha) =>
    reading("reading checks and statuses", async (): Promise<CommitCheck[]> => {
      const [runs, combined] = await Promise.all([
        octokit.paginate(octokit.rest.checks.listForRef, {
          ...repo,
          ref: sha,
          filter: "latest",
          per_page: 100,
        }),
        octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha, per_page: 100 }),
      ]);
      return [...runs.map(checkFromRun), ...combined.data.statuses.map(checkFromStatus)];
    }),

  listReviews: (pullNumber) =>
    reading("reading reviews", async (): Promise<Review[]> => {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        ...repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      // A review's `user` is null once its author's account is deleted (REST "List reviews for a pull request").
      return reviews.flatMap((r) =>
        r.user === null
          ? []
          : [{ user: r.user.login, state: r.state, submittedAt: r.submitted_at, url: r.html_url }],
      );
    }),

  isTeamMember: (org, teamSlug, user) =>
    reading(`checking ${user} in team ${org}/${teamSlug}`, async () => {
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
          org,
          team_slug: teamSlug,
          username: user,
        });
        return data.state === "active";
      } catch (e) {
        if (httpStatusOf(e) === 404) return false;
        throw e;
      }
    }),

  listArtifacts: (sha) =>
    reading("listing workflow artifacts", async (): Promise<ArtifactRef[]> => {
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
        ...repo,
        head_sha: sha,
        per_page: 100,
      });
      const perRun = await Promise.all(
        data.workflow_runs.map(async (run) => {
          const arts = await octokit.rest.actions.listWorkflowRunArtifacts({
            ...repo,
            run_id: run.id,
            per_page: 100,
          });
          return arts.data.artifacts.map((a) => ({
            id: a.id,
            name: a.name,
            runId: run.id,
            expired: a.expired,
            url: run.html_url,
          }));
        }),
      );
      return perRun.flat();
    }),

  readArtifact: (artifact) =>
    reading(`downloading artifact ${artifact.name}`, async (): Promise<ArtifactFile[]> => {
      const key = `${repo.owner}/${repo.repo}#${String(artifact.id)}`;
      const cached = options.artifactCache?.get(key);
      if (cached) return cached;
      // The raw body: Octokit would decode it as text if the storage host's content type
      // were not application/zip, which corrupts a binary archive.
      const { data } = await octokit.rest.actions.downloadArtifact({
        ...repo,
        artifact_id: artifact.id,
        archive_format: "zip",
        request: { parseSuccessResponseBody: false },
      });
      const files = readZip(await bytesOf(data));
      options.artifactCache?.set(key, files);
      return files;
    }),

  listCodeScanningAlerts: (ref) =>
    reading("reading code-scanning alerts", async (): Promise<Finding[] | null> => {
      try {
        const analyses = await octokit.rest.codeScanning.listRecentAnalyses({ ...repo, ref, per_page: 1 });
        if (analyses.data.length === 0) return null;
      } catch (e) {
        // GitHub answers 404 when the repository has no analysis at all.
        if (httpStatusOf(e) === 404) return null;
        throw e;
      }
      const alerts = await octokit.paginate(octokit.rest.codeScanning.listAlertsForRepo, {
        ...repo,
        ref,
        state: "open",
        per_page: 100,
      });
      return (alerts as GitHubCodeScanningAlert[]).map(findingFromCodeScanning);
    }),

  listDependabotAlerts: () =>
    reading("reading Dependabot alerts", async (): Promise<Finding[]> => {
      const alerts = await octokit.paginate(octokit.rest.dependabot.listAlertsForRepo, {
        ...repo,
        state: "open",
        per_page: 100,
      });
      return (alerts as GitHubDependabotAlert[]).map(findingFromDependabot);
    }),

  getFileText: (path, ref) =>
    reading(`reading ${path}`, async () => {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref });
        if (Array.isArray(data) || data.type !== "file") throw new Error(`${path} is not a file`);
        if ("encoding" in data && data.encoding === "base64")
          return Buffer.from(data.content, "base64").toString("utf8");
        // Files over 1 MB come without content: ask for the raw bytes instead.
        const raw = await octokit.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: "raw" } });
        return String(raw.data as unknown);
      } catch (e) {
        if (httpStatusOf(e) === 404) return null;
        throw e;
      }
    }),

  listChangedFiles: (base, head) =>
    reading(`comparing ${base}...${head}`, async () => {
      const files: string[] = [];
      let url: string | undefined;
      for (let page = 1; page <= COMPARE_MAX_PAGES; page++) {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          ...repo,
          basehead: `${base}...${head}`,
          per_page: COMPARE_PAGE,
          page,
        });
        url ??= data.html_url;
        const batch = data.files ?? [];
        for (const f of batch) files.push(f.filename, ...(f.previous_filename ? [f.previous_filename] : []));
        if (batch.length < COMPARE_PAGE) break;
      }
      return { files, url };
    }),

  getPullRequestBody: (pullNumber) =>
    reading(`reading pull request #${String(pullNumber)}`, async () => {
      const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber });
      return data.body;
    }),

  findPreviousReleaseTag: () =>
    reading("reading the latest release", async () => {
      try {
        return (await octokit.rest.repos.getLatestRelease({ ...repo })).data.tag_name;
      } catch (e) {
        if (httpStatusOf(e) === 404) return null;
        throw e;
      }
    }),
});
