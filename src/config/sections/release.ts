import { z } from "zod";

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
  })
  .prefault({});
