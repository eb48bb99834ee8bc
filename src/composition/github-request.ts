/**
 * The one place GitHub's transport is chosen: every Octokit the app's Probot builds (the App's
 * own, each installation's, the installation-token requests of @octokit/auth-app, and the
 * class a test passes in) sends its requests through this `request.fetch`.
 *
 * How it reaches them: Probot hands its `request` option to the Octokit class it builds
 * (`defaultOptions.request` in probot/lib/octokit/get-probot-octokit-with-defaults.js) and to
 * @octokit/auth-app's own `request.defaults({ request: { fetch } })`, which makes the tokens.
 * `Octokit.defaults` merges options shallowly (`Object.assign` in @octokit/core): an instance's
 * `request` replaces the class's whole. Installation clients are built from the App client's
 * options (`octokitOptions` in probot/lib/octokit/get-authenticated-octokit.js), so they carry
 * this same object; a call's own `request: { … }` (`parseSuccessResponseBody: false`) is merged
 * deeply by @octokit/endpoint and keeps `fetch`. test/composition/github-transport.test.ts checks it.
 *
 * Why not Node's fetch: docs/dependencies.md ("GitHub requests over node:http").
 */
import { createHttpTransport } from "../adapters/github/http-transport.js";

/** Octokit's `request` options for a new server: a transport with its own keep-alive agents. */
export const githubRequestOptions = (): { fetch: ReturnType<typeof createHttpTransport> } => ({
  fetch: createHttpTransport(),
});
