import type { RepoRef } from "../domain/repo-ref.js";

/** Reads a text file of a repository; undefined when the file does not exist. */
export type ReadRepoFile = (repo: RepoRef, path: string, ref?: string) => Promise<string | undefined>;
