import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import type { RepoRef } from "../domain/repo-ref.js";
import { type ConfigResult, formatConfigIssues, validateConfig } from "./parse-config.js";
import { CONFIG_PATH, configSchema } from "./schema.js";

/**
 * Reads a text file of a repository; undefined when the file does not exist. The loader takes it
 * as a function, so config depends on no port: any reader of that shape (the GitHub adapter's, a
 * test's map) is one.
 */
export type ReadConfigFile = (repo: RepoRef, path: string, ref?: string) => Promise<string | undefined>;

export type LoadedConfig = ConfigResult & { source: "file" | "default"; files: string[] };

const MAX_EXTENDS = 3;

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Deep merge where the repository's own values win; lists are replaced, not concatenated. */
const mergeConfig = (base: Plain, own: Plain): Plain => {
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(own)) {
    const current = Object.hasOwn(merged, key) ? merged[key] : undefined;
    // Defined, not assigned: a `__proto__` key in YAML stays a plain (and unknown) key.
    Object.defineProperty(merged, key, {
      value: isPlain(current) && isPlain(value) ? mergeConfig(current, value) : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
};

/**
 * `_extends` as Probot's config loader reads it: `repo` (same owner), `owner/repo`, or
 * `owner/repo:path/to/file.yml`. Anything else is refused, never fetched. Only a repository of
 * the same owner can be extended: the installation's token may read other owners' private
 * repositories, and a write user must not learn what they hold.
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
  const owner = match[1] ?? from.owner;
  // GitHub logins are case-insensitive.
  if (owner.toLowerCase() !== from.owner.toLowerCase()) {
    return `_extends: only a repository of the same owner (\`${from.owner}\`) can be extended`;
  }
  return { repo: { owner, repo: match[2] ?? "" }, path };
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
 * The one thing said about an extended file that is missing or not valid. It names the file and
 * nothing of its text, keys or aliases (they may be another private repository's), and a missing
 * file reads the same as an invalid one, so its existence is not told either.
 */
const extendedNotValid = (label: string): string =>
  `_extends: \`${label}\` (extended) is not valid or cannot be read`;

/** How many leading segments of `path` a layer holds a value at. */
const depthIn = (layer: unknown, path: readonly PropertyKey[]): number => {
  let node = layer;
  for (const [depth, key] of path.entries()) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return depth;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return path.length;
};

/**
 * Whether an issue's text shows only what the repository's own file holds: its path is a value
 * the file sets, a required key missing under a mapping the file defines, or unknown keys the
 * file wrote. Anything else came from an extended file.
 */
const isOwnIssue = (issue: z.core.$ZodIssue, own: Plain, merged: Plain): boolean => {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.every((key) => depthIn(own, [...path, key]) === path.length + 1);
  }
  const depth = depthIn(own, path);
  return depth === path.length || (depth === path.length - 1 && depthIn(merged, path) < path.length);
};

/**
 * Validates the merged layers. An issue the repository's own file explains keeps its detail;
 * any other is told as the extended file's {@link extendedNotValid}, so a key name of another
 * repository never shows.
 */
const validateLayers = (own: Plain, extended: { label: string; layer: Plain }[]): ConfigResult => {
  // The nearest file wins: own over the file it extends, over the file that one extends.
  const base = extended.reduceRight<Plain>((acc, e) => mergeConfig(acc, e.layer), {});
  const merged = mergeConfig(base, own);
  if (extended.length === 0) return validateConfig(merged);
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors = parsed.error.issues.map((issue) => {
    if (isOwnIssue(issue, own, merged)) return formatConfigIssues([issue])[0] ?? "";
    const source = extended.reduce((best, e) =>
      depthIn(e.layer, issue.path) > depthIn(best.layer, issue.path) ? e : best,
    );
    return extendedNotValid(source.label);
  });
  return { ok: false, errors: [...new Set(errors)] };
};

/**
 * Loads \`.github/release-pilot.yml\` (following \`_extends\` for org-wide defaults) and validates
 * it against the one schema. Total: a missing file gives the defaults, a bad one gives errors.
 * Errors about the repository's own file keep their detail; about an extended file, only its name.
 */
export const loadConfig = async (
  read: ReadConfigFile,
  repo: RepoRef,
  ref?: string,
): Promise<LoadedConfig> => {
  let own: Plain = {};
  const extended: { label: string; layer: Plain }[] = [];
  const files: string[] = [];
  const fail = (error: string): LoadedConfig => ({ ok: false, errors: [error], source: "file", files });
  let next: { repo: RepoRef; path: string; ref?: string } | undefined = { repo, path: CONFIG_PATH, ref };
  while (next) {
    if (files.length > MAX_EXTENDS) return fail(`_extends: more than ${MAX_EXTENDS} levels`);
    const isOwn = files.length === 0;
    const label = `${next.repo.owner}/${next.repo.repo}:${next.path}`;
    const text = await read(next.repo, next.path, next.ref);
    if (text === undefined) {
      if (isOwn) break;
      return fail(extendedNotValid(label));
    }
    // Size cap before any parse: a config has no reason to be large, and YAML costs per byte.
    if (text.length > MAX_CONFIG_LENGTH) {
      const error = `${label} is longer than ${MAX_CONFIG_LENGTH} characters`;
      return { ok: false, errors: [error], source: "file", files };
    }
    files.push(label);
    const layer = parseFile(text, label);
    if (typeof layer === "string") return fail(isOwn ? layer : extendedNotValid(label));
    const { _extends: extendsValue, ...values } = layer;
    if (isOwn) own = values;
    else extended.push({ label, layer: values });
    if (extendsValue === undefined) break;
    // Every level is held to the first file's owner, not only to the file that names it.
    const target = parseExtends(extendsValue, repo);
    if (typeof target === "string") return fail(isOwn ? target : extendedNotValid(label));
    next = target;
  }
  return { ...validateLayers(own, extended), source: files.length > 0 ? "file" : "default", files };
};
