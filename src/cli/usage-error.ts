/** Exit statuses of the command line, stable for scripts. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  unauthorized: 4,
  /** `--fail-on` matched: some goal is in the named state. */
  goalsFailing: 5,
  /** `rollups check` found rollup rows that differ from the rows. */
  rollupsDiffer: 6,
} as const;

/** A mistake in the command line itself: printed with usage, exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
