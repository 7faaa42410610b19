/**
 * Colours of goal and target statuses. Every badge is white text on one of
 * these, each with a contrast ratio of at least 4.5:1 against white (WCAG AA).
 */
export const goalStatusColours: Readonly<Record<string, string>> = {
  ON_TRACK: '#1a7f37',
  ACHIEVED: '#0550ae',
  AT_RISK: '#9a6700',
  OFF_TRACK: '#cf222e',
  MISSED: '#82071e',
  NOT_STARTED: '#57606a',
  NO_DATA: '#57606a',
};

export const targetStatusColours: Readonly<Record<string, string>> = {
  ON_TARGET: '#1a7f37',
  OFF_TARGET: '#cf222e',
  NO_TARGET: '#57606a',
  NO_VALUE: '#57606a',
};

const fallback = '#57606a';

export function goalStatusColour(status: string): string {
  return goalStatusColours[status.toUpperCase()] ?? fallback;
}

export function targetStatusColour(status: string): string {
  return targetStatusColours[status.toUpperCase()] ?? fallback;
}

/** "#1a7f37" → "rgb(26, 127, 55)", as getComputedStyle writes it. */
export function cssRgb(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** WCAG contrast ratio of a colour against white. */
export function contrastWithWhite(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const linear = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return 1.05 / (luminance + 0.05);
}
