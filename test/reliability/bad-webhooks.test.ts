import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import fc from "fast-check";
import { webhookExample } from "../support/webhook-examples.js";
import { appCalls, type Reliability, startReliability } from "./support/harness.js";
import { postWebhook } from "./support/signed-post.js";

/** The events the app routes, each with a real payload from GitHub's published examples. */
const ROUTED: [event: string, action: string | undefined][] = [
  ["issue_comment", "created"],
  ["push", undefined],
  ["pull_request", "closed"],
  ["pull_request", "opened"],
  ["pull_request", "labeled"],
  ["issues", "labeled"],
  ["workflow_run", "completed"],
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a payload (objects and arrays alike). */
const paths = (value: Json, prefix: (string | number)[] = []): (string | number)[][] => {
  if (value === null || typeof value !== "object") return [prefix];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string, Json>)[k]!, [...prefix, k]))];
};

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.string({ maxLength: 40 }),
  fc.constant([]),
  fc.constant({}),
  fc.constant("/release 1.2.0"),
  fc.constant("x".repeat(200_000)),
);

// Whole flows against a git-backed sandbox: generous, as the suite shares two cores.
jest.setTimeout(180_000);

/** A real payload with some of its fields removed or given a value of the wrong type. */
const mutatedPayload = fc
  .record({
    which: fc.nat(ROUTED.length - 1),
    edits: fc.array(fc.tuple(fc.nat(), fc.boolean(), wrongValue), { minLength: 1, maxLength: 6 }),
  })
  .map(({ which, edits }) => {
    const [event, action] = ROUTED[which]!;
    const payload = webhookExample<Json>(event, action);
    for (const [pick, remove, value] of edits) {
      const all = paths(payload).filter((p) => p.length > 0);
      const path = all[pick % all.length]!;
      let parent = payload as Record<string | number, Json>;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
      const last = path.at(-1)!;
      if (remove && !Array.isArray(parent)) delete parent[last];
      else parent[last] = value as Json;
    }
    return { event, payload };
  });

describe("bad webhooks against the real app server", () => {
  let r: Reliability;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  beforeAll(async () => {
    process.on("unhandledRejection", onUnhandled);
    r = await startReliability();
  });
  afterAll(async () => {
    process.off("unhandledRejection", onUnhandled);
    await r?.close();
  });

  const releaseComment = () => {
    const payload = webhookExample<Record<string, Record<string, unknown>>>("issue_comment", "created");
    payload.comment!.body = "/release 1.2.0";
    payload.repository = { ...payload.repository, name: "ml-mlops-portfolio", full_name: r.repo };
    payload.installation = { id: r.sandbox.installationId };
    return JSON.stringify(payload);
  };

  it.each([
    ["signed with another secret", { secret: "not-the-secret" }],
    ["without a signature", { signature: null }],
    ["with a malformed signature", { signature: "sha256=zz" }],
    ["with a sha1-style signature", { signature: "sha1=0123456789abcdef0123456789abcdef01234567" }],
  ])("a webhook %s is refused with a 4xx and nothing is done", async (_name, options) => {
    r.sandbox.resetRequests();
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", releaseComment(), options);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    await r.sandbox.settled({ timeoutMs: 60_000 });
    expect(appCalls(r.sandbox)).toEqual([]);
  });

  it("a signed body altered after signing is refused with a 4xx", async () => {
    r.sandbox.resetRequests();
    const body = releaseComment();
    const { createHmac } = await import("node:crypto");
    const signature = `sha256=${createHmac("sha256", "sandbox-webhook-secret").update(body).digest("hex")}`;
    const tampered = body.replace("/release 1.2.0", "/release 9.9.9");
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", tampered, { signature });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    await r.sandbox.settled({ timeoutMs: 60_000 });
    expect(appCalls(r.sandbox)).toEqual([]);
  });

  it("fuzzed payloads (missing fields, wrong types, huge strings) never crash the app", async () => {
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(mutatedPayload, async ({ event, payload }) => {
        const { status } = await postWebhook(r.apps[0]!.webhookUrl, event, JSON.stringify(payload));
        statuses.add(status);
        // Accepted, refused as a bad request, or failed with the status GitHub gave the handler
        // (Probot answers a failed handler with its error's status): an answer either way.
        expect(status === 200 || status === 202 || status === 400 || status >= 500 || status === 404).toBe(
          true,
        );
      }),
      { numRuns: 80, seed: 4242 },
    );
    await r.sandbox.settled({ timeoutMs: 60_000 });
    expect(unhandled).toEqual([]);
    const health = await fetch(`${r.apps[0]!.url}/healthz`);
    expect(health.status).toBe(200);
    expect(statuses.has(200)).toBe(true);
  }, 120_000);

  it("a payload that is not JSON is answered with a 400", async () => {
    const { status } = await postWebhook(r.apps[0]!.webhookUrl, "issue_comment", "{not json");
    expect(status).toBe(400);
  });

  // GitHub refuses comment bodies over 65,536 characters, so the longest real comment is that size.
  it("after the fuzzing, a real /release still works, once, from a comment at GitHub's size limit", async () => {
    const { sandbox, repo } = r;
    const issue = await sandbox.openIssue(repo, "maintainer", { title: "Release 1.2.0" });
    sandbox.comment(repo, issue, "maintainer", `${"lorem ipsum ".repeat(5_400)}\n/release 1.2.0`);
    await sandbox.settled({ timeoutMs: 30_000 });
    const replies = sandbox.issue(repo, issue).comments.filter((c) => c.user.type === "Bot");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("Release **v1.2.0** is cut");
    expect(unhandled).toEqual([]);
  }, 180_000);
});
