import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/config/schema.js";
import type { TreeSnapshot } from "../../src/domain/release/release-plan.js";
import type { FilesWanted } from "../../src/domain/release/release-reads.js";
import type { CommitRef, FileChanges, TouchedAsk } from "../../src/ports/git-data.js";
import type { PullRef } from "../../src/ports/pulls.js";
import { cutRelease, type CutReleaseDeps } from "../../src/use-cases/cut-release.js";

const changelog = `# Changelog

## [Unreleased]

### Added
- Batch prediction endpoint in BankChurn

## [1.1.0] - 2025-01-02

### Fixed
- Bug fix

[Unreleased]: https://github.com/o/r/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/o/r/compare/v1.0.0...v1.1.0
`;

const tree: Record<string, string> = {
  "CHANGELOG.md": changelog,
  "svc/pyproject.toml": '[project]\nname = "svc"\nversion = "1.1.0"\n',
};

/** An in-memory repository host that records every write. */
type FakeHost = CutReleaseDeps["git"] & CutReleaseDeps["pulls"] & CutReleaseDeps["issues"];

class FakeRepository implements FakeHost {
  /** The repository's `html_url` as GitHub gives it (payload or `GET /repos`). */
  webUrl = "https://github.com/o/r";
  /** The files of the last commit written. */
  written = new Map<string, string | null>();
  tags = ["v1.0.0", "v1.1.0", "not-a-version"];
  branches: string[] = [];
  pulls: { head: string; number: number; labels: string[] }[] = [];
  writes: string[] = [];
  /** The commits asked about, one entry per request. */
  pathLookups: string[][] = [];
  messages = ["feat: batch"];
  /** Someone else creates the branch between our read and our write. */
  loseRace = false;
  failPullOnce = false;

  /** Tags by name → their commit (only the version tags above, plus any a test adds). */
  tagCommits = new Map<string, string>([
    ["v1.0.0", "a".repeat(40)],
    ["v1.1.0", "b".repeat(40)],
  ]);
  /** Commits the compare knows (GitHub answers 404 for any other base). */
  knownShas = new Set(["3f2c1ab", "e".repeat(40)]);
  /** The `base` of every commit listing asked for. */
  ranges: (string | undefined)[] = [];

