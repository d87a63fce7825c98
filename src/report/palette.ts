/**
 * Fixed colours for the categorical fields the report's charts repeat, so that one value has one colour in
 * every chart and every run, and the colour means what the value means (active green, at risk amber, lapsed
 * red). A value is looked up by its key (the segment, the persona id), never by its position in a chart.
 */

/** Lifecycle segments: good states green/blue, warning amber, loss red. */
export const LIFECYCLE_COLORS: Readonly<Record<string, string>> = {
  prospect: '#9aa5b1',
  new: '#4c9be8',
  active: '#2e9e4f',
  due: '#9ccf5f',
  reactivated: '#17a2b8',
  at_risk: '#f0a30a',
  win_back: '#b3487a',
  lapsed: '#d73a2f',
};

/** A segment the palette does not know (a future one) gets a neutral grey rather than a borrowed meaning. */
export const UNKNOWN_COLOR = '#c7ccd1';

/** "All customers" in every chart that shows them beside the personas. */
export const POPULATION_COLOR = '#7f8790';

/** Customers vs revenue (sizes chart). */
export const MEASURE_COLORS = { customers: '#4c78a8', revenue: '#e8a33d' } as const;

/** Persona colours by persona number (P1 → first): ids are kept across retrains, so are the colours. */
const PERSONA_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#6f4e7c', '#1f9e89', '#bab0ac'];

export function personaColor(id: string): string {
  const number = /(\d+)$/.exec(id)?.[1];
  const index = number === undefined ? 0 : Math.max(0, Number(number) - 1);
  return PERSONA_COLORS[index % PERSONA_COLORS.length] as string;
}

export function lifecycleColor(segment: string): string {
  return LIFECYCLE_COLORS[segment] ?? UNKNOWN_COLOR;
}

/** Reference lines and their labels. */
export const REFERENCE_COLOR = '#333333';
/** The highlighted choice on a chart (e.g. the chosen k). */
export const HIGHLIGHT_COLOR = '#d73a2f';
