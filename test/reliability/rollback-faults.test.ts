import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";

/**
 * `/rollback` with a fault that outlasts every retry, through the real app, the sandbox GitHub
 * (with the production retry plugin) and the fake cluster. GitHub's Deployment status write:
 * https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status. The rollback's
 * patch is the JSON patch `kubectl rollout undo` sends (PATCH apps/v1 deployments); a 403 is the
 * API server's RBAC refusal, a 409 a conflicting write
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#patch-and-apply).
 */
jest.setTimeout(180_000);

const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const SERVICES = ["bankchurn", "carvision", "telecom"];

let e2e: EndToEnd;
beforeAll(async () => {
  e2e = await startEndToEnd({ kubernetes: true });
  for (const version of ["1.2.0", "1.3.0"]) {
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: `refs/tags/v${version}`, sha: main ?? "" });
  }
});
afterEach(() => {
  e2e.cluster?.faults.clear();
  e2e.sandbox.faults.clear();
});
afterAll(async () => {
  await e2e?.close();
});

const say = async (user: string, body: string): Promise<{ issue: number; replies: string[] }> => {
  const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: body });
  e2e.sandbox.comment(e2e.repo, issue, user, body);
  await e2e.settle({ timeoutMs: 120_000 });
  return { issue, replies: e2e.repliesTo(issue, user) };
};
const image = (name: string) =>
  e2e.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";
const images = () => SERVICES.map((s) => image(s).replace(/^.*:/, ""));
const rollbacks = () =>
  e2e.sandbox
    .deployments(e2e.repo)
    .filter((d) => d.environment === "staging" && d.task === "deploy:rollback");
const locked = async () =>
  (await e2e.sandbox.getRef(e2e.repo, "refs/release-pilot/locks/staging")) !== undefined;

const PATCH = (name: string) => `/apis/apps/v1/namespaces/ml-staging/deployments/${name}`;

