import { describe, expect, it } from 'vitest';
import { FixedPoint } from '../../src/kpi/sql/fixed-point.js';

const sum = (...texts: string[]): string => texts.map(FixedPoint.parse).reduce((a, b) => a.plus(b), FixedPoint.zero).toString();

describe('fixed-point sums of numeric text', () => {
  it('adds money exactly, where floats would not', () => {
    expect(sum('0.10', '0.20')).toBe('0.30');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('aligns scales and keeps every digit, beyond 64-bit integers', () => {
    expect(sum('7', '0.005', '12.34')).toBe('19.345');
    expect(sum('98765432109876543210.99', '0.01')).toBe('98765432109876543211.00');
  });

  it('subtracts into negatives and leading zeros', () => {
    expect(FixedPoint.parse('0.05').minus(FixedPoint.parse('0.10')).toString()).toBe('-0.05');
    expect(FixedPoint.parse('-3.5').minus(FixedPoint.parse('-3.5')).isZero()).toBe(true);
    expect(FixedPoint.parse('-1').plus(FixedPoint.parse('0.25')).toString()).toBe('-0.75');
  });

  it('refuses text that is not a plain decimal', () => {
    for (const text of ['1e5', 'NaN', '', '1.', '.5', '1,5']) expect(() => FixedPoint.parse(text)).toThrow(/plain decimal/);
  });
});
