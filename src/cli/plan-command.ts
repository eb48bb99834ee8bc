import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { type LocalGit, LocalGitError } from "../adapters/git/local-git.js";
import { parseConfigText } from "../config/parse-config.js";
import { defaultConfig, type Config } from "../config/schema.js";
import { buildReleasePlan } from "../domain/release/build-release-plan.js";
import { parseVersion, type Version } from "../domain/version/version.js";
import { PLAN_HELP, parsePlanArgs, wantsHelp } from "./parse-plan-args.js";
import { planToJson, renderPlanText } from "./render-plan.js";
import { EXIT, RefusedError, UsageError } from "./usage-error.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Today, `YYYY-MM-DD` (the default release date). */
  today: () => string;
}

/** What the CLI reads through (built by src/composition/cli-adapters.ts). */
export interface CliAdapters {
  /** The git checkout in `dir`; throws LocalGitError when it is not one. */
  openCheckout(dir: string): LocalGit;
}

const DEFAULT_CONFIG = ".github/release-pilot.yml";

/** `--config FILE`, else the checkout's own `.github/release-pilot.yml`, else the defaults. */
const loadConfig = (dir: string, file: string | undefined): Config => {
  const path = file ?? join(dir, DEFAULT_CONFIG);
  if (file === undefined && !existsSync(path)) return defaultConfig();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(
      `cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const result = parseConfigText(text);
  if (!result.ok) throw new UsageError(`bad config ${path}: ${result.errors.join("; ")}`);
  return result.config;
};

const highestTag = (tags: readonly string[], prefix: string): string | undefined => {
  let best: { tag: string; version: Version } | undefined;
  for (const tag of tags) {
    const parsed = parseVersion(tag.slice(prefix.length));
    if (!tag.startsWith(prefix) || !parsed.ok) continue;
    const version = parsed.value;
    if (!best || version.greaterThan(best.version)) best = { tag, version };
  }
  return best?.tag;
};

/** `release-pilot plan`: the release plan of a local checkout, printed, and applied with --write. */
export const runPlanCommand = (argv: readonly string[], io: CliIo, adapters: CliAdapters): number => {
  if (wantsHelp(argv)) {
    io.stdout(`${PLAN_HELP}\n`);
    return EXIT.ok;
  }
  const args = parsePlanArgs(argv);
  const dir = resolve(args.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`--dir ${args.dir} is not a directory`);
  const config = loadConfig(dir, args.config).release;
  let git;
  try {
    git = adapters.openCheckout(dir);
  } catch (error) {
    if (error instanceof LocalGitError) throw new UsageError(`--dir ${args.dir} is not a git checkout`);
    throw error;
  }
  // The highest release tag anywhere (not only reachable ones: tags made on release branches).
  const latestTag = highestTag(git.listTags(config.tagPrefix), config.tagPrefix);
  let commits;
  try {
    commits = git.log(args.from ?? latestTag);
  } catch (error) {
    if (error instanceof LocalGitError) throw new UsageError(`--from ${args.from}: ${error.message}`);
    throw error;
  }
  const planned = buildReleasePlan({
    config,
    request: args.request,
    files: { list: () => git.listFiles(), read: (path) => git.readFile(path) },
    latestTag,
    rangeFrom: args.from,
    commits,
    date: args.date ?? io.today(),
    repoUrl: git.remoteUrl(),
  });
  // A version that is not one is a usage error; a version the release history refuses is a refusal.
  if (!planned.ok) {
    const { code, message } = planned.error;
    throw code === "bad-version" ? new UsageError(message) : new RefusedError(message);
  }
  const plan = planned.value;
  // Every target is checked, even for a dry run, before any is written: config paths (changelogPath) may not
  // point outside the checkout, and a refused plan leaves the tree untouched.
  const targets = plan.files.map((file) => {
    const target = resolve(dir, file.path);
    const rel = relative(dir, target);
    if (rel.startsWith("..") || isAbsolute(rel))
      throw new RefusedError(`refusing to write ${file.path}: outside ${dir}`);
    return { target, text: file.after };
  });
  io.stdout(args.json ? `${JSON.stringify(planToJson(plan), null, 2)}\n` : renderPlanText(plan));
  if (args.write) {
    for (const { target, text } of targets) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    io.stderr(`Wrote ${targets.length} file(s) in ${dir}.\n`);
  }
  return EXIT.ok;
};
