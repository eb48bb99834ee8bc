import type { CommitCheck, Finding } from "../../domain/checklist/types.js";
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

/**
 * The most bytes of an artifact's archive held in memory: readZip inflates at most 64 MiB
 * (zip.ts), so a larger archive cannot hold reports it would read. Counted on the body as it
 * comes out of the transport, after any `Content-Encoding` is decoded, so a small compressed
 * answer cannot expand past it.
 */
export const ARTIFACT_MAX_BYTES = 65 * 1024 * 1024;

/**
 * A response body as bytes, whichever form Octokit handed it over in, read chunk by chunk up to
 * `maxBytes` (a stream is cancelled past it). Reads the stream itself rather than through
 * `new Response(…)`, which would load Node's fetch (docs/dependencies.md).
 */
export const bytesOf = async (data: unknown, maxBytes = ARTIFACT_MAX_BYTES): Promise<Uint8Array> => {
  const tooLarge = () => new Error(`artifact larger than ${maxBytes} bytes`);
  if (data instanceof ArrayBuffer) {
    if (data.byteLength > maxBytes) throw tooLarge();
    return new Uint8Array(data);
  }
  if (ArrayBuffer.isView(data)) {
    if (data.byteLength > maxBytes) throw tooLarge();
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ReadableStream) {
    const reader = (data as ReadableStream<Uint8Array>).getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
    return Buffer.concat(chunks);
  }
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
});
