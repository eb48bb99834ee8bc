import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { type EndToEnd, startEndToEnd } from "../../sandbox/harness/e2e.js";
import { liveParts } from "./rendered.js";

// Attack 7 of the security issue, replayed through the real app: the `/lock` reason was echoed
// unescaped into four replies. Each step goes through the sandbox's git (slow when loaded).
jest.setTimeout(180_000);

const repoRef = { owner: "duqueom", repo: "ml-mlops-portfolio" };
const REASON = "@org/everyone <img src=x onerror=alert(1)> [x](https://evil.example) ``` www.evil.example";

describe("user text echoed back is neutralised", () => {
  let e2e: EndToEnd;
  const say = async (user: string, body: string): Promise<string> => {
    const issue = await e2e.sandbox.openIssue(e2e.repo, user, { title: "freeze" });
    e2e.sandbox.comment(e2e.repo, issue, user, body);
    await e2e.settle();
    return e2e.repliesTo(issue, user).at(-1) ?? "";
  };
  const expectInert = (reply: string) => {
    const live = liveParts(reply);
    expect(live.html).toEqual([]);
    expect(live.links.filter((url) => url.includes("evil"))).toEqual([]);
    expect(live.mentions).not.toContain("@org/everyone");
    expect(live.mentions.filter((m) => m !== "@maintainer")).toEqual([]);
  };

  beforeAll(async () => {
    e2e = await startEndToEnd({ kubernetes: true });
    const main = await e2e.sandbox.getRef(e2e.repo, "heads/main");
    await e2e.admin.rest.git.createRef({ ...repoRef, ref: "refs/tags/v1.2.0", sha: main ?? "" });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it("in the four replies that show a /lock reason: lock, refused deploy, status, unlock", async () => {
    const locked = await say("maintainer", `/lock staging ${REASON}`);
    expect(locked).toContain("🔒 `staging` is locked by @maintainer: ");
    expect(locked).toContain("@org/everyone");
    expectInert(locked);

    const refused = await say("developer", "/deploy staging 1.2.0");
    expect(refused).toContain("`staging` is locked by @maintainer");
    expect(refused).toContain("@org/everyone");
    expectInert(refused);

    const status = await say("reader", "/status staging");
    expect(status).toContain("🔒 Locked by @maintainer");
    expect(status).toContain("@org/everyone");
    expectInert(status);

    const unlocked = await say("maintainer", "/unlock staging");
    expect(unlocked).toContain("🔓 `staging` is unlocked (held by @maintainer");
    expect(unlocked).toContain("@org/everyone");
    expectInert(unlocked);
  });

  it("in the reply to a bad command argument", async () => {
    const reply = await say("maintainer", "/deploy @org/everyone<img src=x>");
    expect(reply).toContain("@org/everyone");
    expectInert(reply);
  });
});
