import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const SAMPLE_OWNER = "duqueom";
export const SAMPLE_NAME = "ml-mlops-portfolio";
export const SAMPLE_REPO = `${SAMPLE_OWNER}/${SAMPLE_NAME}`;

const root = fileURLToPath(new URL("./monorepo/", import.meta.url));

/** Every file of the sample monorepo (three ML API services, k8s manifests, CHANGELOG). */
export const sampleFiles = (): Record<string, string> => {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(root, path).split("\\").join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(root);
  return files;
};

export interface SampleCommit {
  branch: string;
  message: string;
  files: Record<string, string>;
  date: string;
}

const edit = (files: Record<string, string>, path: string, append: string): Record<string, string> => ({
  [path]: `${files[path] ?? ""}${append}`,
});

/**
 * The history the demo starts from: `main` released as v1.1.0, then conventional commits on
 * `develop` touching each service, so that `/release` has notes to generate.
 */
export const sampleHistory = (): SampleCommit[] => {
  const files = sampleFiles();
  return [
    { branch: "main", message: "chore: release 1.1.0", files, date: "2025-01-02T12:00:00Z" },
    { branch: "develop", message: "chore: start 1.2.0 development", files: {}, date: "2025-01-03T09:00:00Z" },
    {
      branch: "develop",
      message: "feat(bankchurn): add batch prediction endpoint",
      files: edit(
        files,
        "BankChurn-Predictor/src/bankchurn/api.py",
        "\n\ndef predict_batch(rows):\n    return [predict(r) for r in rows]\n",
      ),
      date: "2025-01-06T10:00:00Z",
    },
    {
      branch: "develop",
      message: "feat: new market analysis dashboard",
      files: edit(
        files,
        "CarVision-Market-Intelligence/src/carvision/api.py",
        "\n\nDASHBOARD = 'market-analysis'\n",
      ),
      date: "2025-01-08T10:00:00Z",
    },
    {
      branch: "develop",
      message: "fix(telecom): resolve CORS issues in the prediction endpoint",
      files: edit(files, "TelecomAI-Customer-Intelligence/src/telecom/api.py", "\n\nCORS_ORIGINS = ['*']\n"),
      date: "2025-01-10T10:00:00Z",
    },
    {
      branch: "develop",
      message: "docs: document the batch prediction endpoint",
      files: edit(
        files,
        "README.md",
        "\n## Batch predictions\n\n`POST /predict/batch` scores many customers at once.\n",
      ),
      date: "2025-01-11T10:00:00Z",
    },
    {
      branch: "develop",
      message: "chore(deps): update scikit-learn to 1.4.0",
      files: {},
      date: "2025-01-12T10:00:00Z",
    },
  ];
};
