/**
 * An exact decimal as a whole number of units of 10^-scale. Sums of SQL
 * `numeric` text (money, seconds) are added and subtracted thousands of
 * times per dashboard; BigInt does that exactly at a fraction of
 * decimal.js' cost, whatever the number of digits.
 */
export class FixedPoint {
  static readonly zero = new FixedPoint(0n, 0);

  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** Parses plain decimal text as PostgreSQL prints `numeric` ("-12.340", "7"). */
  static parse(text: string): FixedPoint {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
    if (!match) throw new Error(`Not a plain decimal: "${text}"`);
    const fraction = match[3] ?? '';
    return new FixedPoint(BigInt(`${match[1]}${match[2]}${fraction}`), fraction.length);
  }

  private rescaled(scale: number): bigint {
    // Sums of one column share their scale: most additions need no power of ten.
    return scale === this.scale ? this.units : this.units * 10n ** BigInt(scale - this.scale);
  }

  plus(other: FixedPoint): FixedPoint {
    const scale = Math.max(this.scale, other.scale);
    return new FixedPoint(this.rescaled(scale) + other.rescaled(scale), scale);
  }

  minus(other: FixedPoint): FixedPoint {
    const scale = Math.max(this.scale, other.scale);
    return new FixedPoint(this.rescaled(scale) - other.rescaled(scale), scale);
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  /** Plain decimal text, every digit kept ("-0.05", "12.340"). */
  toString(): string {
    const negative = this.units < 0n;
    const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = this.scale > 0 ? `.${digits.slice(digits.length - this.scale)}` : '';
    return `${negative ? '-' : ''}${whole}${fraction}`;
  }
}
