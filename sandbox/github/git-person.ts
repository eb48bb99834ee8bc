// The author, committer or tagger of a commit or tag the sandbox writes for a user.
import type { GitPerson } from "./git-store.js";
import { noreplyEmail } from "./payloads.js";
import type { User, World } from "./state.js";

/**
 * The person as given in the request, a missing name, email or date taken from the authenticated
 * user and the current time, as GitHub does for a commit's author
 * (https://docs.github.com/en/rest/git/commits#create-a-commit).
 */
export function personFor(world: World, user: User, given: unknown): GitPerson {
  const g = (given ?? {}) as Partial<GitPerson>;
  return {
    name: g.name ?? user.login,
    email: g.email ?? noreplyEmail(user),
    date: g.date ?? world.now(),
  };
}
