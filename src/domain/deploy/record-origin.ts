/**
 * Whether a GitHub Deployment record is one this App created. Anyone with `deployments: write`
 * on a repository (a person, a workflow's GITHUB_TOKEN, another app) can create a Deployment
 * whose payload looks exactly like ours; only its creator tells them apart.
 *
 * GitHub's Deployment object (https://docs.github.com/en/rest/deployments/deployments#get-a-deployment,
 * schema `deployment` in @octokit/openapi's api.github.com.json) has:
 * - `creator` (required, `nullable-simple-user`): the account whose token made the request. A
 *   GitHub App's installation token acts as the App's bot user, login `<slug>[bot]` with
 *   `type: "Bot"` (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation).
 *   No person or organisation can hold that login: `[` and `]` are not allowed in account names.
 *   This is the field the decision rests on.
 * - `performed_via_github_app` (optional, `nullable-integration`): the App, when one was
 *   involved. It is not in the schema's `required` list and is null or absent on many records,
 *   so its absence proves nothing; when present it must name this App (it also names an App
 *   acting for a person through a user token, whose `creator` is then that person).
 */
export interface AppIdentity {
  id: number;
  slug: string;
}

/** Who created a Deployment, as GitHub reports it. */
export interface RecordCreator {
  /** `creator.login` ("" when GitHub reports no creator: a deleted account). */
  login: string;
  /** `creator.type`: "User", "Bot", "Organization". */
  type: string;
  /** `performed_via_github_app.id`, when GitHub reports one. */
  viaAppId: number | undefined;
}

export type RecordOrigin = { kind: "ours" } | { kind: "foreign"; reason: string };

/** The bot login of an App: `<slug>[bot]`. */
const botLoginOf = (app: AppIdentity): string => `${app.slug}[bot]`;

export const decideRecordOrigin = (creator: RecordCreator, self: AppIdentity): RecordOrigin => {
  const who = creator.login ? `@${creator.login} (${creator.type || "unknown type"})` : "an unknown account";
  if (creator.type !== "Bot" || creator.login.toLowerCase() !== botLoginOf(self).toLowerCase())
    return { kind: "foreign", reason: `created by ${who}, not by ${botLoginOf(self)}` };
  if (creator.viaAppId !== undefined && creator.viaAppId !== self.id)
    return {
      kind: "foreign",
      reason: `performed via the GitHub App ${creator.viaAppId}, not this App (${self.id})`,
    };
  return { kind: "ours" };
};
