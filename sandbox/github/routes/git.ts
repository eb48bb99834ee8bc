// Git database endpoints: refs, blobs, trees, commits and annotated tags, on the real repository.
import { gitCommitJson } from "../commit-json.js";
import { writeRef } from "../events.js";
import type { GitPerson, TreeEdit } from "../git-store.js";
import { nodeId, repoApi } from "../payloads.js";
import { HttpError, notFound, ok, register, repoOf, str, unprocessable, type Ctx } from "../router.js";
import type { Repo } from "../state.js";
import { missingChecks } from "../branch-protection.js";
import { personFor } from "../git-person.js";
import { filesIntroduced, workflowRefusal } from "../permissions.js";
import { rulesetRefusal, type RefWrite } from "../rulesets.js";

/**
 * Rulesets on a ref write: the Git refs API answers a broken rule with 422 and GitHub's
 * "Repository rule violations found" message (rulesets.ts; https://docs.github.com/en/rest/git/refs).
 */
function refuseByRulesets(ctx: Ctx, repo: Repo, write: Omit<RefWrite, "byApp">): void {
  const refusal = rulesetRefusal(repo, { ...write, byApp: ctx.viaApp !== undefined });
  if (refusal) throw unprocessable(refusal);
}

async function refJson(ctx: Ctx, repo: Repo, ref: string, sha: string) {
  const type = (await repo.git.objectType(sha)) ?? "commit";
  const api = repoApi(ctx.world, repo);
  const kind = type === "tag" ? "tags" : type === "tree" ? "trees" : type === "blob" ? "blobs" : "commits";
  return {
    ref,
    node_id: nodeId("Ref", ref),
    url: `${api}/git/${ref}`,
    object: { type, sha, url: `${api}/git/${kind}/${sha}` },
  };
}

function fullRef(ref: string): string {
  return ref.startsWith("refs/") ? ref : `refs/${ref}`;
}

async function getRef(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = fullRef(ctx.params.ref ?? "");
  const sha = await repo.git.readRef(ref);
  if (!sha || !(await repo.git.listRefs(ref)).some((r) => r.ref === ref)) throw notFound();
  return ok(await refJson(ctx, repo, ref, sha));
}

async function matchingRefs(ctx: Ctx) {
  const repo = repoOf(ctx);
  const prefix = fullRef(ctx.params.ref ?? "");
  const refs = (await repo.git.listRefs("refs/")).filter((r) => r.ref.startsWith(prefix));
  return ok(await Promise.all(refs.map((r) => refJson(ctx, repo, r.ref, r.sha))));
}

/**
 * The workflows rule on a ref write by the App (permissions.ts): refused when the commits it brings
 * change `.github/workflows/*` and the installation lacks `workflows: write`. The Git refs API
 * answers its refusals with 422 (https://docs.github.com/en/rest/git/refs#create-a-reference).
 */
async function refuseWorkflowWrites(ctx: Ctx, repo: Repo, sha: string): Promise<void> {
  if (!ctx.fromApp) return;
  const refusal = workflowRefusal(ctx.world.installationPermissions, await filesIntroduced(repo, sha));
  if (refusal) throw unprocessable(refusal);
}

async function createRef(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = str(ctx.body.ref, "ref");
  const sha = str(ctx.body.sha, "sha");
  if (!ref.startsWith("refs/") || ref.split("/").length < 3) {
    throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
  }
  if (!(await repo.git.objectType(sha))) throw unprocessable("Object does not exist");
  if (await repo.git.readRef(ref)) throw unprocessable("Reference already exists");
  refuseByRulesets(ctx, repo, { ref, kind: "create", sha });
  await refuseWorkflowWrites(ctx, repo, sha);
  try {
    await writeRef(ctx, repo, ctx.actor, ref, sha, false, null); // created only if still absent
  } catch {
    throw unprocessable("Reference already exists"); // lost a race with a concurrent create
  }
  return ok(await refJson(ctx, repo, ref, sha), 201, { location: `${repoApi(ctx.world, repo)}/git/${ref}` });
}

