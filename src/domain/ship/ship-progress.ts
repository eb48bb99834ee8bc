/**
 * Shipping as an explicit sequence: the steps a merged release, hotfix or revert PR goes through,
 * and the state of each (done, pending, failed with the system that failed). A run reads what
 * GitHub already shows before each write (the tag on the merge commit, the release, the
 * back-merge, the comments, the issue's state), so a step is "done" when GitHub shows it, whichever
 * run did it. When a step fails past the retries, the progress comment says what is done and what
 * remains; a hidden marker in it records the same, read back by the next run.
 */
import { readHiddenJson } from "../json-object.js";

export const shipStepIds = [
  "tag",
  "release",
  "images",
  "models",
  "back-merge",
  "issue-comment",
  "close-issue",
  "pull-comment",
] as const;

export type ShipStepId = (typeof shipStepIds)[number];

/** The system a failed step talked to. */
export type ShipSystem = "GitHub" | "MLflow";

export type StepState =
  | { state: "done"; note?: string | undefined }
  | { state: "pending" }
  /** `message` is a sentence that names the system (`GitHub answered 502.`). */
  | { state: "failed"; system: ShipSystem; message: string };

export interface ShipProgress {
  tag: string;
  steps: readonly { id: ShipStepId; state: StepState }[];
  /** A read before the first step that failed (e.g. the tracking issue): nothing is done yet. */
  before?: { reading: string; system: ShipSystem; message: string } | undefined;
}

const LABEL: Record<ShipStepId, string> = {
  tag: "tag on the merge commit",
  release: "GitHub release",
  images: "image publishing",
  models: "MLflow model tags",
  "back-merge": "back-merge into develop",
  "issue-comment": "comment on the tracking issue",
  "close-issue": "tracking issue closed",
  "pull-comment": "comment on this PR",
};

export const stepLabel = (id: ShipStepId): string => LABEL[id];

/**
 * The steps of one shipment, in order. Models only when the config names some; the issue's steps
 * only when a tracking issue is known. The PR's "shipped" comment comes last: its presence means
 * every step before it is done (the restart looks for it).
 */
export const planShipSteps = (input: { models: boolean; issue: boolean }): ShipStepId[] =>
  shipStepIds.filter(
    (id) =>
      (id !== "models" || input.models) && ((id !== "issue-comment" && id !== "close-issue") || input.issue),
  );

export const startShipProgress = (tag: string, steps: readonly ShipStepId[]): ShipProgress => ({
  tag,
  steps: steps.map((id) => ({ id, state: { state: "pending" } })),
});

const setStep = (progress: ShipProgress, id: ShipStepId, state: StepState): ShipProgress => ({
  ...progress,
  steps: progress.steps.map((s) => (s.id === id ? { id, state } : s)),
});

export const markStepDone = (progress: ShipProgress, id: ShipStepId, note?: string): ShipProgress =>
  setStep(progress, id, note === undefined ? { state: "done" } : { state: "done", note });

export const markStepFailed = (
  progress: ShipProgress,
  id: ShipStepId,
  failure: { system: ShipSystem; message: string },
): ShipProgress => setStep(progress, id, { state: "failed", ...failure });

/** Stopped by a failed read before the first step: every step remains. */
export const stopShipProgressBefore = (
  progress: ShipProgress,
  before: { reading: string; system: ShipSystem; message: string },
): ShipProgress => ({ ...progress, before });

export const isShipComplete = (progress: ShipProgress): boolean =>
  progress.steps.every((s) => s.state.state === "done");

export const doneSteps = (progress: ShipProgress): ShipStepId[] =>
  progress.steps.filter((s) => s.state.state === "done").map((s) => s.id);

export const remainingSteps = (progress: ShipProgress): ShipStepId[] =>
  progress.steps.filter((s) => s.state.state !== "done").map((s) => s.id);

export const failedStep = (
  progress: ShipProgress,
): { id: ShipStepId; system: ShipSystem; message: string } | undefined => {
  for (const s of progress.steps)
    if (s.state.state === "failed") return { id: s.id, system: s.state.system, message: s.state.message };
  return undefined;
};

/** The marker of the progress comment of one shipment (one per thread, edited in place). */
export const shipProgressMarker = (tag: string): string => `<!-- release-pilot:ship-progress:${tag} -->`;

const STATE_MARKER = /<!-- release-pilot:ship-state (\{[^\n]{0,2000}?\}) -->/;

/** What the hidden state line of a progress comment records: the steps done and the failed one. */
export interface RecordedShipState {
  done: ShipStepId[];
  failed?: ShipStepId | undefined;
  complete: boolean;
}

const isStepId = (value: unknown): value is ShipStepId =>
  typeof value === "string" && (shipStepIds as readonly string[]).includes(value);

/** Reads the hidden state line of a progress comment; undefined when absent or malformed. */
export const parseShipState = (body: string | null | undefined): RecordedShipState | undefined => {
  const record = readHiddenJson(body, STATE_MARKER);
  if (!record) return undefined;
  if (!Array.isArray(record.done) || typeof record.complete !== "boolean") return undefined;
  const done = [...new Set(record.done.filter(isStepId))];
  return { done, failed: isStepId(record.failed) ? record.failed : undefined, complete: record.complete };
};

/** Keeps a user-visible message to one short line: no Markdown breakouts, no hidden markers. */
const oneLine = (text: string): string =>
  text
    .replace(/<!--|-->/g, "")
    .replace(/[\r\n]+/g, " ")
    .replace(/`/g, "'")
    .slice(0, 300);

/**
 * The progress comment: what is done, what failed (and on which system), what remains, and how to
 * finish. Once complete it says so (the same comment, edited in place).
 */
export const renderShipProgress = (progress: ShipProgress): string => {
  const complete = isShipComplete(progress);
  const failed = failedStep(progress);
  const state: RecordedShipState = {
    done: doneSteps(progress),
    complete,
    ...(failed ? { failed: failed.id } : {}),
  };
  const lines = [
    shipProgressMarker(progress.tag),
    `<!-- release-pilot:ship-state ${JSON.stringify(state)} -->`,
  ];
  if (complete) {
    lines.push(`### ✅ Shipping ${progress.tag} completed`, "", "Every step is done:");
  } else {
    lines.push(
      `### ⚠️ Shipping ${progress.tag} stopped`,
      "",
      failed
        ? `The ${stepLabel(failed.id)} failed: ${oneLine(failed.message)}`
        : progress.before
          ? state.done.length === 0
            ? `Nothing is done yet: reading the ${oneLine(progress.before.reading)} failed before the first step: ${oneLine(progress.before.message)}`
            : `Reading the ${oneLine(progress.before.reading)} failed before the remaining steps: ${oneLine(progress.before.message)}`
          : "Shipping stopped before every step was done.",
      "",
    );
  }
  for (const { id, state: s } of progress.steps) {
    if (s.state === "done") lines.push(`- ✅ ${stepLabel(id)}${s.note ? ` (${oneLine(s.note)})` : ""}`);
    else if (s.state === "failed") lines.push(`- ❌ ${stepLabel(id)}: ${oneLine(s.message)}`);
    else lines.push(`- ⏳ ${stepLabel(id)}: remains`);
  }
  if (!complete)
    lines.push(
      "",
      "Nothing done is repeated: comment `/ship` on the merged PR once the cause is fixed (or redeliver the merge event), and the remaining steps are completed.",
    );
  return `${lines.join("\n")}\n`;
};
