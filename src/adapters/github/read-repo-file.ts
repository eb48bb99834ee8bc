import type { ReadRepoFile } from "../../ports/config-files.js";
import { type Octokit, httpStatusOf } from "./octokit.js";
import type { RepoRef } from "../../domain/repo-ref.js";

interface CachedFile {
  etag: string;
  text: string | undefined;
}

/** Files keyed by repo, path and ref, with the ETag GitHub gave them. */
export class FileCache {
  readonly #entries = new Map<string, CachedFile>();
  readonly #limit: number;

  constructor(limit = 2000) {
    this.#limit = limit;
  }

  get(key: string): CachedFile | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: CachedFile): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}

/**
 * Reads repository files with conditional requests: an unchanged file answers 304, which
 * GitHub does not count against the rate limit, and the cached text is used.
 */
export const createRepoFileReader =
  (octokit: Octokit, cache: FileCache): ReadRepoFile =>
  async (repo: RepoRef, path: string, ref?: string) => {
    const key = `${repo.owner}/${repo.repo}@${ref ?? ""}:${path}`;
    const cached = cache.get(key);
    try {
      const response = await octokit.rest.repos.getContent({
        ...repo,
        path,
        ...(ref ? { ref } : {}),
        headers: cached ? { "if-none-match": cached.etag } : {},
      });
      const data = response.data;
      const text =
        !Array.isArray(data) && data.type === "file" && "content" in data
          ? Buffer.from(data.content, "base64").toString("utf8")
          : undefined;
      const etag = response.headers.etag;
      if (etag) cache.set(key, { etag, text });
      return text;
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 304 && cached) return cached.text;
      if (status === 404) return undefined;
      throw error;
    }
  };
