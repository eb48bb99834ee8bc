/* global module */
/**
 * The house's dependency rules (docs/architecture.md): arrows point inward only.
 *
 *   domain ◄── ports ◄── use-cases ◄── handlers ◄── index.ts (routing table)
 *     ▲  ▲                   │
 *     │  └── config ◄────────┘            adapters ──► ports, domain, config
 *     └────────────────────────────────── composition ──► everything in src/ (the one place adapters are built)
 *
 * `npm run lint` runs these; a wrong arrow fails CI. No exceptions are listed.
 */
const layer = (name, allowed, comment) => ({
  name: `${name}-imports-inward-only`,
  comment,
  severity: "error",
  from: { path: `^src/${name}/` },
  to: { path: `^src/(?!(?:${allowed.join("|")})/)` },
});

module.exports = {
  forbidden: [
    layer("domain", ["domain"], "The domain is pure: it decides, plans and renders from values it is given."),
    layer("ports", ["ports", "domain"], "Ports are interfaces in the domain's terms."),
    layer(
      "config",
      ["config", "domain"],
      "The config schema validates with the domain's parsers and nothing else.",
    ),
    layer(
      "use-cases",
      ["use-cases", "ports", "domain", "config"],
      "Use-cases reach the world only through ports; adapters are built in src/composition/.",
    ),
    layer(
      "handlers",
      ["handlers", "use-cases", "ports", "domain", "config"],
      "A handler maps a payload to a use-case and reports; it builds no adapter.",
    ),
    layer(
      "adapters",
      ["adapters", "ports", "domain", "config"],
      "Adapters implement ports; they never call back into use-cases or handlers.",
    ),
    {
      name: "domain-has-no-io",
      comment: "No I/O, clock, environment or process in the domain.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { dependencyTypes: ["core"], path: "^(?!(?:node:)?(?:path|util|url|crypto)$)" },
    },
    {
      name: "app-stands-alone",
      comment: "The app never imports the sandbox, the demo, the bench, the tests or scripts.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(?:sandbox|demo|bench|test|scripts)/" },
    },
    {
      name: "sandbox-fakes-follow-the-documents",
      comment:
        "The fake GitHub, cluster and Prometheus follow the services' published behaviour, never the app's code (only sandbox/harness/ starts the app).",
      severity: "error",
      from: { path: "^sandbox/(?!harness/)" },
      to: { path: "^src/" },
    },
    {
      name: "sandbox-serves-demo-and-bench",
      comment: "The demo and the bench use the sandbox; the sandbox never imports them.",
      severity: "error",
      from: { path: "^sandbox/" },
      to: { path: "^(?:demo|bench|scripts)/" },
    },
    {
      name: "tests-are-imported-by-tests-only",
      comment: "Nothing outside test/ imports from test/ (the sandbox, demo and bench stand on their own).",
      severity: "error",
      from: { pathNot: "^test/" },
      to: { path: "^test/" },
    },
    {
      name: "no-circular",
      comment: "A cycle makes two modules one; split what both need into a third.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "app-runs-on-its-dependencies",
      comment: "Shipped code imports only packages the image installs (dependencies, not devDependencies).",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "resolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(?:node_modules|lib|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
