import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { pino } from "pino";
import { Context, ProbotOctokit } from "probot";
import { CONFIG_PATH } from "../../src/config/schema.js";
import { checklistCheckNames } from "../../src/domain/checklist/gate-registry.js";
import { renderShipMarker } from "../../src/domain/ship/ship-marker.js";
import { composeApp } from "../../src/composition/compose-app.js";
import { settingsFromEnv } from "../../src/composition/settings.js";
import { dispatchRoute, type Route, routeAccepts } from "../../src/handlers/routes.js";
import { routes } from "../../src/index.js";
import { noopMetrics } from "../../src/ports/metrics.js";
import { parseCommand } from "../../src/domain/commands/parse-command.js";
import { mightHoldCommand } from "../../src/handlers/route-predicates.js";

type Json = Record<string, unknown>;

/** Every example of an event in @octokit/webhooks-examples (GitHub's own sample deliveries). */
const examplesOf = (() => {
  const definitions = JSON.parse(
    readFileSync(
      join(process.cwd(), "node_modules/@octokit/webhooks-examples/api.github.com/index.json"),
      "utf8",
    ),
  ) as { name: string; examples: Json[] }[];
  return (event: string): Json[] => definitions.find((d) => d.name === event)?.examples ?? [];
})();

/** The real examples of a route's event and action; another action's, relabelled, when it has none. */
const realPayloads = (r: Route): Json[] => {
  const [event = "", action] = r.event.split(".");
  const all = examplesOf(event);
  const exact = action === undefined ? all : all.filter((e) => e.action === action);
  const chosen = exact.length > 0 ? exact : all.slice(0, 2);
  return chosen.map((e) => ({ ...structuredClone(e), ...(action ? { action } : {}) }));
};

const APP_ID = 777;
const REPO_ID = 186853002;

const pullRequestRef = fc.record({
  number: fc.integer({ min: 1, max: 99 }),
  head: fc.record({ ref: fc.constantFrom("release/v1.2.0", "hotfix/42-fix-auth", "feature/docs", "main") }),
  base: fc.record({ ref: fc.constantFrom("main", "develop") }),
});

