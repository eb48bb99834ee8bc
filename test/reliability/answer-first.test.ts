import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { deliveryFailedMessage } from "../../src/composition/background-deliveries.js";
import { appCalls, type Reliability, startReliability } from "./support/harness.js";
import { postWebhook } from "./support/signed-post.js";

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(120_000);

/**
 * GitHub's best practices: answer a delivery with a 2XX within 10 seconds and do the work
 * asynchronously (https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks#respond-within-10-seconds).
 * The app answers a delivery it acts on once it is verified, parsed and routed; these tests hold
 * one of the work's GitHub calls in the sandbox and look at what had happened when the answer came.
 */
describe("a delivery the app acts on is answered before its work", () => {
  let r: Reliability;
  beforeAll(async () => {
    r = await startReliability();
  });
  afterAll(async () => {
    await r?.close();
  });

  /**
   * A real `issue_comment.created` delivery as the sandbox sent it (a plain comment the app
   * ignores), with its body turned into `/help`: the comment exists on GitHub, so the work's
   * reactions and reply land on it.
   */
  const helpDelivery = async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "developer", { title: "How do I use the bot?" });
    sandbox.comment(repo, issue, "developer", "hello there");
    await sandbox.settled({ timeoutMs: 30_000 });
    const sent = sandbox.deliveries.filter((d) => d.event === "issue_comment").at(-1)!;
    const payload = structuredClone(sent.payload) as { comment: { body: string } };
    payload.comment.body = "/help";
    return { issue, body: JSON.stringify(payload) };
  };

  const botComments = (issue: number) =>
    r.sandbox.issue(r.repo, issue).comments.filter((c) => c.user.type === "Bot");

  it("answers 200 while the work's first GitHub call is still held, and the work completes after", async () => {
    const { issue, body } = await helpDelivery();
    // The 👀 reaction, the work's first write, takes 3 s at GitHub.
    r.sandbox.faults.add({
      method: "POST",
      path: /\/issues\/comments\/\d+\/reactions$/,
      latencyMs: 3_000,
      times: 1,
    });
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", body);
    // Answered with the call still held: nothing of the work is on GitHub yet.
    const atAnswer = { replies: botComments(issue).length, inFlight: r.apps[0]!.idle() };
    expect(status).toBe(200);
    expect(atAnswer.replies).toBe(0);
    // idle() resolves true: there was work running after the answer.
    await expect(atAnswer.inFlight).resolves.toBe(true);
    await r.settle({ timeoutMs: 60_000 });
    const replies = botComments(issue);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body).toContain("/release");
    r.sandbox.faults.clear();
  });

  it("a redelivery of a delivery whose work is still running is answered and not started again", async () => {
    const { issue, body } = await helpDelivery();
    r.sandbox.faults.add({
      method: "POST",
      path: /\/issues\/comments\/\d+\/reactions$/,
      latencyMs: 2_000,
      times: 1,
    });
    const deliveryId = randomUUID();
    r.sandbox.resetRequests();
    const first = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", body, { deliveryId });
    const again = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", body, { deliveryId });
    expect([first.status, again.status]).toEqual([200, 200]);
    await r.settle({ timeoutMs: 60_000 });
    expect(botComments(issue)).toHaveLength(1);
    // One run of the work: 👀 once and 🚀 once (a second run would have asked for 👀 again, and
    // found it there only because the first run's was no longer held).
    const reactions = appCalls(r.sandbox).filter((c) => c.method === "POST" && c.path.endsWith("/reactions"));
    expect(reactions).toHaveLength(2);
    r.sandbox.faults.clear();
  });

  it("a failure of the work after the answer is told in the thread, with the delivery id", async () => {
    const { issue, body } = await helpDelivery();
    // The work's first call fails (retries are off in the test Octokit): the handler throws.
    r.sandbox.faults.add({
      method: "POST",
      path: /\/issues\/comments\/\d+\/reactions$/,
      status: 500,
      times: 1,
    });
    const deliveryId = randomUUID();
    const payload = JSON.parse(body) as Record<string, unknown>;
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", body, { deliveryId });
    expect(status).toBe(200);
    await r.settle({ timeoutMs: 60_000 });
    const replies = botComments(issue).map((c) => c.body);
    expect(replies).toEqual([deliveryFailedMessage({ id: deliveryId, name: "issue_comment", payload })]);
    expect(replies[0]).toContain(deliveryId);
    r.sandbox.faults.clear();
  });
});
