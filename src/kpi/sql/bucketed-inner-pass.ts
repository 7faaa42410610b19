/**
 * The inner pass of a bucketed statement (sql/bucketed.ts): the table's rows
 * grouped by group key, buckets and condition outcomes, with a row count and
 * plain sums.
 */

/** What both layouts of the inner pass are built from. */
export interface InnerPassParts {
  /** The group key expression, aliased gk. */
  groupKey: string;
  bucketFields: readonly string[];
  /** The placeholder of the sorted edges array. */
  edgesParam: string;
  /** Distinct measure conditions, one outcome column each. */
  flags: readonly string[];
  /** Distinct summed values. */
  sums: readonly string[];
  /** The FROM … WHERE lines over the table. */
  from: readonly string[];
}

/** The inner pass's lines (closing the CTE) and the relation its decoded rows are read from. */
export interface InnerPass {
  inner: string[];
  rows: string;
}

/**
 * PostgreSQL cannot know how few buckets `width_bucket` yields: it
 * estimates the groups from the time columns' distinct values, i.e. about
 * one per row, and then sorts the table's rows through disk instead of
 * hashing them into a few hundred groups. So the buckets and outcomes
 * travel packed into one bigint computed in a subquery the planner keeps
 * apart (`OFFSET 0`): a column it has no statistics for, whose groups it
 * estimates at a few hundred, and hashes.
 */
export function packedInnerPass({ groupKey, bucketFields, edgesParam, flags, sums, from }: InnerPassParts, edgeCount: number): InnerPass {
  // A bucket is 0…edgeCount, stored +1 so that 0 is a NULL time.
  const radix = BigInt(edgeCount + 2);
  const flagSpan = 1n << BigInt(flags.length);
  const weight = (i: number): bigint => radix ** BigInt(bucketFields.length - 1 - i) * flagSpan;
  const terms = [
    ...bucketFields.map((field, i) => `coalesce(width_bucket(t."${field}", ${edgesParam}) + 1, 0)::int8 * ${weight(i)}`),
    ...flags.map((sql, j) => `CASE WHEN ${sql} THEN ${1n << BigInt(j)} ELSE 0 END`),
  ];
  const decoded = [
    'gk',
    ...bucketFields.map((_field, i) => `nullif(((k / ${weight(i)}) % ${radix})::int, 0) - 1 AS b${i}`),
    ...flags.map((_sql, j) => `(k & ${1n << BigInt(j)}) <> 0 AS w${j}`),
    'n',
    ...sums.map((_value, i) => `s${i}`),
  ];
  return {
    inner: [
      `  SELECT r.gk, r.k, count(*) AS n${sums.map((_value, i) => `, sum(r.v${i}) AS s${i}`).join('')}`,
      `  FROM (SELECT ${groupKey}, ${terms.length > 0 ? terms.join('\n      + ') : '0::int8'} AS k${sums.map((value, i) => `, ${value} AS v${i}`).join('')}`,
      ...from.map((line) => `  ${line}`),
      `    OFFSET 0) r`,
      `  GROUP BY 1, 2)`,
    ],
    rows: `(SELECT ${decoded.join(', ')} FROM buckets)`,
  };
}

/** Whether buckets and outcomes fit one bigint (they do unless a series has thousands of edges over several time fields). */
export function packedBuckets(bucketFields: readonly string[], edgeCount: number, flagCount: number): boolean {
  return bucketFields.length * Math.log2(edgeCount + 2) + flagCount <= 62;
}

/** The inner pass with one column per bucket and outcome, for what does not pack. */
export function plainInnerPass({ groupKey, bucketFields, edgesParam, flags, sums, from }: InnerPassParts): InnerPass {
  const inner = [
    groupKey,
    ...bucketFields.map((field, i) => `width_bucket(t."${field}", ${edgesParam}) AS b${i}`),
    ...flags.map((sql, j) => `coalesce(${sql}, false) AS w${j}`),
  ];
  const aggregates = ['count(*) AS n', ...sums.map((value, i) => `sum(${value}) AS s${i}`)];
  return {
    inner: [`  SELECT ${[...inner, ...aggregates].join(', ')}`, ...from, `  GROUP BY ${inner.map((_column, i) => i + 1).join(', ')})`],
    rows: 'buckets',
  };
}
