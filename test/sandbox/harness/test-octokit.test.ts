import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import nock from "nock";
import { openApiViolations, TestOctokit } from "../../../sandbox/harness/test-octokit.js";

describe("the test Octokit", () => {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
  });
  afterAll(() => {
    nock.restore();
  });
  afterEach(() => {
    nock.cleanAll();
    openApiViolations.length = 0;
  });

  it("records a request whose body GitHub's OpenAPI description rejects, and a malformed fake response", async () => {
    nock("https://api.github.com").post("/repos/o/r/issues/1/comments").reply(201, { id: "x" });
    const octokit = new TestOctokit({ auth: "t" });
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "o",
      repo: "r",
      issue_number: 1,
      text: "the field is called body",
    } as never);
    expect(openApiViolations).toContainEqual(expect.stringContaining("must have required property 'body'"));
    expect(openApiViolations).toContainEqual(expect.stringContaining("201 body/id must be integer"));
  });

  it("records a request to a route GitHub does not have", async () => {
    nock("https://api.github.com").get("/repos/o/r/releases/drafts").reply(200, []);
    const octokit = new TestOctokit({ auth: "t" });
    await octokit.request("GET /repos/o/r/releases/drafts");
    expect(openApiViolations.join("\n")).toMatch(/releases\/drafts/);
  });
});
