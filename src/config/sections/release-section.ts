import { z } from "zod";
import type { ReleaseSettings } from "../../domain/release/release-settings.js";
import type { Conforms } from "../conforms.js";

/** One releasable service of the repository. */
const projectEntry = z
  .object({
    name: z
      .string()
      .min(1)
      .describe("Service name, used to scope CHANGELOG lines (e.g. BankChurn-Predictor)."),
    path: z
      .string()
      .default(".")
      .describe("Directory of the service, relative to the repo root (`.` is the root)."),
    versionFiles: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "Extra version files (globs, relative to the service directory) besides the discovered ones.",
      ),
    image: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9]$/, "an image repository without a tag, e.g. ghcr.io/org/api")
      .optional()
      .describe("Container image repository of the service, e.g. ghcr.io/duqueom/bankchurn-api."),
    manifests: z
      .array(z.string().min(1))
      .optional()
      .describe(
        "k8s manifests / docker-compose files (globs from the repo root) whose image tag follows releases.",
      ),
  })
  .strict();

/** Branch model, naming and version sources for `/release` and hotfixes. */
export const releaseSection = z
  .object({
    developBranch: z.string().min(1).default("develop").describe("Branch releases are cut from."),
    mainBranch: z.string().min(1).default("main").describe("Branch releases are merged into and tagged on."),
    releaseBranchPrefix: z.string().min(1).default("release/v").describe("Prefix of release branches."),
    hotfixBranchPrefix: z.string().min(1).default("hotfix/").describe("Prefix of hotfix branches."),
    tagPrefix: z.string().default("v").describe("Prefix of release tags."),
    changelogPath: z
      .string()
      .min(1)
      .default("CHANGELOG.md")
      .describe("Keep a Changelog file at the repo root."),
    labels: z.array(z.string()).default(["release"]).describe("Labels put on release PRs."),
    projects: z
      .array(projectEntry)
      .optional()
      .describe(
        "Services released together. Absent: discovered (the root and directories up to two levels down holding a pyproject.toml, package.json, Cargo.toml or Chart.yaml; not test, fixture or example directories).",
      ),
    versionFiles: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "Extra files (globs from the repo root) whose version is bumped; files of unknown kind need a `x-release-pilot-version` marker comment on the version line.",
      ),
    chartVersion: z
      .enum(["patch", "minor", "release", "keep"])
      .default("patch")
      .describe(
        "How a Helm chart's own `version` moves when its `appVersion` follows a release (Helm: the two are unrelated, and a changed chart needs a new version): `patch` or `minor` bumps the chart's own version, `release` sets it to the release version, `keep` leaves it. A chart whose `version` equals its `appVersion` always follows the release.",
      ),
    changelog: z
      .object({
        dependencyUpdates: z
          .enum(["per-dependency", "one-entry"])
          .default("per-dependency")
          .describe(
            "How dependency-update commits (Renovate, Dependabot: `chore(deps)`, `build(deps)`, `ci(deps)`, `Bump x from a to b`, `Update dependency x to v2`) appear in generated notes: one line per dependency (the highest version wins), or one entry listing them.",
          ),
        template: z
          .string()
          .optional()
          .describe(
            "Release notes template (GitHub release body); placeholders {{version}}, {{sections}}, {{images}}, {{contributors}}, {{compareUrl}}. Absent: the release guide's template.",
          ),
      })
      .strict()
      .prefault({})
      .describe("CHANGELOG and release notes settings."),
    prerelease: z
      .array(z.string().regex(/^[A-Za-z][0-9A-Za-z-]*$/, "a SemVer pre-release identifier such as rc"))
      .default(["alpha", "beta", "rc"])
      .describe("Pre-release identifiers allowed in `/release X.Y.Z-rc.1` and `--pre`."),
  })
  .prefault({});

export type ReleaseConfig = Conforms<z.infer<typeof releaseSection>, ReleaseSettings>;
export type ReleaseProjectConfig = z.infer<typeof projectEntry>;