  listTags = () => Promise.resolve(this.tags);
  getTagCommit = (tag: string) => Promise.resolve(this.tagCommits.get(tag));
  listBranches = (prefix: string) => Promise.resolve(this.branches.filter((b) => b.startsWith(prefix)));
  getBranchHead = (branch: string): Promise<CommitRef | undefined> =>
    Promise.resolve(branch === "develop" ? { sha: "d".repeat(40), treeSha: "t".repeat(40) } : undefined);
  /** The paths whose text was read, and the files the host cannot serve (too large, binary). */
  read: string[] = [];
  unreadable = new Set<string>();
  /** As the GitHub adapter: every path listed, only the picked files read, until nothing new is picked. */
  /** As the GitHub adapter: the path lookups `touched` names are answered with the files (`dirsTouched` below). */
  snapshotTree = async (
    _tree: string,
    wanted: FilesWanted,
    touched?: TouchedAsk,
  ): Promise<TreeSnapshot & { touched?: Map<string, string[]> }> => {
    const snapshot = await this.pickFiles(wanted);
    const ask = touched?.(snapshot.list());
    return ask ? { ...snapshot, touched: await this.dirsTouched(ask.shas, ask.dirs) } : snapshot;
  };
  pickFiles = (wanted: FilesWanted): Promise<TreeSnapshot> => {
    const paths = Object.keys(tree);
    const texts = new Map<string, string | undefined>();
    for (;;) {
      const missing = wanted.pick(paths, (p) => texts.get(p)).filter((p) => !texts.has(p));
      if (missing.length === 0) break;
      for (const p of missing) {
        this.read.push(p);
        texts.set(p, this.unreadable.has(p) ? undefined : tree[p]);
      }
    }
    return Promise.resolve({ list: () => paths, read: (p: string) => texts.get(p) });
  };
  listCommits = (range: { base?: string; head: string }) => {
    this.ranges.push(range.base);
    const known =
      range.base === undefined ||
      this.knownShas.has(range.base) ||
      this.tagCommits.has(range.base) ||
      [...this.tagCommits.values()].includes(range.base) ||
      range.base === "d".repeat(40);
    if (!known) return Promise.reject(Object.assign(new Error("Not Found"), { status: 404 }));
    return Promise.resolve({
      commits: this.messages.map((message, i) => ({
        sha: String(i).repeat(40),
        message,
        files: [] as string[],
        date: "2025-01-05",
      })),
      head: { sha: "d".repeat(40), treeSha: "t".repeat(40) },
    });
  };
  dirsTouched = (shas: readonly string[], dirs: readonly string[]) => {
    this.pathLookups.push([...shas]);
    return Promise.resolve(new Map(shas.map((sha) => [sha, dirs.filter((d) => d === "svc")])));
  };
  createCommit = (_parent: CommitRef, message: string, files: FileChanges) => {
    this.writes.push(`commit ${message}: ${[...files.keys()].join(", ")}`);
    this.written = new Map(files);
    return Promise.resolve("c".repeat(40));
  };
  createBranch = (name: string) => {
    if (this.loseRace || this.branches.includes(name)) return Promise.resolve("exists" as const);
    this.branches.push(name);
    this.writes.push(`branch ${name}`);
    return Promise.resolve("created" as const);
  };
  findOpenPull = (head: string): Promise<PullRef | undefined> => {
    const pull = this.pulls.find((p) => p.head === head);
    return Promise.resolve(
      pull
        ? { number: pull.number, url: `${this.webUrl}/pull/${pull.number}`, labels: [...pull.labels] }
        : undefined,
    );
  };
  /** Refuse labelling this many times (as GitHub's 5xx after the PR was opened). */
  failLabelsTimes = 0;
  addLabels = (number: number, labels: readonly string[]) => {
    if (this.failLabelsTimes > 0) {
      this.failLabelsTimes -= 1;
      return Promise.reject(Object.assign(new Error("Server Error"), { status: 502 }));
    }
    const pull = this.pulls.find((p) => p.number === number);
    pull?.labels.push(...labels.filter((l) => !pull.labels.includes(l)));
    this.writes.push(`labels #${number} [${labels.join(",")}]`);
    return Promise.resolve();
  };
  /** As GitHub's Pulls API: the PR opens unlabelled (labels are a second request, on the issue). */
  createPull = (pull: { head: string; title: string }) => {
    if (this.failPullOnce) {
      this.failPullOnce = false;
      return Promise.reject(Object.assign(new Error("Server Error"), { status: 502 }));
    }
    const number = this.pulls.length + 10;
    this.pulls.push({ head: pull.head, number, labels: [] });
    this.writes.push(`pull ${pull.title}`);
    return Promise.resolve({ number, url: `${this.webUrl}/pull/${number}` });
  };
}

const clock = { now: () => new Date("2025-01-15T10:00:00Z") };
const depsOf = (repository: FakeRepository): CutReleaseDeps => ({
  git: repository,
  pulls: repository,
  issues: repository,
  clock,
});
const input = (version = "1.2.0") => ({
  config: defaultConfig(),
  target: { kind: "exact" as const, version },
  actor: "maintainer",
  issueNumber: 1,
});

