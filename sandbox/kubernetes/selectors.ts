/** Label and field selectors in the API server's query syntax (`a=b,c!=d,e in (f,g),!h`). */
import type { StringMap, Workload } from "./objects.js";

export type Selector = (w: Workload) => boolean;

const splitTerms = (s: string): string[] => {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
};

type Term = (labels: StringMap) => boolean;

function parseTerm(t: string): Term {
  const set = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(t);
  if (set) {
    const [, key = "", op, list = ""] = set;
    const values = list.split(",").map((v) => v.trim());
    return op === "in"
      ? (l) => l[key] !== undefined && values.includes(l[key])
      : (l) => l[key] === undefined || !values.includes(l[key]);
  }
  const ne = /^([^!=]+)!=(.*)$/.exec(t);
  if (ne) return (l) => l[ne[1]!.trim()] !== ne[2]!.trim();
  const eq = /^([^=]+)==?(.*)$/.exec(t);
  if (eq) return (l) => l[eq[1]!.trim()] === eq[2]!.trim();
  if (t.startsWith("!")) return (l) => l[t.slice(1).trim()] === undefined;
  return (l) => l[t] !== undefined;
}

export function parseLabelSelector(s: string | null): Selector {
  if (!s) return () => true;
  const terms = splitTerms(s).map(parseTerm);
  return (w) => terms.every((term) => term(w.metadata.labels ?? {}));
}

export function parseFieldSelector(s: string | null): Selector {
  if (!s) return () => true;
  const fields = (w: Workload): StringMap => ({
    "metadata.name": w.metadata.name,
    "metadata.namespace": w.metadata.namespace,
  });
  const terms = splitTerms(s).map(parseTerm);
  return (w) => terms.every((term) => term(fields(w)));
}
