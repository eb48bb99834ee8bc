import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { until } from "../../sandbox/harness/app-process.js";
import { type ProcessStage, startProcessStage } from "./support/process-stage.js";

/**
 * A `/rollback` whose final Deployment status GitHub refuses past every retry (403 on
 * `POST /repos/{owner}/{repo}/deployments/{id}/statuses`, which Octokit's retry plugin does not
 * retry: https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status), so its
 * record stays `in_progress` after the rollback was told; then release-pilot restarts. The next
 * start concludes the record from the told result and edits that reply: one report per rollback,
 * nothing patched again, no second reply.
 */
jest.setTimeout(150_000);

const R = "/repos/duqueom/ml-mlops-portfolio";
const FINAL = ["success", "failure", "error", "inactive"];
const SERVICES = ["bankchurn", "carvision", "telecom"];

let s: ProcessStage;
beforeAll(async () => {
  s = await startProcessStage({ kubernetes: true, tags: ["1.2.0"] });
});
afterEach(async () => {
  await s.stopApps();
  s.sandbox.faults.clear();
});
afterAll(async () => {
  await s?.close();
});

const image = (name: string) =>
  s.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";
const rollbackRecord = () =>
  s.sandbox.deployments(s.repo).find((d) => d.environment === "staging" && d.task === "deploy:rollback");
const states = (id: number) =>
  (s.sandbox.deployments(s.repo).find((d) => d.id === id)?.statuses ?? []).map((x) => x.state);
const ref = (name: string) => s.sandbox.getRef(s.repo, `refs/release-pilot/${name}`);
const rolledBack = (issue: number) => s.botReplies(issue).filter((b) => b.includes("rolled back to"));

describe("a rollback whose final status GitHub refused, concluded by the next start", () => {
  it("the record says success, the one report is edited, nothing is patched again, no second reply", async () => {
    await s.start("pod-a");
    const deployIssue = await s.sandbox.openIssue(s.repo, "developer", { title: "ship 1.2.0" });
    s.sandbox.comment(s.repo, deployIssue, "developer", "/deploy staging 1.2.0");
    await until(
      "the deploy told",
      () => s.botReplies(deployIssue).some((b) => b.includes("succeeded")),
      60_000,
    );
    await until("the lock given back", async () => !(await ref("locks/staging")));
    for (const name of SERVICES) expect(image(name)).toMatch(/:1\.2\.0$/);

    // The rollback under way (its record written; a rollback's record goes from pending straight
    // to its outcome, so it has no status yet), then its one status refused.
    s.cluster?.stopTicking();
    const issue = await s.sandbox.openIssue(s.repo, "maintainer", { title: "roll back" });
    s.sandbox.comment(s.repo, issue, "maintainer", "/rollback staging 1.1.0");
    const id = await until("the rollback under way", () => rollbackRecord()?.id);
    s.sandbox.faults.add({ method: "POST", path: `${R}/deployments/${id}/statuses`, status: 403 });
    s.cluster?.startTicking(5);
    await until("the rollback told", () => rolledBack(issue).length > 0, 60_000).catch((e: Error) => {
      throw new Error(
        `${e.message}; replies ${JSON.stringify(s.botReplies(issue))}\n${s.output().slice(-3000)}`,
      );
    });
    await until("the lock given back", async () => !(await ref("locks/staging")));
    await s.sandbox.settled({ timeoutMs: 30_000 });

    const [told] = rolledBack(issue);
    expect(told).toMatch(/^↩️ `staging` rolled back to \*\*1\.1\.0\*\*:/);
    expect(told).toContain(
      `⚠️ GitHub refused the \`success\` status of deployment ${id} (GitHub answered 403): its record does not show this; the services are as listed above. The next start of release-pilot writes it.`,
    );
    expect(states(id)).toEqual([]);
    for (const name of SERVICES) expect(image(name)).toMatch(/:1\.1\.0$/);
    const writes = s.cluster?.requests.filter((r) => r.method !== "GET").length;
    const replies = s.botReplies(issue).length;

    // Restarted with the fault gone: the record concluded from the reply, which is edited.
    await s.stopApps();
    s.sandbox.faults.clear();
    await s.start("pod-a");
    await until(
      "the record concluded on start",
      async () => FINAL.includes(states(id).at(-1) ?? "") && !(await ref(`watch/deployment-${id}`)),
      60_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}; statuses ${states(id).join(",")}\n${s.output()}`);
    });
    await s.sandbox.settled({ timeoutMs: 30_000 });

    expect(states(id)).toEqual(["success"]);
    expect(s.botReplies(issue)).toHaveLength(replies);
    const after = rolledBack(issue);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^↩️ `staging` rolled back to \*\*1\.1\.0\*\*:/);
    expect(after[0]).not.toContain("GitHub refused");
    expect(after[0]).not.toContain("concluded after a restart");
    expect(after[0]).toContain(
      `ℹ️ The record of deployment ${id} now says success: release-pilot wrote it on its next start.`,
    );
    // Not driven again: no cluster write, no lock taken, still on the version rolled back to.
    expect(s.cluster?.requests.filter((r) => r.method !== "GET").length).toBe(writes);
    for (const name of SERVICES) expect(image(name)).toMatch(/:1\.1\.0$/);
    expect(await ref("locks/staging")).toBeUndefined();
    expect(s.sandbox.violations).toEqual([]);
  });
});