describe("cutRelease", () => {
  it("writes one commit with every change, one branch and one labelled PR", async () => {
    const repository = new FakeRepository();
    const result = await cutRelease(depsOf(repository), input());
    expect(result.reason).toBe("done");
    expect(result.message).toContain("Release **v1.2.0** is cut");
    expect(result.message).toContain("https://github.com/o/r/pull/10");
    expect(repository.writes).toEqual([
      "commit chore(release): 1.2.0: svc/pyproject.toml, CHANGELOG.md",
      "branch release/v1.2.0",
      "pull Release v1.2.0",
      "labels #10 [release]",
    ]);
  });

  it("reads only the CHANGELOG and the version files, never the repository's data files", async () => {
    const data = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`data/raw/part-${i}.csv`, "id,value\n1,2\n"]),
    );
    Object.assign(tree, data, { "svc/model.pkl": "binary", "svc/README.md": "# svc\n" });
    try {
      const repository = new FakeRepository();
      const result = await cutRelease(depsOf(repository), input());
      expect(result.reason).toBe("done");
      expect(repository.read.sort()).toEqual(["CHANGELOG.md", "svc/pyproject.toml"]);
    } finally {
      for (const p of [...Object.keys(data), "svc/model.pkl", "svc/README.md"]) delete tree[p];
    }
  });

  it("refuses, writing nothing, when the CHANGELOG is in the tree but cannot be read (over the size cap)", async () => {
    const repository = new FakeRepository();
    repository.unreadable.add("CHANGELOG.md");
    const result = await cutRelease(depsOf(repository), input());
    expect(result.reason).toBe("bad-command");
    expect(result.message).toContain("`CHANGELOG.md` is too large or not text");
    expect(repository.writes).toEqual([]);
  });

  it("asks the paths with the files, yet releases the Unreleased notes as written when the section holds them", async () => {
    const repository = new FakeRepository();
    repository.messages = ["feat: streaming scores"];
    const result = await cutRelease(depsOf(repository), input());
    expect(result.reason).toBe("done");
    // Asked in the same read as the CHANGELOG, before it says whether notes are generated.
    expect(repository.pathLookups).toEqual([["0".repeat(40)]]);
    const text = repository.written.get("CHANGELOG.md") ?? "";
    expect(text).toContain("## [1.2.0] - ");
    expect(text).toContain("- Batch prediction endpoint in BankChurn\n");
    expect(text).not.toContain("streaming scores");
  });

  it("with notes to generate, looks up the paths of note-worthy commits whose scope names no service", async () => {
    tree["CHANGELOG.md"] = changelog.replace("### Added\n- Batch prediction endpoint in BankChurn\n", "");
    try {
      const repository = new FakeRepository();
      repository.messages = ["feat: batch", "docs: readme", "fix(svc): crash", "chore: bump", "fix: leak"];
      const result = await cutRelease(depsOf(repository), input());
      expect(result.reason).toBe("done");
      // One request for both unscoped note-worthy commits; the scoped fix and the rest need none.
      expect(repository.pathLookups).toEqual([["0".repeat(40), "4".repeat(40)]]);
    } finally {
      tree["CHANGELOG.md"] = changelog;
    }
  });

  it("answers with the earlier run's result (branch, PR), and writes nothing, when the release is already in progress", async () => {
    const repository = new FakeRepository();
    await cutRelease(depsOf(repository), input());
    const writes = repository.writes.length;
    const again = await cutRelease(depsOf(repository), input());
    expect(again).toEqual({
      reason: "already-done",
      message:
        "Release **v1.2.0** is already in progress, cut by an earlier run: branch " +
        "[`release/v1.2.0`](https://github.com/o/r/tree/release/v1.2.0), PR https://github.com/o/r/pull/10. " +
        "The pre-release checklist runs on the PR; merging it tags v1.2.0.",
    });
    expect(repository.writes).toHaveLength(writes);
  });

  it("completes a run that stopped after the branch was made, without a second branch", async () => {
    const repository = new FakeRepository();
    repository.failPullOnce = true;
    await expect(cutRelease(depsOf(repository), input())).rejects.toThrow("Server Error");
    const result = await cutRelease(depsOf(repository), input());
    expect(result.reason).toBe("done");
    expect(repository.writes.filter((w) => w.startsWith("branch"))).toEqual(["branch release/v1.2.0"]);
    expect(repository.writes.filter((w) => w.startsWith("pull"))).toHaveLength(1);
  });

  it("says the release is being cut when another run created the branch first", async () => {
    const repository = new FakeRepository();
    repository.loseRace = true;
    const result = await cutRelease(depsOf(repository), input());
    expect(result).toEqual({
      reason: "already-done",
      message:
        "Release v1.2.0 is being cut by another run: branch [`release/v1.2.0`](https://github.com/o/r/tree/release/v1.2.0); its PR opens from there.",
    });
    expect(repository.writes.some((w) => w.startsWith("pull"))).toBe(false);
  });

  it("refuses a second release while another one's branch is not yet tagged", async () => {
    const repository = new FakeRepository();
    repository.branches = ["release/v1.1.0", "release/v1.2.0"];
    const result = await cutRelease(depsOf(repository), input("1.3.0"));
    expect(result.reason).toBe("conflict");
    expect(result.message).toContain("release/v1.2.0");
  });

  it("refuses a version that is not greater than the latest release", async () => {
    const repository = new FakeRepository();
    const result = await cutRelease(depsOf(repository), input("1.0.5"));
    expect(result.reason).not.toBe("done");
    expect(repository.writes).toEqual([]);
  });

  it("after the label failed, the next /release labels the PR instead of answering 'already in progress'", async () => {
    const repository = new FakeRepository();
    repository.failLabelsTimes = 1;
    await expect(cutRelease(depsOf(repository), input())).rejects.toMatchObject({ status: 502 });
    expect(repository.pulls).toEqual([{ head: "release/v1.2.0", number: 10, labels: [] }]);
    const writes = repository.writes.length;

    const again = await cutRelease(depsOf(repository), input());
    expect(again.reason).toBe("done");
    expect(again.message).toBe(
      "Release v1.2.0 was cut by an earlier run that stopped before labelling its PR; completed it: https://github.com/o/r/pull/10 is labelled `release`.",
    );
    expect(repository.pulls).toEqual([{ head: "release/v1.2.0", number: 10, labels: ["release"] }]);
    // Only the label was written: no second commit, branch or PR.
    expect(repository.writes.slice(writes)).toEqual(["labels #10 [release]"]);

    const third = await cutRelease(depsOf(repository), input());
    expect(third).toMatchObject({ reason: "already-done" });
    expect(third.message).toContain("already in progress");
    expect(repository.writes.slice(writes)).toHaveLength(1);
  });
});