async function updateRef(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = fullRef(ctx.params.ref ?? "");
  const sha = str(ctx.body.sha, "sha");
  const current = await repo.git.readRef(ref);
  if (!current) throw unprocessable("Reference does not exist");
  if (!(await repo.git.objectType(sha))) throw unprocessable("Object does not exist");
  const force = ctx.body.force === true;
  const fastForward = ref.startsWith("refs/tags/") ? false : await repo.git.isAncestor(current, sha);
  if (!force && !fastForward && current !== sha) throw unprocessable("Update is not a fast forward");
  refuseByRulesets(ctx, repo, { ref, kind: "update", sha, force: !fastForward && current !== sha });
  await refuseWorkflowWrites(ctx, repo, sha);
  const branch = ref.replace(/^refs\/heads\//, "");
  if (ref.startsWith("refs/heads/") && repo.protections.get(branch)?.requiredApprovals)
    throw unprocessable(
      `Protected branch update failed for ${ref}.\n\nChanges must be made through a pull request.`,
    );
  const missing = ref.startsWith("refs/heads/") ? missingChecks(repo, branch, sha) : [];
  if (missing.length > 0) {
    // Required status checks guard pushes to a protected branch, not only merges.
    throw unprocessable(
      `Protected branch update failed for ${ref}.\n\nRequired status check "${missing[0]}" is expected.`,
    );
  }
  try {
    // Checked against `current`: a concurrent move since the check is not a fast forward.
    await writeRef(ctx, repo, ctx.actor, ref, sha, !fastForward, force ? undefined : current);
  } catch {
    throw unprocessable("Update is not a fast forward");
  }
  return ok(await refJson(ctx, repo, ref, sha));
}

async function deleteRef(ctx: Ctx) {
  const repo = repoOf(ctx);
  const ref = fullRef(ctx.params.ref ?? "");
  if (!(await repo.git.readRef(ref))) throw unprocessable("Reference does not exist");
  refuseByRulesets(ctx, repo, { ref, kind: "delete" });
  await writeRef(ctx, repo, ctx.actor, ref, undefined);
  return { status: 204 };
}

async function createBlob(ctx: Ctx) {
  const repo = repoOf(ctx);
  const content = typeof ctx.body.content === "string" ? ctx.body.content : "";
  const encoding = ctx.body.encoding === "base64" ? "base64" : "utf8";
  const sha = await repo.git.hashBlob(Buffer.from(content, encoding));
  return ok({ url: `${repoApi(ctx.world, repo)}/git/blobs/${sha}`, sha }, 201, {
    location: `${repoApi(ctx.world, repo)}/git/blobs/${sha}`,
  });
}

async function getBlob(ctx: Ctx) {
  const repo = repoOf(ctx);
  const sha = ctx.params.file_sha ?? "";
  if ((await repo.git.objectType(sha)) !== "blob") throw notFound();
  const content = await repo.git.readBlob(sha);
  return ok({
    sha,
    node_id: nodeId("Blob", sha),
    url: `${repoApi(ctx.world, repo)}/git/blobs/${sha}`,
    size: content.length,
    content: content.toString("base64"),
    encoding: "base64",
  });
}

async function treeJson(ctx: Ctx, repo: Repo, sha: string, recursive: boolean) {
  const api = repoApi(ctx.world, repo);
  const entries = await repo.git.lsTree(sha, recursive);
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    truncated: false,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size === undefined ? {} : { size: e.size }),
      url: `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`,
    })),
  };
}

interface TreeItem {
  path?: string;
  mode?: string;
  type?: string;
  sha?: string | null;
  content?: string;
}

async function createTree(ctx: Ctx) {
  const repo = repoOf(ctx);
  const items = (ctx.body.tree ?? []) as TreeItem[];
  const base = typeof ctx.body.base_tree === "string" ? ctx.body.base_tree : undefined;
  if (base && (await repo.git.objectType(base)) === undefined) throw unprocessable("Invalid tree info");
  const edits = new Map<string, TreeEdit>();
  for (const item of items) {
    if (!item.path) throw unprocessable("Invalid tree info", ["tree.path wasn't supplied"]);
    const mode = item.mode ?? "100644";
    if (item.content !== undefined) {
      edits.set(item.path, { mode, sha: await repo.git.hashBlob(item.content) });
    } else if (item.sha === null) {
      if (!base)
        throw unprocessable(
          "Must supply a valid tree.sha or tree.content. Deleting a file requires base_tree.",
        );
      edits.set(item.path, null);
    } else if (typeof item.sha === "string") {
      if (!(await repo.git.objectType(item.sha)))
        throw unprocessable(`tree.sha ${item.sha} is not a valid ${item.type ?? "blob"}`);
      edits.set(item.path, { mode, sha: item.sha });
    } else {
      throw unprocessable("Must supply either tree.sha or tree.content");
    }
  }
  const baseTree = base
    ? (await repo.git.objectType(base)) === "commit"
      ? (await repo.git.readCommit(base)).tree
      : base
    : undefined;
  const sha = await repo.git.buildTree(baseTree, edits);
  return ok(await treeJson(ctx, repo, sha, false), 201, {
    location: `${repoApi(ctx.world, repo)}/git/trees/${sha}`,
  });
}