/** Values the predicates look at, each set to cases on both sides of every decision. */
const tweaks: Record<string, [path: string[], value: fc.Arbitrary<unknown>][]> = {
  common: [
    [["sender", "type"], fc.constantFrom("User", "Bot")],
    [["installation"], fc.constant({ id: 42 })],
  ],
  issue_comment: [
    [
      ["comment", "body"],
      fc.oneof(
        fc.constantFrom(
          "LGTM, thanks!",
          "See /api/v1 for details.",
          "/release 1.2.0",
          "/help",
          "Ready.\n/deploy staging",
          "```\n/release 1.2.0\n```",
          "/not-a-command",
          "/",
          "  /release",
        ),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 20 }).map((s) => `/${s}`),
      ),
    ],
    [["comment", "user", "type"], fc.constantFrom("User", "Bot")],
  ],
  push: [
    [["ref"], fc.constantFrom("refs/heads/main", "refs/heads/develop", "refs/tags/v1.2.0")],
    [["deleted"], fc.boolean()],
    [
      ["commits"],
      fc.array(
        fc.record({
          added: fc.subarray([CONFIG_PATH, "README.md", "src/app.py"]),
          modified: fc.subarray([CONFIG_PATH, "CHANGELOG.md"]),
          removed: fc.subarray([CONFIG_PATH, "old.txt"]),
        }),
        { maxLength: 3 },
      ),
    ],
  ],
  pull_request: [
    [["pull_request", "state"], fc.constantFrom("open", "closed")],
    [["pull_request", "merged"], fc.boolean()],
    [["pull_request", "merge_commit_sha"], fc.constantFrom(null, "c0ffee0000000000000000000000000000000000")],
    [
      ["pull_request", "head", "ref"],
      fc.constantFrom(
        "release/v1.2.0",
        "hotfix/42-fix-auth",
        "revert/v1.2.0",
        "feature/docs",
        "fix-hotfix-typo",
        "develop",
      ),
    ],
    [["pull_request", "base", "ref"], fc.constantFrom("main", "develop")],
    [["pull_request", "labels"], fc.subarray([{ name: "hotfix" }, { name: "release" }, { name: "docs" }])],
    [
      ["pull_request", "body"],
      fc.constantFrom(
        null,
        "Fixes the docs.",
        renderShipMarker({ kind: "release", version: "1.2.0" }),
        renderShipMarker({ kind: "hotfix", version: "1.1.1" }),
        "<!-- release-pilot: not json -->",
      ),
    ],
    [["pull_request", "head", "repo"], fc.constantFrom({ id: REPO_ID }, { id: 1 }, null)],
    [["pull_request", "base", "repo"], fc.constant({ id: REPO_ID })],
  ],
  issues: [
    [["issue", "state"], fc.constantFrom("open", "closed")],
    [["issue", "pull_request"], fc.constantFrom(undefined, { url: "https://api.github.com/x" })],
    [["label"], fc.constantFrom(undefined, { name: "hotfix" }, { name: "bug" })],
  ],
  workflow_run: [
    [
      ["workflow_run", "event"],
      fc.constantFrom("push", "pull_request", "release", "workflow_dispatch", "create"),
    ],
    [["workflow_run", "path"], fc.constantFrom("", ".github/workflows/images.yml")],
    [["workflow_run", "head_branch"], fc.constantFrom("v1.2.0", "main", "develop", null)],
    [["workflow_run", "conclusion"], fc.constantFrom("success", "failure", "cancelled")],
  ],
  check_suite: [
    [["check_suite", "app", "id"], fc.constantFrom(APP_ID, 15368)],
    [["check_suite", "pull_requests"], fc.array(pullRequestRef, { maxLength: 2 })],
  ],
  check_run: [
    [["check_run", "name"], fc.constantFrom(...checklistCheckNames(), "CI / test")],
    [["check_run", "app", "id"], fc.constantFrom(APP_ID, 15368)],
    [["check_run", "pull_requests"], fc.array(pullRequestRef, { maxLength: 2 })],
  ],
};
tweaks.pull_request_review = tweaks.pull_request!;

const setPath = (payload: Json, path: string[], value: unknown): void => {
  let parent = payload;
  for (const key of path.slice(0, -1)) {
    if (typeof parent[key] !== "object" || parent[key] === null) parent[key] = {};
    parent = parent[key] as Json;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete parent[last];
  else parent[last] = structuredClone(value);
};

/** A real example with some of the fields the predicates read set to other cases. */
const variations = (r: Route): fc.Arbitrary<Json> => {
  const family = r.event.split(".")[0] ?? r.event;
  const options = [...tweaks.common!, ...(tweaks[family] ?? [])];
  return fc
    .record({
      base: fc.constantFrom(...realPayloads(r)),
      picks: fc.subarray(options.map((_, i) => i)),
      values: fc.tuple(...options.map(([, value]) => value)),
    })
    .map(({ base, picks, values }) => {
      const payload = structuredClone(base);
      for (const i of picks) setPath(payload, options[i]![0], values[i]);
      return payload;
    });
};

/**
 * Hands a payload to a route as the app does (read once, then the handler), with production's
 * composition and an Octokit that records every request it sends.
 */
const apiCallsOf = async (r: Route, payload: Json): Promise<string[]> => {
  const calls: string[] = [];
  const octokit = new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
    request: {
      fetch: (url: string, init: { method?: string }) => {
        calls.push(`${init.method ?? "GET"} ${url}`);
        const body = JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com" });
        return Promise.resolve(
          new Response(body, { status: 404, headers: { "content-type": "application/json" } }),
        );
      },
    },
  });
  const clock = { now: () => new Date("2025-01-15T10:00:00Z") };
  const deps = await composeApp(routes, await settingsFromEnv({}), {
    clock,
    metrics: noopMetrics,
    appId: APP_ID,
    secrets: {},
  }).deps();
  const context = new Context(
    { id: "delivery-1", name: r.event.split(".")[0], payload } as never,
    octokit as never,
    pino({ level: "silent" }) as never,
  );
  // A handler may fail on what its fake GitHub answers (404 everywhere): only its calls count.
  await dispatchRoute(r, deps, context).catch(() => undefined);
  return calls;
};

