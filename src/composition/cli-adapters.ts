import { createLocalGit } from "../adapters/git/local-git.js";
import type { CliAdapters } from "../cli/plan-command.js";

/** The CLI's adapters: a local checkout read through the git CLI (dry runs need no GitHub). */
export const composeCli = (): CliAdapters => ({ openCheckout: createLocalGit });
