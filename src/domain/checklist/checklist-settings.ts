import type { GateId } from "./types.js";

/** Whether a gate runs, and whether its failure blocks or only warns. */
export interface GateFlags {
  readonly enabled: boolean;
  readonly required: boolean;
}

/**
 * The checklist settings the gates read. The config schema is their one source:
 * `src/config/sections/checklist-section.ts` proves at compile time that what it parses gives all
 * of this.
 */
export type ChecklistSettings = Readonly<Record<GateId, GateFlags>> & {
  readonly tests: { readonly checks: readonly string[] };
  readonly integration: { readonly checks: readonly string[] };
  readonly coverage: {
    readonly threshold: number;
    readonly projects: Readonly<Record<string, { readonly threshold?: number | undefined }>>;
  };
  readonly security: { readonly severities: readonly string[] };
  readonly docs: { readonly changelog: string; readonly files: readonly string[] };
  readonly approvals: { readonly count: number; readonly managers: readonly string[] };
  readonly compliance: { readonly items: readonly string[] };
};
