/** A repository on GitHub, by owner and name: what every port and use-case acts on. */
export interface RepoRef {
  owner: string;
  repo: string;
}
