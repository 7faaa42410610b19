/** Small DOM helpers: elements with attributes and children, and the text alternative of a chart. */

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

/** A number as the page shows it, with the API's raw value in data-value (what the browser test compares). */
export function numberEl(text: string, raw: string, name: string, title?: string): HTMLElement {
  return el('span', { class: 'number', 'data-value': raw, 'data-name': name, ...(title ? { title } : {}) }, text);
}

/**
 * A chart's data as a table under a disclosure, so screen readers and
 * keyboards get every number the chart draws.
 */
export function dataTable(caption: string, headers: string[], rows: string[][]): HTMLElement {
  const table = el(
    'table',
    {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...headers.map((header) => el('th', { scope: 'col' }, header)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', {}, cell)))))),
  );
  return el('details', { class: 'data-table' }, el('summary', {}, `${caption}: data as a table`), table);
}

/** A canvas for a chart, announced as an image with a summary of what it shows. */
export function chartCanvas(label: string, className = 'chart'): HTMLCanvasElement {
  return el('canvas', { role: 'img', 'aria-label': label, class: className });
}

/** A status badge: its colour comes from the status, its text says it. */
export function statusBadge(status: string, colour: string, text: string): HTMLElement {
  const badge = el('span', { class: 'status', 'data-status': status }, text);
  badge.style.backgroundColor = colour;
  return badge;
}
