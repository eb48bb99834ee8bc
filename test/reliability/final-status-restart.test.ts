import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { until } from "../../sandbox/harness/app-process.js";
import { type ProcessStage, repoRef, startProcessStage } from "./support/process-stage.js";

/**
 * A deploy's final Deployment status refused by GitHub past every retry (403 on
 * `POST /repos/{owner}/{repo}/deployments/{id}/statuses`, which Octokit's retry plugin does not
 * retry: https://docs.github.com/en/rest/deployments/statuses#create-a-deployment-status), so the
 * record stays `in_progress` after the result was told; then release-pilot restarts. The next start
 * concludes the record with the told result and edits that reply: one report per deploy, the
 * rollout not driven again (no patch, no second rollback, no post-mortem).
 */
jest.setTimeout(150_000);

const R = "/repos/duqueom/ml-mlops-portfolio";
const FINAL = ["success", "failure", "error", "inactive"];

let s: ProcessStage;
beforeAll(async () => {
  s = await startProcessStage({ kubernetes: true, tags: ["1.2.0", "1.3.0"] });
});
afterEach(async () => {
  await s.stopApps();
  s.sandbox.faults.clear();
  s.cluster?.healImages();
});
afterAll(async () => {
  await s?.close();
});

const image = (name: string) =>
  s.cluster?.getDeployment("ml-staging", name)?.spec.template.spec.containers[0]?.image ?? "";
const record = (version: string, task = "deploy") =>
  s.sandbox
    .deployments(s.repo)
    .find((d) => d.environment === "staging" && d.task === task && d.ref === `v${version}`);
const states = (id: number) =>
  (s.sandbox.deployments(s.repo).find((d) => d.id === id)?.statuses ?? []).map((x) => x.state);
const ref = (name: string) => s.sandbox.getRef(s.repo, `refs/release-pilot/${name}`);
const postMortems = async () =>
  (await s.admin.rest.issues.listForRepo({ ...repoRef, labels: "post-mortem", state: "all" })).data;
const reports = (issue: number) => s.botReplies(issue).filter((b) => /^(✅|❌|⚠️)/u.test(b));

/** `/deploy staging <version>` with every final status of its record refused; resolves once told. */
const deployWithFinalStatusRefused = async (version: string) => {
  s.cluster?.stopTicking();
  const issue = await s.sandbox.openIssue(s.repo, "developer", { title: `ship ${version}` });
  s.sandbox.comment(s.repo, issue, "developer", `/deploy staging ${version}`);
  const id = await until("the rollout under way", () => {
    const d = record(version);
    return d && states(d.id).at(-1) === "in_progress" ? d.id : undefined;
  });
  s.sandbox.faults.add({ method: "POST", path: `${R}/deployments/${id}/statuses`, status: 403 });
  s.cluster?.startTicking(5);
  await until("the result told", () => reports(issue).length > 0, 60_000);
  await until("the lock given back", async () => !(await ref("locks/staging")));
  await s.sandbox.settled({ timeoutMs: 30_000 });
  return { issue, id };
};

/** Restart with the fault gone; resolves once the record is concluded and the claim released. */
const restartUntilConcluded = async (id: number) => {
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
};

describe("a refused final status left in progress, concluded by the next start", () => {
  it("a success: the record says success, the one report is edited, nothing is patched or re-verified", async () => {
    await s.start("pod-a");
    const { issue, id } = await deployWithFinalStatusRefused("1.2.0");
    const [told] = reports(issue);
    expect(told).toMatch(/^✅ Deploy of \*\*1\.2\.0\*\* to `staging` succeeded\./);
    expect(told).toContain(`⚠️ GitHub refused the final status of deployment ${id} (HTTP 403)`);
    expect(states(id)).toEqual(["in_progress"]);
    const writes = s.cluster?.requests.filter((r) => r.method !== "GET").length;
    const runs = s.sandbox.workflowRuns(s.repo).length;

    await restartUntilConcluded(id);
    expect(states(id)).toEqual(["in_progress", "success"]);
    const after = reports(issue);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/^✅ Deploy of \*\*1\.2\.0\*\* to `staging` succeeded\./);
    expect(after[0]).not.toContain("GitHub refused");
    expect(after[0]).toContain(
      `ℹ️ The record of deployment ${id} now says success: release-pilot wrote it on its next start.`,
    );
    expect(s.botReplies(issue).filter((b) => b.includes("Deploy of"))).toHaveLength(1);
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.2\.0$/);
    // Not driven again: no cluster write, no second smoke run, no lock taken.
    expect(s.cluster?.requests.filter((r) => r.method !== "GET").length).toBe(writes);
    expect(s.sandbox.workflowRuns(s.repo)).toHaveLength(runs);
    expect(await ref("locks/staging")).toBeUndefined();
    expect(s.sandbox.violations).toEqual([]);
  });

  it("a failure rolled back: the record says failure, the bad image is not patched in again, one report and one post-mortem", async () => {
    s.cluster?.failImages(/:1\.3\.0$/);
    await s.start("pod-a");
    const { issue, id } = await deployWithFinalStatusRefused("1.3.0");
    const [told] = reports(issue);
    expect(told).toMatch(/^❌ Deploy of \*\*1\.3\.0\*\* to `staging` failed/);
    expect(told).toContain("although the rollout failed as said above");
    expect(told).toContain("Rolled back automatically");
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.2\.0$/);
    const mortems = (await postMortems()).length;
    expect(mortems).toBe(1);
    const patches = s.cluster?.requests.filter((r) => r.method === "PATCH").length;

    await restartUntilConcluded(id);
    expect(states(id)).toEqual(["in_progress", "failure"]);
    const after = reports(issue);
    expect(after).toHaveLength(1);
    expect(after[0]).toContain(`ℹ️ The record of deployment ${id} now says failure`);
    expect(after[0]).toContain("Rolled back automatically");
    expect(s.cluster?.requests.filter((r) => r.method === "PATCH").length).toBe(patches);
    for (const name of ["bankchurn", "carvision", "telecom"]) expect(image(name)).toMatch(/:1\.2\.0$/);
    expect(await postMortems()).toHaveLength(mortems);
    expect(s.sandbox.deployments(s.repo).filter((d) => d.task === "deploy:auto-rollback")).toHaveLength(1);
  });
});
