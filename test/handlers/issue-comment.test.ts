import { describe, expect, it } from "@jest/globals";
import nock from "nock";
import { outcome } from "../../src/domain/outcome.js";
import { createTestProbot, GITHUB, nockToken } from "../support/probot.js";
import { useNockLifecycle } from "../support/nock-lifecycle.js";
import { webhookExample } from "../support/webhook-examples.js";

interface CommentPayload {
  comment: { id: number; body: string; user: { login: string; type: string } };
  issue: { number: number };
  sender: { login: string; type: string };
  repository: { name: string; owner: { login: string } };
  installation?: { id: number };
}

const payload = (body: string, login = "octocat"): CommentPayload => {
  const p = webhookExample<CommentPayload>("issue_comment", "created");
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type: "User" };
  p.sender = { ...p.sender, login, type: "User" };
  p.installation = { id: 2 };
  return p;
};

const repoPath = (p: CommentPayload) => `/repos/${p.repository.owner.login}/${p.repository.name}`;

const receive = (
  probot: Awaited<ReturnType<typeof createTestProbot>>["probot"],
  p: CommentPayload,
  name = "issue_comment",
) => probot.receive({ id: "delivery-1", name, payload: p } as never);

interface Flow {
  /** The config file's text; `null` for a repository without one; absent when never read. */
  config?: string | null;
  /** The commenter's role as the permission API answers it; absent when never read. */
  permission?: string;
  /** The reaction that ends the command. */
  reaction: "rocket" | "confused";
}

/**
 * Mocks the API calls of one guarded command: 👀 with the config and permission reads (started
 * together), then the reply and the final reaction. Returns the reply the app posted.
 */
const mockCommand = (p: CommentPayload, flow: Flow): { reply: () => string } => {
  const repo = repoPath(p);
  let reply = "";
  nockToken(2);
  let scope = nock(GITHUB)
    .post(`${repo}/issues/comments/${p.comment.id}/reactions`, { content: "eyes" })
    .reply(201, reaction("eyes"));
  if (flow.config === null) {
    scope = scope
      .get(`${repo}/contents/.github%2Frelease-pilot.yml`)
      .reply(404, { message: "Not Found", documentation_url: "https://docs.github.com" });
  } else if (flow.config !== undefined) {
    scope = scope
      .get(`${repo}/contents/.github%2Frelease-pilot.yml`)
      .reply(200, file(".github/release-pilot.yml", flow.config), { etag: '"abc"' });
  }
  if (flow.permission !== undefined) {
    scope = scope
      .get(`${repo}/collaborators/${p.sender.login}/permission`)
      .reply(200, permission(flow.permission));
  }
  scope
    .post(`${repo}/issues/${p.issue.number}/comments`, (body: { body: string }) => {
      reply = body.body;
      return true;
    })
    .reply(201, comment())
    .post(`${repo}/issues/comments/${p.comment.id}/reactions`, { content: flow.reaction })
    .reply(201, reaction(flow.reaction));
  return { reply: () => reply };
};