async function getTree(ctx: Ctx) {
  const repo = repoOf(ctx);
  let sha = ctx.params.tree_sha ?? "";
  const type = await repo.git.objectType(sha);
  if (!type) {
    const resolved = await repo.git.resolve(sha);
    if (!resolved) throw notFound();
    sha = resolved;
  }
  if (type === "commit" || !type) sha = (await repo.git.readCommit(sha)).tree;
  const recursive = ctx.query.has("recursive") && !["0", "false"].includes(ctx.query.get("recursive")!);
  return ok(await treeJson(ctx, repo, sha, recursive));
}

async function createCommit(ctx: Ctx) {
  const repo = repoOf(ctx);
  const tree = str(ctx.body.tree, "tree");
  if ((await repo.git.objectType(tree)) !== "tree") throw unprocessable("Tree SHA does not exist");
  const parents = (ctx.body.parents ?? []) as string[];
  for (const p of parents) {
    if ((await repo.git.objectType(p)) !== "commit")
      throw unprocessable("Parent SHA does not exist or is not a commit object");
  }
  const author = personFor(ctx.world, ctx.actor, ctx.body.author);
  const committer = ctx.body.committer
    ? personFor(ctx.world, ctx.actor, ctx.body.committer)
    : { ...author, date: (ctx.body.author as GitPerson | undefined)?.date ?? author.date };
  const sha = await repo.git.commitTree(tree, parents, str(ctx.body.message, "message"), author, committer);
  const json = gitCommitJson(ctx.world, repo, await repo.git.readCommit(sha));
  return ok(json, 201, { location: String(json.url) });
}

async function getCommit(ctx: Ctx) {
  const repo = repoOf(ctx);
  const sha = ctx.params.commit_sha ?? "";
  if ((await repo.git.objectType(sha)) !== "commit") throw notFound();
  return ok(gitCommitJson(ctx.world, repo, await repo.git.readCommit(sha)));
}

async function tagJson(ctx: Ctx, repo: Repo, sha: string) {
  const t = await repo.git.readTag(sha);
  const api = repoApi(ctx.world, repo);
  return {
    node_id: nodeId("Tag", sha),
    tag: t.tag,
    sha,
    url: `${api}/git/tags/${sha}`,
    message: t.message.replace(/\n$/, ""),
    tagger: t.tagger,
    object: {
      type: t.type,
      sha: t.object,
      url: `${api}/git/${t.type === "commit" ? "commits" : `${t.type}s`}/${t.object}`,
    },
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

async function createTag(ctx: Ctx) {
  const repo = repoOf(ctx);
  const object = str(ctx.body.object, "object");
  const type = (await repo.git.objectType(object)) ?? "";
  if (type !== ctx.body.type) throw unprocessable("Object does not exist");
  const tagger = personFor(ctx.world, ctx.actor, ctx.body.tagger);
  let sha: string;
  try {
    sha = await repo.git.createTag(
      object,
      type,
      str(ctx.body.tag, "tag"),
      String(ctx.body.message ?? ""),
      tagger,
    );
  } catch (error) {
    throw new HttpError(422, `Invalid tag: ${(error as Error).message.split("\n")[0]}`);
  }
  return ok(await tagJson(ctx, repo, sha), 201, { location: `${repoApi(ctx.world, repo)}/git/tags/${sha}` });
}

async function getTag(ctx: Ctx) {
  const repo = repoOf(ctx);
  const sha = ctx.params.tag_sha ?? "";
  if ((await repo.git.objectType(sha)) !== "tag") throw notFound();
  return ok(await tagJson(ctx, repo, sha));
}

register({
  "git/get-ref": getRef,
  "git/list-matching-refs": matchingRefs,
  "git/create-ref": createRef,
  "git/update-ref": updateRef,
  "git/delete-ref": deleteRef,
  "git/create-blob": createBlob,
  "git/get-blob": getBlob,
  "git/create-tree": createTree,
  "git/get-tree": getTree,
  "git/create-commit": createCommit,
  "git/get-commit": getCommit,
  "git/create-tag": createTag,
  "git/get-tag": getTag,
});
