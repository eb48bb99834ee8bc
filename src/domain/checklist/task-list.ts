export interface TaskItem {
  text: string;
  checked: boolean;
}

// One blank after `]`, then the rest, trimmed in code: `\s+(.*?)\s*$` let three runs trade blanks.
const TASK = /^\s*(?:[-*+]|\d+[.)])\s+\[([ xX])\]\s(.*)$/;
const FENCE = /^\s*(```|~~~)/;

/** GitHub-flavoured task-list items (`- [x] done`, `- [ ] todo`) outside fenced code blocks. */
export const parseTaskList = (markdown: string): TaskItem[] => {
  const items: TaskItem[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) continue;
    const [, mark, text] = TASK.exec(line) ?? [];
    if (text !== undefined) items.push({ checked: mark !== " ", text: text.trim() });
  }
  return items;
};
