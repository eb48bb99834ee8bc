/** The label value that stands for anything malformed or past the cap. */
export const OTHER = "other";

/**
 * Keeps one label's values few and safe: a value must match `pattern`, and once `max`
 * distinct values have been seen, new ones are counted under "other". A label that grows
 * without bound would make every scrape and every Prometheus query slower.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly pattern: RegExp,
    private readonly max: number,
    known: readonly string[] = [],
  ) {
    for (const value of known) if (pattern.test(value)) this.seen.add(value);
  }

  admit(value: string): string {
    if (this.seen.has(value)) return value;
    if (!this.pattern.test(value) || this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/** Names: command names, event names, gate ids, environment and service names. */
export const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;
/** Numeric ids (installation ids). */
export const ID = /^[0-9]{1,12}$/;
/** Route templates: a method and a path of literal segments and `{params}`, no query. */
export const ROUTE = /^(GET|POST|PUT|PATCH|DELETE|HEAD) \/[A-Za-z0-9_{}/.-]{0,200}$/;
/** HTTP status codes. */
export const STATUS = /^[1-5][0-9]{2}$/;
