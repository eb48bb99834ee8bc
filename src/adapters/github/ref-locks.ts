/**
 * Locks as git refs (`refs/release-pilot/locks/<env>`): creating a ref is atomic on GitHub, and
 * 422 "Reference already exists" means someone holds it (other 422s are told apart in
 * ref-write.ts; https://docs.github.com/en/rest/git/refs#create-a-reference). A deploy's or
 * rollback's lock is that one ref onto a commit that already exists (the one being deployed, or
 * the default branch's head): who holds it, why and since when are in the payload of the
 * Deployment record the run creates anyway (`lock.at` names the same commit). A `/lock` taken by
 * hand, which has no record, points at a commit of its own whose message is the lock (parentless,
 * on the shared lock tree; a deployed commit has its history, which tells the two forms apart);
 * locks every run wrote that way before are read and released the same way.
 *
 * Watch claims use `refs/release-pilot/watch/<key>` onto a claim commit; a claim is taken over by
 * a commit whose parent is the claim found, moved in without force (GitHub refuses with 422 what
 * is not a fast-forward, so of two instances taking one claim over, one wins). A driver's first
 * claim on a record it created is carried by that record instead (watch-claims.ts): these refs
 * are only written on a take-over, a renewal or a hand-over.
 */
import {
  type EnvironmentLock,
  parseLockMessage,
  renderLockMessage,
} from "../../domain/deploy/lock-message.js";
import { parseWatchClaim, renderWatchClaim, type WatchClaim } from "../../domain/deploy/watch-claim.js";
import type { AcquireResult, Locks, StoredClaim } from "../../ports/locks.js";
import { LOCK_TREE_FILE, LOCK_TREE_TEXT, lockTreeSha } from "./lock-tree.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";
import { refRefusalOf, writeRef } from "./ref-write.js";

const LOCKS = "release-pilot/locks/";
const WATCH = "release-pilot/watch/";
const LOCK_TREE = lockTreeSha();

