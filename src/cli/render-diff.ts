interface Op {
  kind: " " | "-" | "+";
  line: string;
}

// Beyond this much bookkeeping the two texts are shown as a whole replacement.
const MAX_TRACE_CELLS = 20_000_000;

/** `list[i]`, which the diff's bookkeeping keeps in range: an index outside it is a bug, not input. */
const at = <T>(list: ArrayLike<T>, i: number): T => {
  const item = list[i];
  if (item === undefined) throw new RangeError(`diff index ${i} outside 0..${list.length - 1}`);
  return item;
};

/** Myers' O(ND) line diff: cheap when few lines change, even in a large file (a CHANGELOG). */
const myers = (a: readonly string[], b: readonly string[]): Op[] => {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    if ((d + 1) * v.length > MAX_TRACE_CELLS) break;
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && at(v, k - 1 + off) < at(v, k + 1 + off))
          ? at(v, k + 1 + off)
          : at(v, k - 1 + off) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + off] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d, off);
    }
  }
  return [
    ...a.map((line) => ({ kind: "-" as const, line })),
    ...b.map((line) => ({ kind: "+" as const, line })),
  ];
};

const backtrack = (
  a: readonly string[],
  b: readonly string[],
  trace: Int32Array[],
  depth: number,
  off: number,
): Op[] => {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = depth; d > 0; d--) {
    const v = at(trace, d);
    const k = x - y;
    const down = k === -d || (k !== d && at(v, k - 1 + off) < at(v, k + 1 + off));
    const prevX = at(v, (down ? k + 1 : k - 1) + off);
    const prevY = prevX - (down ? k + 1 : k - 1);
    while (x > prevX && y > prevY) {
      ops.push({ kind: " ", line: at(a, --x) });
      y--;
    }
    if (down) ops.push({ kind: "+", line: at(b, prevY) });
    else ops.push({ kind: "-", line: at(a, prevX) });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: " ", line: at(a, --x) });
    y--;
  }
  return ops.reverse();
};

const lines = (text: string): string[] => (text === "" ? [] : text.replace(/\n$/, "").split("\n"));

/** A unified diff of two texts (`--- a/path`, `+++ b/path`, hunks with 3 lines of context). */
export const renderDiff = (path: string, before: string, after: string, context = 3): string => {
  if (before === after) return "";
  const a = lines(before);
  const b = lines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [
    ...a.slice(0, start).map((line) => ({ kind: " " as const, line })),
    ...myers(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map((line) => ({ kind: " " as const, line })),
  ];
  const out = [`--- ${before === "" ? "/dev/null" : `a/${path}`}`, `+++ b/${path}`];
  const changed = ops.flatMap((op, i) => (op.kind === " " ? [] : [i]));
  let i = 0;
  while (i < changed.length) {
    let last = i;
    while (last + 1 < changed.length && at(changed, last + 1) - at(changed, last) <= 2 * context) last++;
    const from = Math.max(0, at(changed, i) - context);
    const to = Math.min(ops.length, at(changed, last) + context + 1);
    let aLine = 1;
    let bLine = 1;
    for (const op of ops.slice(0, from)) {
      if (op.kind !== "+") aLine++;
      if (op.kind !== "-") bLine++;
    }
    const hunk = ops.slice(from, to);
    const aLen = hunk.filter((op) => op.kind !== "+").length;
    const bLen = hunk.filter((op) => op.kind !== "-").length;
    out.push(`@@ -${aLen === 0 ? aLine - 1 : aLine},${aLen} +${bLen === 0 ? bLine - 1 : bLine},${bLen} @@`);
    for (const op of hunk) out.push(`${op.kind}${op.line}`);
    i = last + 1;
  }
  return `${out.join("\n")}\n`;
};
