// The app runs its release guide (the demo's steps) with exactly app.yml's permissions:
// every request it makes goes through an installation access token carrying app.yml's
// `default_permissions`, each route holds it to the permission GitHub's table requires
// (https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps), so a
// permission missing from app.yml is a 403 here and a failed step. And an installation missing
// one does fail the flow.
import { describe, expect, it } from "@jest/globals";
import { readAppPermissions } from "../../../sandbox/github/permissions.js";
import { allowed, requiredPermissions } from "../../../sandbox/github/route-permissions.js";
import { startEndToEnd } from "../../../sandbox/harness/e2e.js";
import type { DemoContext } from "../../../demo/demo-context.js";
import { checklistSteps } from "../../../demo/steps/checklist-steps.js";
import { deploySteps } from "../../../demo/steps/deploy-steps.js";
import { releaseSteps } from "../../../demo/steps/release-steps.js";
import { shipSteps } from "../../../demo/steps/ship-steps.js";
import type { RequestRecord } from "../../../sandbox/github/index.js";

// The demo's steps but its canary analysis (the same deploy calls, paced by a fast-forwarded clock
// that Jest on a loaded machine cannot keep to; `npm run demo` plays it on this same sandbox).
const steps = [...releaseSteps, ...checklistSteps, ...shipSteps, ...deploySteps];

describe("the app with app.yml's permissions", () => {
  it("plays every demo step, each request granted by app.yml", async () => {
    const stack = await startEndToEnd({ kubernetes: true, prometheus: true, fastForward: true });
    const seen: RequestRecord[] = [];
    const failed: string[] = [];
    try {
      // The demo's steps wait with `sandbox.settled()`; under Jest on a loaded machine its 50 ms of
      // quiet can fall between two of the app's API calls, so here settling asks for 1.5 s of
      // quiet and also waits for the app's background jobs.
      const sandbox = Object.assign(Object.create(stack.sandbox) as typeof stack.sandbox, {
        settled: async (options?: { timeoutMs?: number }) => {
          await stack.sandbox.settled({ ...options, quietMs: 1500 });
          await stack.jobs.idle();
          await stack.sandbox.settled({ ...options, quietMs: 1500 });
        },
      });
      const context: DemoContext = {
        ...stack,
        sandbox,
        memory: new Map(),
        lastBotComment: (number) =>
          stack.sandbox
            .issue(stack.repo, number)
            .comments.filter((c) => c.user.login === `${stack.sandbox.appSlug}[bot]`)
            .at(-1)?.body ?? "",
      };
      for (const step of steps) {
        stack.sandbox.resetRequests();
        await step.run(context).catch((e: unknown) => failed.push(`${step.title}: ${String(e)}`));
        seen.push(...stack.sandbox.requests);
      }
      expect(failed).toEqual([]);
      expect(stack.sandbox.violations).toEqual([]);
    } finally {
      await stack.close();
    }
    const granted = readAppPermissions();
    // The app's repository calls all went through installation tokens with app.yml's permissions.
    const repoCalls = seen.filter((r) => r.fromApp && r.path.startsWith("/repos/"));
    expect(repoCalls.length).toBeGreaterThan(100);
    const withoutToken = repoCalls.filter((r) => r.installationToken === undefined);
    expect(withoutToken.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    for (const r of repoCalls) expect(r.installationToken).toEqual(granted);
    // None refused, and each needed only what app.yml grants.
    expect(repoCalls.filter((r) => r.status === 403).map((r) => r.operationId)).toEqual([]);
    const ungranted = repoCalls.filter((r) => {
      const rule = r.operationId ? requiredPermissions(r.operationId, r.method) : undefined;
      return rule !== "jwt" && (rule === undefined || !allowed(granted, rule));
    });
    expect(ungranted.map((r) => r.operationId)).toEqual([]);
  }, 900_000);
});

describe("an installation missing a permission the app needs", () => {
  it("fails /release: contents read-only cannot cut the branch", async () => {
    const stack = await startEndToEnd({ permissions: { ...readAppPermissions(), contents: "read" } });
    try {
      const { sandbox, repo } = stack;
      const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
      sandbox.comment(repo, issue, "maintainer", "/release 1.2.0");
      await stack.settle({ timeoutMs: 120_000 });
      expect(await sandbox.getRef(repo, "heads/release/v1.2.0")).toBeUndefined();
      const refused = sandbox.requests.filter((r) => r.fromApp && r.status === 403);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((r) => r.operationId?.startsWith("git/create-"))).toBe(true);
      expect(stack.repliesTo(issue, "maintainer").join("\n")).not.toMatch(/Release \*\*v1\.2\.0\*\* is cut/);
    } finally {
      await stack.close();
    }
  }, 300_000);
});
