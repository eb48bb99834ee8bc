/**
 * The gates' titles and check-run names, apart from their evaluators: telling this app's check
 * runs from CI's needs only the names, not every gate's parsers (the registry imports those).
 */
import { type GateId, gateIds } from "./types.js";

export const GATE_TITLES: Readonly<Record<GateId, string>> = {
  tests: "Tests",
  coverage: "Coverage",
  security: "Security",
  docs: "Docs",
  versions: "Version consistency",
  models: "Model performance",
  integration: "Integration tests",
  approvals: "Approvals",
  compliance: "Compliance",
};

/** The check-run name a branch protection rule requires for a gate. */
export const checkNameOf = (id: GateId): string => `Checklist: ${GATE_TITLES[id]}`;

export const READINESS_CHECK_NAME = "Release readiness";

/** Every gate's check-run name, for telling this app's runs from CI's. */
export const checklistCheckNames = (): string[] => [...gateIds.map(checkNameOf), READINESS_CHECK_NAME];
