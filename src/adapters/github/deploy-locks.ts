/**
 * Locks as git refs (`refs/release-pilot/locks/<env>`) pointing at a commit whose message is the
 * lock: creating a ref is atomic on GitHub, and 422 means someone holds it. Watch claims use
 * `refs/release-pilot/watch/<key>` the same way.
 */
import {
  type EnvironmentLock,
  parseLockMessage,
  renderLockMessage,
} from "../../domain/deploy/environment-lock.js";
import type { AcquireResult, Locks } from "../../ports/locks.js";
import type { Octokit, RepoRef } from "./octokit.js";

const LOCKS = "release-pilot/locks/";
const WATCH = "release-pilot/watch/";

const statusOf = (e: unknown): number | undefined =>
  typeof e === "object" && e !== null && "status" in e ? Number(e.status) : undefined;

export class GitHubRefLocks implements Locks {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  /** A parentless commit holding `text` as message and as the file `lock.txt`. */
  private async commitOf(text: string): Promise<string> {
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repo,
      tree: [{ path: "lock.txt", mode: "100644", type: "blob", content: text }],
    });
    const { data: commit } = await this.octokit.rest.git.createCommit({
      ...this.repo,
      message: text,
      tree: tree.sha,
      parents: [],
    });
    return commit.sha;
  }

  /** True when created, false when the ref already exists. */
  private async createRef(ref: string, text: string): Promise<boolean> {
    const sha = await this.commitOf(text);
    try {
      await this.octokit.rest.git.createRef({ ...this.repo, ref: `refs/${ref}`, sha });
      return true;
    } catch (e) {
      if (statusOf(e) === 422) return false;
      throw e;
    }
  }

  private async deleteRef(ref: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.deleteRef({ ...this.repo, ref });
      return true;
    } catch (e) {
      if (statusOf(e) === 422 || statusOf(e) === 404) return false;
      throw e;
    }
  }

  private async lockAt(sha: string): Promise<EnvironmentLock | undefined> {
    const { data } = await this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: sha });
    return parseLockMessage(data.message);
  }

  async acquire(lock: EnvironmentLock): Promise<AcquireResult> {
    if (await this.createRef(`${LOCKS}${lock.env}`, renderLockMessage(lock))) return { kind: "acquired" };
    return { kind: "held", lock: await this.get(lock.env) };
  }

  async get(env: string): Promise<EnvironmentLock | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repo, ref: `${LOCKS}${env}` });
      return await this.lockAt(data.object.sha);
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }

  release(env: string): Promise<boolean> {
    return this.deleteRef(`${LOCKS}${env}`);
  }

  async list(): Promise<EnvironmentLock[]> {
    let refs: { object: { sha: string } }[];
    try {
      ({ data: refs } = await this.octokit.rest.git.listMatchingRefs({ ...this.repo, ref: LOCKS }));
    } catch (e) {
      if (statusOf(e) === 404) return [];
      throw e;
    }
    const locks = await Promise.all(refs.map((r) => this.lockAt(r.object.sha)));
    return locks.filter((l): l is EnvironmentLock => l !== undefined);
  }

  claim(key: string, holder: string): Promise<boolean> {
    return this.createRef(`${WATCH}${key}`, `release-pilot watch: ${key}\n\nholder: ${holder}\n`);
  }

  async unclaim(key: string): Promise<void> {
    await this.deleteRef(`${WATCH}${key}`);
  }

  async claimedBy(key: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repo, ref: `${WATCH}${key}` });
      const { data: commit } = await this.octokit.rest.git.getCommit({
        ...this.repo,
        commit_sha: data.object.sha,
      });
      return /^holder: (.+)$/m.exec(commit.message)?.[1]?.trim();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
  }
}
