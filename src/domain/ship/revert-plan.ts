import type { TreeSnapshot } from "../release/release-plan.js";

export interface RevertPlan {
  /** Files to write (`null`: delete), applied on main's tree. */
  edits: Map<string, string | null>;
  /** Files the release changed that main changed again since: left as main has them. */
  conflicts: string[];
  /**
   * Workflow files the release changed, left as main has them: GitHub refuses a GitHub App that
   * creates or updates `.github/workflows/*` without the `workflows` permission, which app.yml
   * deliberately does not request (a bot that rewrites CI could rewrite what guards it).
   */
  withheld: string[];
}

/** A GitHub Actions workflow file, which only a token with the `workflows` permission may write. */
const isWorkflowFile = (path: string): boolean => path.startsWith(".github/workflows/");

/**
 * `git revert <tag>` as data: every file the release changed (from the previous release's tree
 * to the release's) goes back to the previous content, unless main changed it since the release.
 * The CHANGELOG keeps its history (the rollback is a new entry, not an erasure); workflow files
 * are withheld (see RevertPlan.withheld).
 */
export const buildRevertPlan = (input: {
  previous: TreeSnapshot;
  released: TreeSnapshot;
  main: TreeSnapshot;
  keep: readonly string[];
}): RevertPlan => {
  const edits = new Map<string, string | null>();
  const conflicts: string[] = [];
  const withheld: string[] = [];
  const paths = new Set([...input.previous.list(), ...input.released.list()]);
  for (const path of [...paths].sort()) {
    if (input.keep.includes(path)) continue;
    const before = input.previous.read(path);
    const after = input.released.read(path);
    if (before === after) continue;
    if (isWorkflowFile(path)) {
      withheld.push(path);
      continue;
    }
    if (input.main.read(path) !== after) {
      conflicts.push(path);
      continue;
    }
    edits.set(path, before ?? null);
  }
  return { edits, conflicts, withheld };
};

/** A tree with edits laid over it, for planning the version bump on the reverted tree. */
export const overlayTree = (base: TreeSnapshot, edits: ReadonlyMap<string, string | null>): TreeSnapshot => ({
  list: () => [
    ...new Set([
      ...base.list().filter((p) => edits.get(p) !== null),
      ...[...edits].filter(([, c]) => c !== null).map(([p]) => p),
    ]),
  ],
  read: (path) => (edits.has(path) ? (edits.get(path) ?? undefined) : base.read(path)),
});
