/** Collects statement parameters and hands out their `$n` placeholders. */
export class ParamList {
  readonly values: unknown[] = [];
  /** Adds a value; returns its placeholder, with a cast when given (`$3::text[]`). */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}
