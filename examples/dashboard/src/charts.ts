import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { ChartDataset } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);
// Charts are drawn at once: a screenshot or a reader sees the final picture.
Chart.defaults.animation = false;
Chart.defaults.color = '#24292f';
Chart.defaults.font.family = 'system-ui, sans-serif';
Chart.defaults.maintainAspectRatio = false;

/** Okabe–Ito colours, told apart with any colour vision. */
export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000'];

type Value = number | null;

export function sparkline(canvas: HTMLCanvasElement, labels: string[], values: Value[], colour: string): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets: [{ data: values, borderColor: colour, backgroundColor: `${colour}22`, fill: true, pointRadius: 0, borderWidth: 2, spanGaps: true }] },
    options: { plugins: { legend: { display: false }, tooltip: { enabled: false } }, scales: { x: { display: false }, y: { display: false } }, events: [] },
  });
}

export function lineChart(canvas: HTMLCanvasElement, labels: string[], series: { label: string; values: Value[] }[], format: (value: number) => string): Chart {
  const datasets: ChartDataset<'line', Value[]>[] = series.map((line, i) => ({
    label: line.label,
    data: line.values,
    borderColor: palette[i % palette.length],
    backgroundColor: palette[i % palette.length],
    pointRadius: 2,
    borderWidth: 2,
  }));
  return new Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: { plugins: { legend: { position: 'bottom' }, tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(item.parsed.y ?? 0)}` } } }, scales: { y: { ticks: { callback: (value) => format(Number(value)) } } } },
  });
}

export function barChart(canvas: HTMLCanvasElement, labels: string[], values: Value[], label: string, format: (value: number) => string, horizontal = false): Chart {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label, data: values, backgroundColor: palette[0] }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => format(Number(horizontal ? item.parsed.x : item.parsed.y)) } } },
      scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { callback: (value: string | number) => format(Number(value)) } } },
    },
  });
}

export interface PacingPoints {
  /** Days since the period's start → the KPI so far (cumulative for totals). */
  actual: { x: number; y: number | null }[];
  /** Where the goal should be now. */
  expected: { x: number; y: number } | null;
  /** From now to the period's end: the projection. */
  projected: { x: number; y: number }[];
  target: number;
  periodDays: number;
  /** The name of the weekly line: the goal's actual, or its KPI in scope when the actual is rolled up from children. */
  actualLabel: string;
}

/** Actual so far, the expected value now, the projection to the end, and the target as a dashed line. */
export function pacingChart(canvas: HTMLCanvasElement, points: PacingPoints, format: (value: number) => string): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        { label: points.actualLabel, data: points.actual, borderColor: palette[0], backgroundColor: palette[0], pointRadius: 1.5, borderWidth: 2 },
        { label: 'Expected now', data: points.expected ? [points.expected] : [], borderColor: palette[5], backgroundColor: palette[5], pointRadius: 5, pointStyle: 'triangle', showLine: false },
        { label: 'Projected', data: points.projected, borderColor: palette[1], backgroundColor: palette[1], borderDash: [4, 3], pointRadius: 3, borderWidth: 2 },
        { label: 'Target', data: [{ x: 0, y: points.target }, { x: points.periodDays, y: points.target }], borderColor: palette[6], backgroundColor: palette[6], borderDash: [2, 2], pointRadius: 0, borderWidth: 1.5 },
      ],
    },
    options: {
      parsing: false,
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${format(Number(item.parsed.y))}` } } },
      scales: { x: { type: 'linear', min: 0, max: points.periodDays, title: { display: true, text: 'days into the period' } }, y: { ticks: { callback: (value) => format(Number(value)) } } },
    },
  });
}
