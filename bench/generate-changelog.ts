import { seededRandom } from "./stats.js";

const SECTIONS = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"] as const;
const SERVICES = ["BankChurn-Predictor", "CarVision-Market-Intelligence", "TelecomAI-Customer-Intelligence"];
const WORDS = (
  "model endpoint batch prediction latency drift retrain pipeline feature store schema validation " +
  "dashboard metrics canary rollout docker image dependency scikit-learn fastapi pydantic cors auth " +
  "token cache timeout threshold calibration explainability shap monitoring alert kubernetes helm"
).split(" ");

/**
 * A Keep a Changelog file the size of a long-lived monorepo's: `releases` versions, newest
 * first, an Unreleased section with notes, and compare links at the bottom. Seeded: the same
 * text on every run.
 */
export const generateChangelog = (releases: number, seed = 20250115): string => {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(random() * 10) }, () => pick(WORDS));
    return `${words.join(" ")} (#${1 + Math.floor(random() * 9000)})`;
  };
  const body = () => {
    const out: string[] = [];
    const sections = SECTIONS.filter(() => random() < 0.55);
    for (const section of sections.length > 0 ? sections : ["Fixed" as const]) {
      out.push(`### ${section}`, "");
      const items = 2 + Math.floor(random() * 7);
      for (let i = 0; i < items; i++) out.push(`- **${pick(SERVICES)}**: ${sentence()}`);
      out.push("");
    }
    return out.join("\n");
  };
  const versions: string[] = [];
  let [major, minor, patch] = [1, 0, 0];
  for (let i = 0; i < releases; i++) {
    versions.push(`${major}.${minor}.${patch}`);
    const r = random();
    if (r < 0.02) [major, minor, patch] = [major + 1, 0, 0];
    else if (r < 0.4) [minor, patch] = [minor + 1, 0];
    else patch += 1;
  }
  versions.reverse();
  const start = Date.UTC(2015, 0, 1);
  const day = 86_400_000;
  const lines = [
    "# Changelog",
    "",
    "All notable changes to this project will be documented in this file.",
    "",
    "The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),",
    "and this project adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).",
    "",
    "## [Unreleased]",
    "",
    body(),
  ];
  versions.forEach((version, index) => {
    const date = new Date(start + (versions.length - index) * day).toISOString().slice(0, 10);
    lines.push(`## [${version}] - ${date}`, "", body());
  });
  const repo = "https://github.com/duqueom/ml-mlops-portfolio";
  lines.push(`[unreleased]: ${repo}/compare/v${versions[0]}...HEAD`);
  versions.forEach((version, index) => {
    const previous = versions[index + 1];
    lines.push(
      previous
        ? `[${version}]: ${repo}/compare/v${previous}...v${version}`
        : `[${version}]: ${repo}/releases/tag/v${version}`,
    );
  });
  return `${lines.join("\n")}\n`;
};
