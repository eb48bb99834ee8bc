import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import fc from "fast-check";
import { stringify } from "yaml";
import { type Reliability, startReliability } from "./support/harness.js";

const CONFIG = ".github/release-pilot.yml";
const GENERIC_FAILURE = /failed(: GitHub answered \d+)?\. The app's logs hold the details/;

/** Words that look like commands, flags and arguments, mixed with anything at all. */
const commandName = fc.constantFrom(
  "/release",
  "/deploy",
  "/rollback",
  "/lock",
  "/unlock",
  "/help",
  "/revert",
  "/scale",
);
const commandText = fc.oneof(
  fc
    .tuple(
      commandName,
      fc.array(
        fc.oneof(
          fc.constantFrom(
            "/release",
            "/deploy",
            "/rollback",
            "/lock",
            "/unlock",
            "/help",
            "/status",
            "/revert",
          ),
          fc.constantFrom("/canary", "/promote", "/abort", "/scale", "/checklist", "/relase", "/"),
          fc.constantFrom(
            "staging",
            "production",
            "qa",
            "1.2.0",
            "v1.2.0",
            "minor",
            "major",
            "99999999999.0.0",
          ),
          fc.constantFrom(
            "--pre",
            "--revision",
            "--replicas",
            "--weight",
            "rc",
            "-1",
            "150%",
            "..",
            "`rm -rf`",
          ),
          fc.constantFrom("\n", "```", "\r\n", "\t", "release/v1.2.0~1", "refs/heads/main", "🚀"),
          fc.string({ maxLength: 12 }),
        ),
        { minLength: 0, maxLength: 6 },
      ),
    )
    .map(([name, words]) => [name, ...words].join(" ")),
  fc.string({ unit: "grapheme", maxLength: 80 }).map((s) => `/${s}`),
);

const botReplies = (r: Reliability, issue: number) =>
  r.sandbox.issue(r.repo, issue).comments.filter((c) => c.user.type === "Bot");

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