describe("each route's accepts predicate", () => {
  /** Payloads accepted, and among them those whose handler did call the API, over all routes. */
  const seen = { accepted: 0, called: 0 };
  const distinct = routes.filter(
    (r, i) => routes.findIndex((o) => o.mightAct === r.mightAct && o.event === r.event) === i,
  );

  it.each(distinct.map((r) => [`${r.event} (${r.mightAct.name})`, r] as const))(
    "%s: on GitHub's example payloads, a payload it rejects costs the handler no API call",
    async (_event, r) => {
      for (const payload of realPayloads(r)) {
        if (!(await routeAccepts(r, payload))) expect(await apiCallsOf(r, payload)).toEqual([]);
      }
    },
  );

  it.each(distinct.map((r) => [`${r.event} (${r.mightAct.name})`, r] as const))(
    "%s: on variations of them, a payload it rejects costs the handler no API call",
    async (_event, r) => {
      let accepted = 0;
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(variations(r), async (payload) => {
          if (await routeAccepts(r, payload)) {
            accepted++;
            seen.accepted++;
            if ((await apiCallsOf(r, payload)).length > 0) seen.called++;
            return;
          }
          rejected++;
          expect(await apiCallsOf(r, payload)).toEqual([]);
        }),
        { numRuns: 150, seed: 20251115 },
      );
      // Both sides of the predicate were exercised.
      expect(rejected).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
    },
    60_000,
  );

  it("the recording Octokit does see the calls of handlers given accepted payloads", () => {
    expect(seen.accepted).toBeGreaterThan(0);
    // Most accepted payloads lead to a call (the config read at least).
    expect(seen.called).toBeGreaterThan(seen.accepted / 2);
  });

  it("a payload a predicate cannot read is given to the handler (as before the predicates)", async () => {
    const comment = routes.find((r) => r.event === "issue_comment.created")!;
    expect(await routeAccepts(comment, {})).toBe(true);
    expect(await routeAccepts(comment, { comment: { body: "no command" }, sender: { type: "User" } })).toBe(
      false,
    );
  });

  it("the comment route's cheap look never turns away a comment the Markdown parse finds a command in", () => {
    const line = fc.oneof(
      fc.constantFrom(
        "/release 1.2.0",
        "/deploy staging",
        "/help",
        "/not-a-command",
        "/ release",
        "/1",
        "/x/y",
      ),
      fc.constantFrom(
        "> /release",
        "    /release",
        "```",
        "~~~",
        "<!--",
        "-->",
        "- /deploy",
        "/api/v1 is down",
      ),
      fc.string({ maxLength: 12 }).map((s) => `/${s}`),
      fc.string({ maxLength: 20 }),
    );
    const ending = fc.constantFrom("\n", "\r\n", "\r");
    fc.assert(
      fc.property(fc.array(fc.tuple(line, ending), { maxLength: 6 }), (lines) => {
        const body = lines.map(([text, end]) => text + end).join("");
        // mightHoldCommand is only the cheap look (bots and the line shape); the exact reading
        // (parseCommand, through the Markdown parse) must never find what the cheap one missed.
        const payload = { comment: { body, user: { type: "User" } }, sender: { type: "User" } };
        if (parseCommand(body).kind !== "none") expect(mightHoldCommand(payload as never)).toBe(true);
      }),
      { numRuns: 500, seed: 20261202 },
    );
    expect(
      mightHoldCommand({
        comment: { body: "See /api/v1 for details.", user: { type: "User" } },
        sender: { type: "User" },
      } as never),
    ).toBe(false);
    expect(
      mightHoldCommand({
        comment: { body: "/tmp/x is full", user: { type: "User" } },
        sender: { type: "User" },
      } as never),
    ).toBe(false);
    expect(
      mightHoldCommand({
        comment: { body: "Ready.\r\n/release 1.2.0", user: { type: "User" } },
        sender: { type: "User" },
      } as never),
    ).toBe(true);
  });
});