describe("/rollback with faults past the retries", () => {
  it("GitHub refuses every Deployment status: the cluster is rolled back, the reply says so and names GitHub; a re-run finds nothing to do", async () => {
    const deployed = await say("maintainer", "/deploy staging 1.2.0");
    expect(deployed.replies.at(-1)).toContain("succeeded");
    expect(images()).toEqual(["1.2.0", "1.2.0", "1.2.0"]);
    e2e.sandbox.faults.add({ method: "POST", path: /\/deployments\/\d+\/statuses$/, status: 500 });
    const first = await say("maintainer", "/rollback staging 1.1.0");
    // Never "failed" for a rollback that happened: each service's state, and what GitHub refused.
    expect(first.replies).toHaveLength(2);
    expect(first.replies[0]).toContain("↩️ Rolling `staging` back to **1.1.0**");
    const [record] = rollbacks();
    expect(first.replies[1]).toMatch(/^↩️ `staging` rolled back to \*\*1\.1\.0\*\*:/);
    for (const name of SERVICES)
      expect(first.replies[1]).toMatch(
        new RegExp(`- \`${name}\` → revision \\d+ \\(\`ghcr\\.io/duqueom/${name}-api:1\\.1\\.0\`\\)`),
      );
    // A /rollback's record goes from pending to its outcome: the one status it writes is refused.
    expect(first.replies[1]).not.toContain("`in_progress` status");
    expect(first.replies[1]).toContain(
      `⚠️ GitHub refused the \`success\` status of deployment ${record?.id} (GitHub answered 500)`,
    );
    expect(images()).toEqual(["1.1.0", "1.1.0", "1.1.0"]);
    expect(await locked()).toBe(false);

    e2e.sandbox.faults.clear();
    const again = await say("maintainer", "/rollback staging 1.1.0");
    expect(again.replies).toEqual([expect.stringMatching(/^Nothing to roll back on `staging`:/)]);
    expect(rollbacks()).toHaveLength(1);
    expect(images()).toEqual(["1.1.0", "1.1.0", "1.1.0"]);
    expect(e2e.sandbox.violations).toEqual([]);
  });

  it.each([
    [
      "403 (RBAC)",
      "carvision",
      403,
      /Kubernetes answered 403/,
      "Kubernetes refused release-pilot permission: give the app's role `patch` on deployments in the namespace `ml-staging` (see docs/kubernetes.md), then run `/rollback staging 1.2.0` again.",
    ],
    [
      "409 (a conflicting write, past the adapter's three tries)",
      "telecom",
      409,
      /Kubernetes answered 409/,
      "Nothing is retried by itself: run `/rollback staging 1.2.0` again once the cause is fixed; `/status staging` shows each service.",
    ],
  ])(
    "Kubernetes refuses one service's patch with %s: all or nothing, each service's state told; a re-run completes once",
    async (_name, refused, status, named, next) => {
      const deployed = await say("maintainer", "/deploy staging 1.3.0");
      expect(deployed.replies.at(-1)).toContain("succeeded");
      expect(images()).toEqual(["1.3.0", "1.3.0", "1.3.0"]);
      const before = rollbacks().length;
      e2e.cluster?.faults.add({ method: "PATCH", path: PATCH(refused), status });
      const first = await say("maintainer", "/rollback staging 1.2.0");
      expect(first.replies).toHaveLength(1);
      const reply = first.replies[0] ?? "";
      expect(reply).toMatch(
        new RegExp(
          `^❌ Rolling \`staging\` back to \\*\\*1\\.2\\.0\\*\\* failed: \`${refused}\` could not be patched \\(Kubernetes answered ${status}\\)`,
        ),
      );
      expect(reply).toMatch(named);
      // What happens next is said as it is: nothing tries again by itself.
      expect(reply).toContain(next);
      expect(reply).not.toContain("tries again");
      for (const name of SERVICES)
        expect(reply).toContain(
          name === refused
            ? `- \`${name}\`: not rolled back (Kubernetes answered ${status}`
            : `- \`${name}\`: put back on \`ghcr.io/duqueom/${name}-api:1.3.0\``,
        );
      // Not left on mixed versions; nothing recorded; the lock given back.
      expect(images()).toEqual(["1.3.0", "1.3.0", "1.3.0"]);
      expect(rollbacks()).toHaveLength(before);
      expect(await locked()).toBe(false);

      e2e.cluster?.faults.clear();
      const again = await say("maintainer", "/rollback staging 1.2.0");
      expect(again.replies.at(-1)).toMatch(/^↩️ `staging` rolled back to \*\*1\.2\.0\*\*:/);
      expect(images()).toEqual(["1.2.0", "1.2.0", "1.2.0"]);
      expect(rollbacks()).toHaveLength(before + 1);
      const newest = rollbacks().reduce((a, b) => (b.id > a.id ? b : a));
      expect(newest.ref).toBe("v1.2.0");
      expect(newest.statuses.map((x) => x.state)).toEqual(["success"]);
      expect(await locked()).toBe(false);
    },
  );

  it.each([
    ["the Deployment", "GET", PATCH("bankchurn"), "`get` on `deployments`"],
    ["the ReplicaSets", "GET", "/apis/apps/v1/namespaces/ml-staging/replicasets", "`list` on `replicasets`"],
  ])(
    "Kubernetes refuses the first read of %s (403, RBAC): the reply names the permission to grant; nothing is patched, recorded or locked",
    async (_what, method, path, permission) => {
      // Refused before any plan exists, so whatever the services run stays as it is.
      const running = images();
      const before = rollbacks().length;
      const patches = e2e.cluster?.requests.filter((x) => x.method === "PATCH").length;
      e2e.cluster?.faults.add({ method, path, status: 403 });
      const first = await say("maintainer", "/rollback staging 1.2.0");
      expect(first.replies).toEqual([
        `❌ Cannot roll \`staging\` back: Kubernetes refused release-pilot permission (403): give the app's role ${permission} (API group \`apps\`) in the namespace \`ml-staging\` (see docs/kubernetes.md), then run \`/rollback staging 1.2.0\` again. Nothing was changed.`,
      ]);
      expect(e2e.cluster?.requests.filter((x) => x.method === "PATCH").length).toBe(patches);
      expect(images()).toEqual(running);
      expect(rollbacks()).toHaveLength(before);
      expect(await locked()).toBe(false);
    },
  );
});