describe("cutRelease: links are the repository's own", () => {
  it("on GitHub Enterprise, the CHANGELOG's and the reply's links use the html_url, not the file's github.com ones", async () => {
    const repository = new FakeRepository();
    repository.webUrl = "https://ghe.example.com/org/repo";
    const result = await cutRelease(depsOf(repository), input());
    expect(result.reason).toBe("done");
    const text = repository.written.get("CHANGELOG.md") ?? "";
    expect(text).toContain("[Unreleased]: https://ghe.example.com/org/repo/compare/v1.2.0...HEAD\n");
    expect(text).toContain("[1.2.0]: https://ghe.example.com/org/repo/compare/v1.1.0...v1.2.0\n");
    // Only the older release's own link still names the old address.
    expect(text.match(/github\.com\/o\/r/g)).toEqual(["github.com/o/r"]);
    expect(result.message).toContain("(https://ghe.example.com/org/repo/tree/release/v1.2.0)");
  });
});

describe("cutRelease --from <ref>", () => {
  const auto = (from?: string) => ({ ...input(), target: { kind: "auto" as const }, from });
  const untagged = () => {
    const repository = new FakeRepository();
    repository.tags = [];
    repository.tagCommits = new Map([["0.9.0", "a".repeat(40)]]);
    return repository;
  };

  it("with no release tag, refuses and says to use /release --from <ref>", async () => {
    const repository = untagged();
    const result = await cutRelease(depsOf(repository), auto());
    expect(result.reason).toBe("bad-command");
    expect(result.message).toContain("No `v*` tag marks the previous release");
    expect(result.message).toContain("`/release --from <ref>`");
    expect(repository.writes).toEqual([]);
  });

  it("takes the range from a tag that is not a release tag (peeled to its commit)", async () => {
    const repository = untagged();
    const result = await cutRelease(depsOf(repository), auto("0.9.0"));
    expect(result.reason).toBe("done");
    expect(repository.ranges).toEqual(["a".repeat(40)]);
    expect(repository.writes[0]).toContain("chore(release): 1.2.0");
  });

  it("takes the range from a branch's head", async () => {
    const repository = untagged();
    const result = await cutRelease(depsOf(repository), auto("develop"));
    // develop..develop holds the fake's one feat commit; the range starts at develop's head.
    expect(repository.ranges).toEqual(["d".repeat(40)]);
    expect(result.reason).toBe("done");
  });

  it("takes the range from a short SHA the repository has, and overrides the newest tag", async () => {
    const repository = new FakeRepository();
    const result = await cutRelease(depsOf(repository), auto("3f2c1ab"));
    expect(result.reason).toBe("done");
    expect(repository.ranges).toEqual(["3f2c1ab"]);
  });

  it("refuses a ref the repository does not have, echoing it inert, and writes nothing", async () => {
    for (const ref of ["no-such-branch", "deadbeef", "v9.9.9"]) {
      const repository = untagged();
      const result = await cutRelease(depsOf(repository), auto(ref));
      expect(result.reason).toBe("not-found");
      expect(result.message).toBe(
        `\`${ref}\` is not a branch, tag or commit of this repository; nothing was cut.`,
      );
      expect(repository.writes).toEqual([]);
    }
  });

  it("lets a GitHub failure other than not-found through (a retry may succeed)", async () => {
    const repository = untagged();
    repository.listCommits = () => Promise.reject(Object.assign(new Error("Server Error"), { status: 502 }));
    await expect(cutRelease(depsOf(repository), auto("deadbeef"))).rejects.toMatchObject({ status: 502 });
  });
});
