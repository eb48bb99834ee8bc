/** Where the config file lives in a repository (apart from the schema, so a route can test a push for it cheaply). */
export const CONFIG_PATH = ".github/release-pilot.yml";
