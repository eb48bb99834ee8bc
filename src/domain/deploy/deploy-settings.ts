/**
 * The deploy settings the domain reads. The config schema is their one source:
 * `src/config/sections/environments-section.ts` and `src/config/schema.ts` prove at compile time
 * that what they parse gives all of this.
 */

/** One service of an environment: the Deployment and container whose image is set. */
export interface ServiceSettings {
  readonly name: string;
  readonly deployment: string;
  readonly container: string;
  /** Image repository; absent: the project of the same name's. */
  readonly image?: string | undefined;
}

/** Where an environment deploys to through its cluster. */
export interface EnvironmentTargetSettings {
  readonly cluster?: string | undefined;
  readonly namespace: string;
  readonly services?: readonly ServiceSettings[] | undefined;
}

/** What decides the deploys nobody asked for. */
export interface AutoDeploySettings {
  readonly release: { readonly developBranch: string };
  readonly ship: { readonly images: { readonly mode: string; readonly workflow: string } };
  readonly environments: Readonly<
    Record<
      string,
      {
        readonly autoDeploy: {
          readonly releases: boolean;
          readonly develop?:
            { readonly workflow?: string | undefined; readonly imageTag: string } | undefined;
        };
      }
    >
  >;
}
