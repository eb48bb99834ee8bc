import { performance } from "node:perf_hooks";
import { startEndToEnd } from "../sandbox/harness/e2e.js";
import { type DemoContext, DemoDeviation, type DemoStep } from "./demo-context.js";
import { canaryAnalysisSteps } from "./steps/canary-analysis-steps.js";
import { checklistSteps } from "./steps/checklist-steps.js";
import { deploySteps } from "./steps/deploy-steps.js";
import { releaseSteps } from "./steps/release-steps.js";
import { shipSteps } from "./steps/ship-steps.js";
import { describeCalls } from "./timeline.js";

/**
 * `npm run demo`: the release guide played end to end against the built-in sandbox GitHub,
 * through the real app server (signed webhooks over HTTP, the real Octokit stack).
 */
const steps: DemoStep[] = [
  ...releaseSteps,
  ...checklistSteps,
  ...shipSteps,
  ...deploySteps,
  ...canaryAnalysisSteps,
];

const indent = (text: string, by = "      ") =>
  text
    .split("\n")
    .map((line) => `${by}${line}`)
    .join("\n");

const main = async (): Promise<number> => {
  console.log("release-pilot demo: the release guide, played against the built-in sandbox\n");
  // Pauses fast-forward the app's clock: the canary analysis' 30 minutes pass in moments.
  const stack = await startEndToEnd({ kubernetes: true, prometheus: true, fastForward: true });
  const context: DemoContext = {
    ...stack,
    memory: new Map(),
    lastBotComment: (number) => {
      const comments = stack.sandbox.issue(stack.repo, number).comments;
      const mine = comments.filter((c) => c.user.login === `${stack.sandbox.appSlug}[bot]`);
      return mine.at(-1)?.body ?? "";
    },
  };
  console.log(`github sandbox: ${stack.sandbox.url}  ·  app: ${stack.app.url}  ·  repo: ${stack.repo}\n`);
  let passed = 0;
  let failed = 0;
  for (const [index, step] of steps.entries()) {
    stack.sandbox.resetRequests();
    const started = performance.now();
    try {
      const said = await step.run(context);
      passed++;
      const ms = Math.round(performance.now() - started);
      console.log(`✔ ${index + 1}. ${step.title}  (${ms} ms)`);
      console.log(indent(said));
    } catch (error) {
      failed++;
      const why = error instanceof DemoDeviation ? error.message : String((error as Error).stack ?? error);
      console.log(`✘ ${index + 1}. ${step.title}\n${indent(why)}`);
    }
    console.log(indent(describeCalls(stack.sandbox.requests).join("\n"), "      · "));
    console.log("");
  }
  if (stack.sandbox.violations.length > 0) {
    failed++;
    console.log(`✘ GitHub's OpenAPI description rejected:\n${indent(stack.sandbox.violations.join("\n"))}`);
  }
  await stack.close();
  console.log(`demo: ${passed} steps passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log("demo: 0 steps passed, 1 failed");
    process.exit(1);
  },
);
