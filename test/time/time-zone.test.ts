import { describe, expect, it } from 'vitest';
import { daysInMonth } from '../../src/time/time-zone.js';

describe('daysInMonth', () => {
  it('knows leap years: every fourth, but not a century unless a fourth century', () => {
    expect([2023, 2024, 1900, 2000, 2100, 2400].map((year) => daysInMonth(year, 2))).toEqual([28, 29, 28, 29, 28, 29]);
    expect([1, 3, 4, 6, 9, 11, 12].map((month) => daysInMonth(2025, month))).toEqual([31, 31, 30, 30, 30, 30, 31]);
  });

  it('agrees with the calendar of Date for every month from year 100 to 3000, and rolls months out of range as Date.UTC does', () => {
    for (let year = 100; year <= 3000; year++) {
      for (let month = 1; month <= 12; month++) expect(daysInMonth(year, month)).toBe(new Date(Date.UTC(year, month, 0)).getUTCDate());
    }
    expect(daysInMonth(2024, 0)).toBe(31); // December 2023
    expect(daysInMonth(2024, 14)).toBe(28); // February 2025
  });
});
