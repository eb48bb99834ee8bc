import { describe, expect, it } from "@jest/globals";
import { defaultConfig } from "../../src/config/schema.js";
import { renderHelp } from "../../src/domain/commands/render-help.js";
import { renderStatus, type EnvironmentStatus } from "../../src/domain/deploy/render-status.js";
import { buildReleasePlan } from "../../src/domain/release/build-release-plan.js";
import type { ReleasePlan, ReleasePlanError } from "../../src/domain/release/release-plan.js";
import type { Result } from "../../src/domain/result.js";
import { renderReleasePrBody } from "../../src/domain/release/release-pr-body.js";
import { fixtureTree } from "../domain/release/fixture-tree.js";
import { blocks, headings, rawMarkers, renderGfm, requireCmarkInCi, tables } from "./gfm.js";

/** The plan, or the test fails with the reason it was refused. */
const planned = (result: Result<ReleasePlan, ReleasePlanError>): ReleasePlan => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

/**
 * Each kind of bot output rendered by GitHub's own renderer (cmark-gfm with github.com's
 * extensions) and checked for structure: the tables are tables with one cell per column, the
 * headings are headings, no Markdown syntax is left in the text, and facts meant as separate
 * lines are separate blocks (a single newline inside a paragraph renders as a space on GitHub).
 */
const describeWithCmark = requireCmarkInCi() ? describe : describe.skip;

const expectClean = (html: string) => expect(rawMarkers(html)).toEqual([]);

const status = (overrides: Partial<EnvironmentStatus> = {}): EnvironmentStatus => ({
  env: "production",
  namespace: "ml-production",
  lock: undefined,
  lastSuccess: {
    id: 5,
    version: "1.2.0",
    action: "deploy",
    state: "success",
    actor: "maintainer",
    at: "2026-01-01T00:00:00Z",
  },
  inFlight: [{ id: 6, version: "1.3.0", action: "rollback", state: "in_progress", actor: "dev", at: "t" }],
  services: [
    {
      deployment: "bankchurn",
      image: "ghcr.io/o/bankchurn:1.2.0",
      version: "1.2.0",
      revision: 3,
      ready: 2,
      desired: 2,
      rollout: "done",
      canary: { image: "ghcr.io/o/bankchurn:1.3.0", replicas: 1 },
    },
    {
      deployment: "carvision",
      image: undefined,
      version: undefined,
      revision: undefined,
      ready: 0,
      desired: 2,
      rollout: "failed",
    },
  ],
  ...overrides,
});

describeWithCmark("bot output on GitHub (cmark-gfm)", () => {
  it("/help: one table row per command, three cells each, /help itself not marked", () => {
    const context = {
      isEnabled: (name: string) => name === "help" || name === "release",
      permissionFor: () => "write" as const,
    };
    const html = renderGfm(renderHelp(context));
    expect(headings(html)).toEqual(["h3 release-pilot commands"]);
    const [table, ...more] = tables(html);
    expect(more).toEqual([]);
    expect(table?.header).toEqual(["Command", "What it does", "Permission"]);
    expect(table?.rows.length).toBeGreaterThanOrEqual(10);
    for (const row of table?.rows ?? []) expect(row).toHaveLength(3);
    const help = table?.rows.find((row) => row[0]?.includes("/help"));
    expect(help?.[1]).not.toContain("not enabled");
    const release = table?.rows.find((row) => row[0]?.startsWith("<code>/release"));
    // The escaped pipes of the usage stay inside the code cell.
    expect(release?.[0]).toBe(
      "<code>/release [X.Y.Z | major | minor | patch] [--pre rc] [--from &lt;ref&gt;]</code>",
    );
    expectClean(html);
  });

  it("/help <command>: a heading, the summary, the permission and an example list", () => {
    const context = { isEnabled: () => false, permissionFor: () => "maintain" as const };
    const html = renderGfm(renderHelp(context, "deploy"));
    expect(headings(html)).toHaveLength(1);
    expect(html).toMatch(/<ul>\s*<li><code>\/deploy /);
    expect(blocks(html)).toContain("Not enabled yet in this installation.");
    expectClean(html);
  });

  it("/status: the lock, the last deploy and what is in flight on separate lines, then the services table", () => {
    const locked = status({
      lock: {
        env: "production",
        holder: "oncall",
        reason: "freeze",
        since: "2026-01-01T00:00:00Z",
        kind: "manual",
      },
    });
    for (const environment of [status(), locked]) {
      const html = renderGfm(renderStatus([environment]));
      expect(headings(html)).toEqual(["h2 Deploy status", "h3 production (namespace ml-production)"]);
      const facts = blocks(html);
      expect(facts[0]).toMatch(
        environment.lock
          ? /^🔒 Locked by @oncall since 2026-01-01T00:00:00Z \(manual lock\): freeze$/
          : /^🔓 Not locked$/,
      );
      expect(facts[1]).toBe(
        "Last successful deploy: 1.2.0 (deploy, deployment 5) by @maintainer at 2026-01-01T00:00:00Z",
      );
      expect(facts[2]).toBe("In flight: 1.3.0 (rollback, deployment 6, in_progress) by @dev");
      const [table] = tables(html);
      expect(table?.header).toEqual([
        "Service",
        "Version",
        "Image",
        "Revision",
        "Ready",
        "Rollout",
        "Canary",
      ]);
      expect(table?.rows).toHaveLength(2);
      for (const row of table?.rows ?? []) expect(row).toHaveLength(7);
      expectClean(html);
    }
  });

  it("the release PR body: headings, the per-file table and a task list for compliance", () => {
    const plan = planned(
      buildReleasePlan({
        config: defaultConfig().release,
        request: { kind: "exact", version: "1.2.0" },
        files: fixtureTree(),
        latestTag: "v1.1.0",
        commits: [
          {
            sha: "a",
            message: "feat: batch endpoint",
            files: ["BankChurn-Predictor/api.py"],
            date: "2025-01-10",
          },
        ],
        date: "2025-01-15",
      }),
    );
    const html = renderGfm(renderReleasePrBody(plan, undefined, 42));
    expect(headings(html)[0]).toBe("h2 🚀 Release v1.2.0");
    const files = tables(html).find((t) => t.rows.some((row) => row[0]?.includes("pyproject.toml")));
    expect(files).toBeDefined();
    for (const row of files?.rows ?? []) expect(row).toHaveLength(files?.header.length ?? 0);
    expect(html).toMatch(/<input type="checkbox" disabled="" \/> Data privacy compliance/);
    // The HTML comments carrying the bot's state stay invisible.
    expect(html).not.toMatch(/&lt;!--/);
    expectClean(html);
  });
});
