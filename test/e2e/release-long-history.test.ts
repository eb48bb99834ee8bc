// /release with more than a thousand commits since the last tag, through the app and the
// sandbox GitHub: the compare is read page by page as GitHub documents it (per_page at most 100,
// oldest first, total_commits counting the whole range:
// https://docs.github.com/en/rest/commits/commits#compare-two-commits), the branch is cut from
// develop's real head, every commit has its entry in the CHANGELOG, the PR body stays within
// GitHub's 65,536 characters, and API calls grow with pages only.
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

const COMMITS = 1_050;
const token = (i: number) => `case-${String(i).padStart(4, "0")}`;

/** Conventional commits as a busy monorepo has them: scoped features and fixes, some unscoped. */
const history = () =>
  Array.from({ length: COMMITS }, (_, i) => {
    const kind = i % 3 === 0 ? "fix" : "feat";
    const scope = i % 50 === 0 ? "" : `(${["bankchurn", "carvision", "telecom"][i % 3] ?? "api"})`;
    return {
      message: `${kind}${scope}: handle ${token(i)} in the scoring pipeline, with its edge cases covered\n\nBody of commit ${i}.\n`,
      files: { "BankChurn-Predictor/notes/bulk.txt": `${i}\n` },
    };
  });

/** What `/release` calls (bench/api-calls.ts counts the same on the sample monorepo). */
const RELEASE_OPERATIONS = new Set([
  "apps/create-installation-access-token",
  "repos/get-collaborator-permission-level",
  "reactions/create-for-issue-comment",
  "repos/get-content",
  "git/list-matching-refs",
  "repos/compare-commits",
  "repos/get-branch",
  "git/get-tree",
  "graphql",
  "git/create-tree",
  "git/create-commit",
  "git/create-ref",
  "pulls/list",
  "pulls/create",
  "issues/add-labels",
  "issues/create-comment",
]);

/** What the release does after its first write: writes, and its final reaction. */
const RELEASE_WRITES = new Set([
  "git/create-tree",
  "git/create-commit",
  "git/create-ref",
  "pulls/create",
  "issues/add-labels",
  "issues/create-comment",
  "reactions/create-for-issue-comment",
]);

describe("/release over 1,000+ commits since the last tag", () => {
  let e2e: EndToEnd;
  beforeAll(async () => {
    e2e = await startEndToEnd({ clock: { now: () => new Date("2025-01-15T10:00:00Z") } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("cuts from develop's head, lists every commit, caps the PR body, and pages the compare", async () => {
    const { sandbox, repo } = e2e;
    // The sample's Unreleased is empty: the notes come from the commits.
    expect(await sandbox.getFile(repo, "develop", "CHANGELOG.md")).toContain("## [Unreleased]\n\n## [1.1.0]");
    const head = await sandbox.appendHistory(repo, "develop", history());
    expect(await sandbox.getRef(repo, "heads/develop")).toBe(head);

    sandbox.resetRequests();
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    // Planning a thousand commits takes a while with no request in flight: wait for the reply.
    for (let waited = 0; e2e.repliesTo(issue, "maintainer").length === 0 && waited < 240_000; waited += 250)
      await new Promise((resolve) => setTimeout(resolve, 250));
    await sandbox.settled({ timeoutMs: 60_000 });
    expect(e2e.repliesTo(issue, "maintainer").at(-1)).toContain("Release **v1.2.0** is cut");

    // Cut from develop's real head (the newest commit of the last page), not an older one.
    const [release] = await sandbox.commits(repo, "release/v1.2.0");
    expect(release?.parents).toEqual([head]);

    // Every commit of the range has its entry in the CHANGELOG on the release branch.
    const changelog = (await sandbox.getFile(repo, "release/v1.2.0", "CHANGELOG.md")) ?? "";
    const missing = Array.from({ length: COMMITS }, (_, i) => token(i)).filter((t) => !changelog.includes(t));
    expect(missing).toEqual([]);

    // The PR body fits GitHub's limit and says where the rest of the notes is.
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.2.0");
    const body = pull?.body ?? "";
    expect(body.length).toBeGreaterThan(0);
    expect(body.length).toBeLessThanOrEqual(65_536);
    // A thousand entries are more than a PR body holds: the newest are shown, with where the rest is.
    expect(changelog.length).toBeGreaterThan(65_536);
    expect(body).toContain(
      "the full notes are in [CHANGELOG.md at release/v1.2.0](https://github.com/duqueom/ml-mlops-portfolio/blob/release/v1.2.0/CHANGELOG.md)",
    );

    // API calls of the /release itself (up to its final reaction). The new branch's and PR's own
    // events (the checklist, the push handlers) run meanwhile; their operations are not counted.
    const mine = sandbox.requests.filter((r) => r.fromApp && !r.path.startsWith("/_sandbox/"));
    const last = mine.map((r) => r.operationId).lastIndexOf("reactions/create-for-issue-comment");
    const ops = mine.slice(0, last + 1).map((r) => r.operationId ?? r.path);
    // The release reads everything before its first write (the tree of its commit); from then
    // on it only writes, so the reads after it (tree listings, GraphQL, compares) are the
    // events' handlers', which run concurrently with it.
    const firstWrite = ops.indexOf("git/create-tree");
    expect(firstWrite).toBeGreaterThan(0);
    const own = ops.filter(
      (op, i) => RELEASE_OPERATIONS.has(op) && (i < firstWrite || RELEASE_WRITES.has(op)),
    );
    // The config is read once by the comment's handler; later reads are the events'.
    const calls = own.filter((op, i) => op !== "repos/get-content" || own.indexOf(op) === i);
    const pages = calls.filter((op) => op === "repos/compare-commits").length;
    expect(pages).toBe(Math.ceil(COMMITS / 100));
    expect(calls.length).toBeLessThanOrEqual(16 + pages);
    // Nothing grew with the commits but the pages: one GraphQL listing of the directories the
    // config names, one GraphQL request for the files and the path lookups together, one commit.
    for (const op of ["git/create-commit", "git/create-ref", "pulls/create"])
      expect(calls.filter((c) => c === op)).toHaveLength(1);
    expect(calls.filter((c) => c === "git/get-tree")).toHaveLength(0);
    expect(calls.filter((c) => c === "graphql")).toHaveLength(2);
  }, 300_000);
});
