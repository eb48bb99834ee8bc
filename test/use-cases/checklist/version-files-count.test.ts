import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { sampleFiles } from "../../../sandbox/sample/sample-repo.js";
import { parseConfigText } from "../../../src/config/parse-config.js";
import type { Config } from "../../../src/config/schema.js";
import { bumpHotfix } from "../../../src/use-cases/ship/bump-hotfix.js";
import { runChecklist } from "../../../src/use-cases/run-checklist.js";
import { FakeShipGitHub } from "../ship/fake-ship-github.js";
import { fakeCheckRuns, fakeModels, fakeSource, healthyRepo } from "./fakes.js";

/**
 * The hotfix comment and the Version consistency gate count the same version files: the sample
 * monorepo's three services (pyproject.toml, the package `__init__.py`, Dockerfile) and the
 * k8s manifests each service's config names (outside the service's directory), twelve in all.
 */
const sampleConfig = (): Config => {
  const text = readFileSync(
    new URL("../../../sandbox/sample/monorepo/.github/release-pilot.yml", import.meta.url),
    "utf8",
  );
  const parsed = parseConfigText(text);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.config;
};

const versionsGate = async (config: Config, files: Record<string, string>) => {
  const repo = { ...healthyRepo(), files };
  const result = await runChecklist(
    {
      source: fakeSource(repo).source,
      ...fakeSource(repo).ports,
      checkRuns: fakeCheckRuns().writer,
      models: fakeModels({}).registry,
      listPaths: async () => Object.keys(files),
    },
    {
      config,
      pull: { number: 9, headSha: "h2", headRef: "hotfix/42-auth", baseRef: "main" },
      version: "1.1.1",
    },
  );
  return result.gates.find((g) => g.gate === "versions")!;
};

describe("version files: the hotfix comment and the Version consistency gate agree", () => {
  it("counts twelve on the sample monorepo, the k8s manifests included, and the gate passes on the bump", async () => {
    const config = sampleConfig();
    const tree = sampleFiles();
    const gh = new FakeShipGitHub();
    gh.tags.set("v1.1.0", { commit: "r110" });
    gh.branches.set("hotfix/42-auth", "h1");
    gh.files.set("h1", tree);
    gh.pulls.push({
      number: 9,
      url: "u",
      head: "hotfix/42-auth",
      base: "main",
      title: "fix: auth",
      body: "",
      open: true,
    });
    const bumped = await bumpHotfix(
      { ...gh.ports, clock: { now: () => new Date("2025-01-16T09:00:00Z") } },
      {
        config,
        pull: { number: 9, title: "fix: auth", body: "", head: "hotfix/42-auth", headSha: "h1", labels: [] },
      },
    );
    expect(bumped.reason).toBe("done");
    const comment = gh.comments.at(-1)?.body ?? "";
    const counted = Number(/in (\d+) version files/.exec(comment)?.[1]);
    expect(counted).toBe(12);

    const after: Record<string, string> = { ...tree };
    for (const [path, text] of gh.commits[0]!.files) if (text !== null) after[path] = text;
    const gate = await versionsGate(config, after);
    expect(gate.status).toBe("pass");
    expect(gate.rows).toHaveLength(counted);
    expect(gate.title).toBe(`All ${counted} version files say 1.1.1`);
    // The manifests are checked as the project's image tag, under the project that names them.
    expect(gate.rows.map((r) => r.item)).toContain("BankChurn-Predictor: k8s/bankchurn-deployment.yaml");
  });

  it("fails the gate on a manifest still pinning the old image tag", async () => {
    const config = sampleConfig();
    const tree = sampleFiles();
    const bumped = Object.fromEntries(
      Object.entries(tree).map(([path, text]) => [
        path,
        path === "k8s/telecom-deployment.yaml" ? text : text.replaceAll("1.1.0", "1.1.1"),
      ]),
    );
    const gate = await versionsGate(config, bumped);
    expect(gate.status).toBe("fail");
    const off = gate.rows.filter((r) => r.state !== "pass");
    expect(off).toEqual([
      expect.objectContaining({
        item: "TelecomAI-Customer-Intelligence: k8s/telecom-deployment.yaml",
        measured: "1.1.0",
        threshold: "1.1.1",
      }),
    ]);
  });
});