export class GitHubRefLocks implements Locks {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: RepoRef,
  ) {}

  /**
   * A commit holding `text` as its message (parentless by default), on the shared lock tree:
   * one call once that tree exists in the repository, two the first time.
   */
  private async commitOf(text: string, parents: string[] = []): Promise<string> {
    const commit = (tree: string) =>
      this.octokit.rest.git.createCommit({ ...this.repo, message: text, tree, parents });
    try {
      return (await commit(LOCK_TREE)).data.sha;
    } catch (e) {
      if (httpStatusOf(e) !== 422) throw e;
    }
    const { data: tree } = await this.octokit.rest.git.createTree({
      ...this.repo,
      tree: [{ path: LOCK_TREE_FILE, mode: "100644", type: "blob", content: LOCK_TREE_TEXT }],
    });
    return (await commit(tree.sha)).data.sha;
  }

  /** The new ref's commit, or undefined when the ref already exists. */
  private async createRef(ref: string, text: string): Promise<string | undefined> {
    const sha = await this.commitOf(text);
    // Only "Reference already exists" means held: a ruleset refusal or a failure that outlasts
    // the retries throws (ref-write.ts), never reads as a lock held by nobody.
    const written = await writeRef(`refs/${ref}`, ["exists"], () =>
      this.octokit.rest.git.createRef({ ...this.repo, ref: `refs/${ref}`, sha }),
    );
    return "ok" in written ? sha : undefined;
  }

  private async refSha(ref: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.rest.git.getRef({ ...this.repo, ref });
      return data.object.sha;
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
    }
  }

  private async deleteRef(ref: string): Promise<boolean> {
    try {
      await this.octokit.rest.git.deleteRef({ ...this.repo, ref });
      return true;
    } catch (e) {
      // Gone already ("Reference does not exist", or 404); a ruleset refusal is not "gone".
      if (httpStatusOf(e) === 404 || refRefusalOf(e) === "missing-ref") return false;
      throw e;
    }
  }

  /**
   * The lock a ref of `env` points at: a lock commit says it all; any other commit is a deploy's
   * bare ref, whose holder the Deployment record names (stale-lock.ts).
   */
  private async lockAt(env: string, sha: string): Promise<EnvironmentLock | undefined> {
    const { data } = await this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: sha });
    // A lock commit has no parent and says it is one (older versions wrote them on other trees);
    // a deployed commit whose message only looks like a lock still has its history.
    const lock =
      data.parents.length === 0 || data.tree.sha === LOCK_TREE ? parseLockMessage(data.message) : undefined;
    return lock ?? { env, holder: "", reason: "", since: "", kind: "deploy", at: sha };
  }

  async acquire(lock: EnvironmentLock, options: { onto?: string } = {}): Promise<AcquireResult> {
    if (options.onto !== undefined) {
      // The commit `onto` names (a tag, branch or SHA), peeled: GET /repos/{owner}/{repo}/commits/{ref}
      // (https://docs.github.com/en/rest/commits/commits#get-a-commit).
      const { data } = await this.octokit.rest.repos.getCommit({
        ...this.repo,
        ref: options.onto,
        per_page: 1,
      });
      const ref = `refs/${LOCKS}${lock.env}`;
      const written = await writeRef(ref, ["exists"], () =>
        this.octokit.rest.git.createRef({ ...this.repo, ref, sha: data.sha }),
      );
      if ("ok" in written) return { kind: "acquired", at: data.sha };
    } else if (await this.createRef(`${LOCKS}${lock.env}`, renderLockMessage(lock)))
      return { kind: "acquired" };
    return { kind: "held", lock: await this.get(lock.env) };
  }

  async get(env: string): Promise<EnvironmentLock | undefined> {
    const sha = await this.refSha(`${LOCKS}${env}`);
    return sha === undefined ? undefined : this.lockAt(env, sha);
  }

  release(env: string): Promise<boolean> {
    return this.deleteRef(`${LOCKS}${env}`);
  }

  async list(): Promise<EnvironmentLock[]> {
    let refs: { ref: string; object: { sha: string } }[];
    try {
      ({ data: refs } = await this.octokit.rest.git.listMatchingRefs({ ...this.repo, ref: LOCKS }));
    } catch (e) {
      if (httpStatusOf(e) === 404) return [];
      throw e;
    }
    const locks = await Promise.all(
      refs.map((r) => this.lockAt(r.ref.slice(`refs/${LOCKS}`.length), r.object.sha)),
    );
    return locks.filter((l): l is EnvironmentLock => l !== undefined);
  }

  claim(claim: WatchClaim): Promise<string | undefined> {
    return this.createRef(`${WATCH}${claim.key}`, renderWatchClaim(claim));
  }

  async takeOver(version: string, claim: WatchClaim): Promise<string | undefined> {
    const sha = await this.commitOf(renderWatchClaim(claim), [version]);
    try {
      // Not a fast-forward (someone moved it first) or no such ref (someone released it).
      const written = await writeRef(`refs/${WATCH}${claim.key}`, ["not-fast-forward", "missing-ref"], () =>
        this.octokit.rest.git.updateRef({ ...this.repo, ref: `${WATCH}${claim.key}`, sha, force: false }),
      );
      return "ok" in written ? sha : undefined;
    } catch (e) {
      if (httpStatusOf(e) === 404) return undefined;
      throw e;
    }
  }

  async unclaim(key: string): Promise<void> {
    await this.deleteRef(`${WATCH}${key}`);
  }

  claimVersion(key: string): Promise<string | undefined> {
    return this.refSha(`${WATCH}${key}`);
  }

  async getClaim(key: string): Promise<StoredClaim | undefined> {
    const version = await this.claimVersion(key);
    if (!version) return undefined;
    const { data: commit } = await this.octokit.rest.git.getCommit({ ...this.repo, commit_sha: version });
    const parsed = parseWatchClaim(commit.message);
    // A claim ref we cannot read still names someone: keep it for the ordinary expiry.
    return {
      holder: parsed?.holder ?? "unknown",
      ...(parsed?.expires ? { expires: parsed.expires } : {}),
      claimedAt: commit.committer.date,
      version,
    };
  }
}