describe("issue_comment.created", () => {
  useNockLifecycle();

  it("answers /help with the command table, without a permission check", async () => {
    const { probot } = await createTestProbot();
    const p = payload("/help");
    // The repository turns /deploy off: its row says so, every other command is on.
    const { reply } = mockCommand(p, {
      config: "commands:\n  deploy:\n    enabled: false\n",
      reaction: "rocket",
    });
    await receive(probot, p);
    expect(reply()).toContain(
      "| `/release [X.Y.Z \\| major \\| minor \\| patch] [--pre rc] [--from <ref>]` |",
    );
    const disabled = reply()
      .split("\n")
      .filter((line) => line.includes("_(not enabled yet)_"));
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatch(/^\| `\/deploy /);
    // The reply itself is /help working: it is never marked as not enabled.
    const helpRow = reply()
      .split("\n")
      .find((line) => line.startsWith("| `/help [command]` |"));
    expect(helpRow).toBe("| `/help [command]` | Show the commands, or one command's usage. | none |");
  });

  it("refuses a command to a user without the permission and says which one is needed", async () => {
    const { probot } = await createTestProbot({
      commands: { release: () => Promise.resolve(outcome("done", "cut")) },
    });
    const p = payload("/release 1.2.0", "reader");
    const { reply } = mockCommand(p, { config: null, permission: "read", reaction: "confused" });
    await receive(probot, p);
    expect(reply()).toBe(
      "@reader, `/release` needs the **write** permission on this repository; you have **read**.",
    );
  });

  it("runs the command's use-case for a user with the permission", async () => {
    const calls: unknown[] = [];
    const { probot } = await createTestProbot({
      commands: {
        release: (_context, command) => {
          calls.push(command);
          return Promise.resolve(outcome("done", "Release branch created."));
        },
      },
    });
    const p = payload("Let's ship.\n/release minor --pre rc", "maintainer");
    const { reply } = mockCommand(p, { config: null, permission: "maintain", reaction: "rocket" });
    await receive(probot, p);
    expect(calls).toEqual([{ name: "release", target: { kind: "bump", bump: "minor" }, pre: "rc" }]);
    expect(reply()).toBe("Release branch created.");
  });

  it("answers a command the repository's config turns off that it is off, without running it", async () => {
    const { probot } = await createTestProbot({
      commands: { deploy: () => Promise.reject(new Error("must not run")) },
    });
    const p = payload("/deploy staging", "maintainer");
    // The permission read starts with the config read (both with 👀), so it is answered too.
    const { reply } = mockCommand(p, {
      config: "commands:\n  deploy:\n    enabled: false\n",
      permission: "maintain",
      reaction: "confused",
    });
    await receive(probot, p);
    expect(reply()).toBe("`/deploy` is turned off in this repository's release-pilot config.");
  });

  it("tells the user what was wrong with a bad command, before any config or permission call", async () => {
    const { probot } = await createTestProbot();
    const p = payload("/release 1.2.0; rm -rf /");
    const { reply } = mockCommand(p, { reaction: "confused" });
    await receive(probot, p);
    expect(reply()).toContain("too many arguments");
    expect(reply()).toContain("Usage: `/release [X.Y.Z | major | minor | patch] [--pre rc] [--from <ref>]`");
  });

  it("shows config errors with the path of the bad key and does nothing else", async () => {
    const { probot } = await createTestProbot({
      commands: { release: () => Promise.reject(new Error("must not run")) },
    });
    const p = payload("/release patch", "maintainer");
    // The permission read starts with the config read (both with 👀), so it is answered too.
    const { reply } = mockCommand(p, {
      config: "release:\n  tagPrefix: 7\n",
      permission: "maintain",
      reaction: "confused",
    });
    await receive(probot, p);
    expect(reply()).toContain("- `release.tagPrefix: expected string, received number`");
  });

  it("ignores comments without a command, and comments by bots, at zero API calls", async () => {
    const { probot } = await createTestProbot();
    await receive(probot, payload("Looks good to me, see /docs/release.md"));
    const bot = payload("/release 1.2.0", "release-pilot[bot]");
    bot.sender.type = "Bot";
    bot.comment.user.type = "Bot";
    await receive(probot, bot);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("does nothing on an edited comment, even one holding a command", async () => {
    const { probot } = await createTestProbot();
    const edited = { ...payload("/release 1.2.0"), action: "edited", changes: {} };
    await receive(probot, edited as never);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

function reaction(content: string) {
  return {
    id: 1,
    node_id: "MDg6UmVhY3Rpb24x",
    user: null,
    content,
    created_at: "2025-01-15T10:00:00Z",
  };
}

function permission(role: string) {
  const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
  return { permission: legacy, role_name: role, user: null };
}

function file(path: string, text: string) {
  return {
    type: "file",
    encoding: "base64",
    size: text.length,
    name: path.split("/").pop(),
    path,
    content: Buffer.from(text).toString("base64"),
    sha: "3d21ec53a331a6f037a91c368710b99387d012c1",
    url: "https://api.github.com/x",
    git_url: null,
    html_url: null,
    download_url: null,
    _links: { git: null, html: null, self: "https://api.github.com/x" },
  };
}

function comment() {
  return webhookExample<{ comment: Record<string, unknown> }>("issue_comment", "created").comment;
}
