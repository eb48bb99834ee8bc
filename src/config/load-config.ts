import { parse as parseYaml } from "yaml";
import type { RepoRef } from "../adapters/github/octokit.js";
import type { ReadRepoFile } from "../ports/config-files.js";
import { type ConfigResult, validateConfig } from "./parse-config.js";
import { CONFIG_PATH } from "./schema.js";

export type LoadedConfig = ConfigResult & { source: "file" | "default"; files: string[] };

const MAX_EXTENDS = 3;

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Deep merge where the repository's own values win; lists are replaced, not concatenated. */
export const mergeConfig = (base: Plain, own: Plain): Plain => {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(own)) {
    const current = merged[key];
    merged[key] = isPlain(current) && isPlain(value) ? mergeConfig(current, value) : value;
  }
  return merged;
};

/**
 * `_extends` as Probot's config loader reads it: `repo` (same owner), `owner/repo`, or
 * `owner/repo:path/to/file.yml`. Anything else is refused, never fetched.
 */
export const parseExtends = (value: unknown, from: RepoRef): { repo: RepoRef; path: string } | string => {
  if (typeof value !== "string") return "_extends: expected a repository name";
  const match = /^(?:([A-Za-z0-9-]{1,39})\/)?([A-Za-z0-9._-]{1,100})(?::([A-Za-z0-9._/-]{1,200}))?$/.exec(
    value,
  );
  const path = match?.[3] ?? CONFIG_PATH;
  if (!match || path.split("/").some((part) => part === ".." || part === "")) {
    return `_extends: ${JSON.stringify(value.slice(0, 80))} is not \`repo\`, \`owner/repo\` or \`owner/repo:path\``;
  }
  return { repo: { owner: match[1] ?? from.owner, repo: match[2] ?? "" }, path };
};

const parseFile = (text: string, label: string): Plain | string => {
  try {
    const value: unknown = parseYaml(text, { maxAliasCount: 100 });
    if (value === null || value === undefined) return {};
    return isPlain(value) ? value : `${label}: (root): expected a mapping of settings`;
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return `${label}: (yaml): ${message}`;
  }
};

/** The longest config file (and each `_extends` file) read: 128 KiB of text. */
export const MAX_CONFIG_LENGTH = 131_072;

/**
 * Loads `.github/release-pilot.yml` (following `_extends` for org-wide defaults) and validates
 * it against the one schema. Total: a missing file gives the defaults, a bad one gives errors.
 */
export const loadConfig = async (read: ReadRepoFile, repo: RepoRef, ref?: string): Promise<LoadedConfig> => {
  const layers: Plain[] = [];
  const files: string[] = [];
  let next: { repo: RepoRef; path: string; ref?: string } | undefined = { repo, path: CONFIG_PATH, ref };
  while (next) {
    if (files.length > MAX_EXTENDS) {
      return { ok: false, errors: [`_extends: more than ${MAX_EXTENDS} levels`], source: "file", files };
    }
    const label = `${next.repo.owner}/${next.repo.repo}:${next.path}`;
    const text = await read(next.repo, next.path, next.ref);
    if (text === undefined) {
      if (files.length === 0) break;
      return { ok: false, errors: [`_extends: ${label} does not exist`], source: "file", files };
    }
    // Size cap before any parse: a config has no reason to be large, and YAML costs per byte.
    if (text.length > MAX_CONFIG_LENGTH) {
      const error = `${label} is longer than ${MAX_CONFIG_LENGTH} characters`;
      return { ok: false, errors: [error], source: "file", files };
    }
    files.push(label);
    const layer = parseFile(text, label);
    if (typeof layer === "string") return { ok: false, errors: [layer], source: "file", files };
    const { _extends: extendsValue, ...own } = layer;
    layers.unshift(own);
    if (extendsValue === undefined) break;
    const target = parseExtends(extendsValue, next.repo);
    if (typeof target === "string") return { ok: false, errors: [target], source: "file", files };
    next = target;
  }
  const merged = layers.reduce<Plain>((acc, layer) => mergeConfig(acc, layer), {});
  return { ...validateConfig(merged), source: files.length > 0 ? "file" : "default", files };
};
