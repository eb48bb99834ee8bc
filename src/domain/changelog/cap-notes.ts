/** GitHub refuses a release body longer than this (REST "Create a release": body too long). */
export const MAX_RELEASE_BODY = 125_000;

/** Room the closing note takes (its text, the count and the URL's share). */
const NOTE_ROOM = 400;

/**
 * Notes that fit in `budget` characters: whole lines from the top (the newest sections first, as
 * the notes are written), then one line saying how many lines were left out and where the
 * full notes are. Notes within the budget are returned as they are. A JavaScript length counts
 * UTF-16 units, never fewer than GitHub's characters, so the result is within GitHub's count too.
 */
export const capNotes = (notes: string, budget: number, full: { label: string; url: string }): string => {
  if (notes.length <= budget) return notes;
  const room = Math.max(0, budget - NOTE_ROOM - full.url.length - full.label.length);
  const cut = notes.lastIndexOf("\n", room);
  const kept = cut <= 0 ? "" : notes.slice(0, cut).trimEnd();
  const left = notes
    .slice(Math.max(cut, 0))
    .split("\n")
    .filter((line) => line.trim() !== "").length;
  const label = full.label.replace(/[[\]\\]/g, "\\$&");
  const note = `_… ${left} more line(s) not shown here (GitHub's size limit): the full notes are in [${label}](${full.url})._`;
  return kept === "" ? note : `${kept}\n\n${note}`;
};
