/**
 * The instant a request's relative periods ("this month", "the last 30
 * days", a goal's pace today) are measured from, fixed for the request. It
 * remembers whether it was read: an answer that never read it depends on the
 * data alone, and only such answers may be kept for later requests.
 */
export class RequestClock {
  private read = false;

  constructor(private readonly instant: Date = new Date()) {}

  /** The request's instant; marks the answer as depending on it. */
  now(): Date {
    this.read = true;
    return this.instant;
  }

  /** Whether anything asked for the instant. */
  get wasRead(): boolean {
    return this.read;
  }
}