describe("bad input through the real app: commands, config files, CHANGELOGs, version files", () => {
  let r: Reliability;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    r = await startReliability();
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await r?.close();
  });

  it("fuzzed commands: no reply when there is no command, otherwise exactly one clear reply", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "fuzz" });
    const seen = { answered: 0, ignored: 0 };
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const before = botReplies(r, issue).length;
        // A reader: valid commands stop at the permission guard instead of cutting releases.
        const id = sandbox.comment(repo, issue, "reader", text);
        await sandbox.settled({ timeoutMs: 60_000 });
        const added = botReplies(r, issue).slice(before);
        const reactions = sandbox.issue(repo, issue).comments.find((c) => c.id === id)?.reactions ?? [];
        if (reactions.length === 0) {
          expect(added).toEqual([]);
          seen.ignored++;
          return;
        }
        seen.answered++;
        expect(added).toHaveLength(1);
        expect(added[0]!.body.trim().length).toBeGreaterThan(10);
        expect(added[0]!.body).not.toMatch(GENERIC_FAILURE);
        // 👀 when taken, then 🚀 or 😕 when done.
        const contents = reactions.map((x) => x.content);
        expect(contents).toHaveLength(2);
        expect(contents).toContain("eyes");
        expect(contents.some((c) => c === "rocket" || c === "confused")).toBe(true);
      }),
      { numRuns: 40, seed: 7 },
    );
    // The generator reaches both sides: comments that are commands and comments that are not.
    expect(seen.answered).toBeGreaterThan(15);
    expect(seen.ignored).toBeGreaterThan(0);
    expect(unhandled).toEqual([]);
  }, 180_000);

  it("a CHANGELOG that already has the version: a clear refusal, nothing cut", async () => {
    const { sandbox, repo } = r;
    const changelog = (await sandbox.getFile(repo, "develop", "CHANGELOG.md")) ?? "";
    await sandbox.pushCommit(repo, "maintainer", "develop", "docs: premature notes", {
      "CHANGELOG.md": changelog.replace(
        "## [Unreleased]",
        "## [Unreleased]\n\n## [1.2.0] - 2025-01-01\n\n- early",
      ),
    });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
    await sandbox.settled({ timeoutMs: 60_000 });
    const replies = botReplies(r, issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("1.2.0");
    expect(replies[0]!.body).not.toMatch(GENERIC_FAILURE);
    expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeUndefined();
  }, 180_000);

  it("a binary CHANGELOG (a NUL byte, as git tells binary): a clear refusal, nothing cut or overwritten", async () => {
    const { sandbox, repo } = r;
    const before = (await sandbox.getFile(repo, "develop", "CHANGELOG.md")) ?? "";
    await sandbox.pushCommit(repo, "maintainer", "develop", "chore: corrupt the notes", {
      "CHANGELOG.md": `\u0000\u0001## [\n${"#".repeat(10_000)}\n]]]][Unreleased\n`,
    });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.3.0");
    await sandbox.settled({ timeoutMs: 60_000 });
    const replies = botReplies(r, issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).not.toMatch(GENERIC_FAILURE);
    expect(replies[0]!.body).toContain("`CHANGELOG.md` is too large or not text");
    expect(await sandbox.getRef(repo, "heads/release/v1.3.0")).toBeUndefined();
    await sandbox.pushCommit(repo, "maintainer", "develop", "docs: restore the notes", {
      "CHANGELOG.md": before,
    });
    await sandbox.settled({ timeoutMs: 60_000 });
    expect(unhandled).toEqual([]);
  }, 180_000);

  it("garbage CHANGELOG text and version files without a version: one clear reply, never a crash", async () => {
    const { sandbox, repo } = r;
    await sandbox.pushCommit(repo, "maintainer", "develop", "chore: break things", {
      "CHANGELOG.md": `\u0001## [\n${"#".repeat(10_000)}\n]]]][Unreleased\n`,
      "BankChurn-Predictor/pyproject.toml": "[project]\nname = 'bankchurn'\nversion = [1, 2]\n",
      "CarVision-Market-Intelligence/src/carvision/__init__.py": "__version__ = get_version()\n",
      "TelecomAI-Customer-Intelligence/Dockerfile": "FROM python:3.11\nLABEL version=\n",
    });
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release" });
    sandbox.comment(repo, issue, "maintainer", "/release 1.3.0");
    await sandbox.settled({ timeoutMs: 60_000 });
    const replies = botReplies(r, issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.length).toBeGreaterThan(10);
    expect(replies[0]!.body).not.toMatch(GENERIC_FAILURE);
    // Cut anyway: the files without a readable version are listed as not edited on the PR.
    expect(replies[0]!.body).toContain("Release **v1.3.0** is cut");
    const pull = sandbox.pulls(repo).find((p) => p.pull?.head === "release/v1.3.0");
    for (const path of [
      "BankChurn-Predictor/pyproject.toml",
      "CarVision-Market-Intelligence/src/carvision/__init__.py",
      "TelecomAI-Customer-Intelligence/Dockerfile",
    ]) {
      expect(pull?.body).toMatch(
        new RegExp(`\`${path.replace(/[.]/g, "\\.")}\`: no version found \\([a-z-]+\\); not edited`),
      );
    }
    expect(unhandled).toEqual([]);
  }, 180_000);

  it("fuzzed config files: the command answers with the config's problems, or proceeds", async () => {
    const { sandbox, repo } = r;
    const original = (await sandbox.getFile(repo, "main", CONFIG)) ?? "";
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "config fuzz" });
    const badValue = fc.oneof(
      fc.constant(null),
      fc.integer(),
      fc.string({ maxLength: 10 }),
      fc.constant([]),
      fc.constant({ unknown: true }),
    );
    const badConfig = fc.oneof(
      fc
        .record({
          key: fc.constantFrom("release", "commands", "checklist", "ship", "deploy", "environments", "zzz"),
          value: badValue,
        })
        .map(({ key, value }) => stringify({ [key]: value })),
      fc
        .record({
          field: fc.constantFrom("name", "path", "image", "manifests", "versionFiles"),
          value: badValue,
        })
        .map(({ field, value }) =>
          stringify({ release: { projects: [{ name: "api", path: "api", [field]: value }] } }),
        ),
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        "a: &a [*a]",
        "{{{",
        "- - -\n  :",
        "release: !!binary AAAA",
        "x: 1\nx: 2",
        "\t\tbad: indent",
      ),
    );
    await fc.assert(
      fc.asyncProperty(badConfig, async (text) => {
        await sandbox.pushCommit(repo, "maintainer", "main", "chore: config", { [CONFIG]: text });
        await sandbox.settled({ timeoutMs: 60_000 });
        const before = botReplies(r, issue).length;
        sandbox.comment(repo, issue, "reader", "/release 9.9.9");
        await sandbox.settled({ timeoutMs: 60_000 });
        const added = botReplies(r, issue).slice(before);
        expect(added).toHaveLength(1);
        const body = added[0]!.body;
        const refused = body.startsWith("@reader, `/release` needs the **write** permission");
        const invalid = /^The release-pilot config is not valid, so I did nothing:\n\n- `[^`]+`/.test(body);
        expect(refused || invalid).toBe(true);
      }),
      { numRuns: 25, seed: 11 },
    );
    await sandbox.pushCommit(repo, "maintainer", "main", "chore: restore config", { [CONFIG]: original });
    await sandbox.settled({ timeoutMs: 60_000 });
    expect(unhandled).toEqual([]);
    expect(sandbox.violations).toEqual([]);
  }, 240_000);
});
