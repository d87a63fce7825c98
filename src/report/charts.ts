import type { TopLevelSpec } from 'vega-lite';
import { lifecycleWord } from '../personas/narrative.js';
import type { Lang, PersonaDocument, Trait, TransitionMatrix } from '../personas/types.js';
import { formatShare } from '../personas/format.js';
import { valueWord } from '../personas/vocabulary.js';
import { t } from './messages.js';
import { HIGHLIGHT_COLOR, MEASURE_COLORS, POPULATION_COLOR, REFERENCE_COLOR, lifecycleColor, personaColor as colorOfPersona } from './palette.js';
import { expectedBuyers, labelled } from './report-model.js';

/** The font shipped in src/report/assets and loaded by the PNG renderer; browsers fall back to sans-serif. */
export const CHART_FONT = 'DejaVu Sans';

export interface ChartSpec {
  /** File-safe name: charts/<name>.png */
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** Plot width of the bar charts: with the persona labels beside it, the report's page width. */
const PLOT_WIDTH = 620;

const BASE_CONFIG = {
  font: CHART_FONT,
  background: 'white',
  view: { stroke: null },
  // Tick labels that would touch are dropped rather than printed on top of each other.
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360, gridColor: '#e8e8e8', labelOverlap: 'greedy' as const, labelSeparation: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 360 },
  title: { fontSize: 14, anchor: 'start' as const, offset: 10, subtitleFontSize: 11.5, subtitleColor: '#5b6673' },
} as const;

/**
 * Number formats in the report's language, as the tables write them (Intl): French "10 %" and "1 234,5" with
 * narrow no-break spaces, the currency after the amount.
 */
function chartConfig(doc: PersonaDocument, lang: Lang) {
  const currency = doc.run.currency && /^[A-Z]{3}$/.test(doc.run.currency) ? doc.run.currency : null;
  const symbol = currency ? (new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency')?.value ?? currency) : '';
  const number =
    lang === 'fr'
      ? { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', symbol ? `\u00a0${symbol}` : ''] as [string, string], percent: '\u202f%', minus: '\u2212' }
      : { decimal: '.', thousands: ',', grouping: [3], currency: [symbol, ''] as [string, string], minus: '\u2212' };
  return { ...BASE_CONFIG, locale: { number } };
}

/** Numbers printed in heat-map cells, white on dark cells. */
function cellLabels(field: string, format: string, darkTest: string) {
  return {
    mark: { type: 'text' as const, fontSize: 10 },
    encoding: {
      text: { field, type: 'quantitative' as const, format },
      color: { condition: { test: darkTest, value: 'white' }, value: '#222' },
    },
  };
}

function personaLabel(doc: PersonaDocument, id: string, lang: Lang): string {
  const persona = doc.personas.find((p) => p.id === id);
  return persona ? `${id} · ${persona.name[lang]}` : id;
}

function personaOrder(doc: PersonaDocument, lang: Lang): string[] {
  return doc.personas.map((p) => personaLabel(doc, p.id, lang));
}

/** Each persona's fixed colour (by its id, palette.ts): the same in every chart, card and run. */
function personaColor(doc: PersonaDocument, lang: Lang): { domain: string[]; range: string[] } {
  return { domain: personaOrder(doc, lang), range: doc.personas.map((p) => colorOfPersona(p.id)) };
}

function sizesChart(doc: PersonaDocument, lang: Lang): ChartSpec {
  const customers = t('shareCustomers', lang);
  const revenue = t('shareRevenue', lang);
  const values = doc.personas.flatMap((p) => [
    { persona: personaLabel(doc, p.id, lang), measure: customers, share: p.shareOfCustomers, count: p.size },
    { persona: personaLabel(doc, p.id, lang), measure: revenue, share: p.shareOfRevenue, count: Math.round(p.revenue) },
  ]);
  return {
    name: 'sizes',
    title: t('chartSizes', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartSizes', lang),
      config: chartConfig(doc, lang),
      width: PLOT_WIDTH,
      data: { values },
      mark: { type: 'bar', cornerRadiusEnd: 2 },
      encoding: {
        y: { field: 'persona', type: 'nominal', sort: personaOrder(doc, lang), title: null },
        yOffset: { field: 'measure', type: 'nominal', sort: [customers, revenue] },
        x: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: t('share', lang) },
        color: { field: 'measure', type: 'nominal', sort: [customers, revenue], scale: { range: [MEASURE_COLORS.customers, MEASURE_COLORS.revenue] }, title: null, legend: { orient: 'top', direction: 'horizontal' } },
        tooltip: [
          { field: 'persona', type: 'nominal', title: t('persona', lang) },
          { field: 'measure', type: 'nominal', title: t('metric', lang) },
          { field: 'share', type: 'quantitative', format: '.1%', title: t('share', lang) },
          { field: 'count', type: 'quantitative', format: ',', title: t('count', lang) },
        ],
      },
    },
  };
}

function traitLabel(doc: PersonaDocument, trait: Trait, lang: Lang): string {
  const label = doc.features.find((f) => f.name === trait.feature)?.label[lang] ?? trait.feature;
  return trait.level !== null && trait.kind === 'categorical' ? labelled(label, lang, valueWord(trait.level, lang)) : label;
}

function traitsChart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  const keys: { feature: string; level: string | null }[] = [];
  for (const p of doc.personas) {
    for (const i of p.topTraits) {
      const trait = p.traits[i] as Trait;
      if (!keys.some((k) => k.feature === trait.feature && k.level === trait.level)) keys.push({ feature: trait.feature, level: trait.level });
    }
  }
  if (keys.length === 0) return null;
  const values = doc.personas.flatMap((p) =>
    keys.flatMap((k) => {
      const trait = p.traits.find((x) => x.feature === k.feature && x.level === k.level);
      if (!trait) return [];
      return [{
        persona: personaLabel(doc, p.id, lang),
        personaId: p.id,
        trait: traitLabel(doc, trait, lang),
        effect: Math.max(-3, Math.min(3, trait.effect)),
        rawEffect: trait.effect,
        personaValue: trait.personaValue,
        populationValue: trait.populationValue,
        adjustedP: trait.adjustedP,
      }];
    }),
  );
  const traitOrder = [...new Set(values.map((v) => v.trait))];
  return {
    name: 'traits',
    title: t('chartTraits', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartTraits', lang),
      config: chartConfig(doc, lang),
      data: { values },
      width: { step: 52 },
      height: { step: 22 },
      encoding: {
        y: { field: 'trait', type: 'nominal', sort: traitOrder, title: null },
        x: { field: 'personaId', type: 'nominal', sort: doc.personas.map((p) => p.id), title: null, axis: { labelAngle: 0, orient: 'top' } },
      },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: { field: 'effect', type: 'quantitative', scale: { scheme: 'redblue', domain: [-2, 2], reverse: true, clamp: true }, title: t('effect', lang) },
            tooltip: [
              { field: 'persona', type: 'nominal', title: t('persona', lang) },
              { field: 'trait', type: 'nominal', title: t('trait', lang) },
              { field: 'personaValue', type: 'quantitative', format: ',.3~f', title: t('thisPersona', lang) },
              { field: 'populationValue', type: 'quantitative', format: ',.3~f', title: t('everyone', lang) },
              { field: 'rawEffect', type: 'quantitative', format: '+.2f', title: t('effect', lang) },
              { field: 'adjustedP', type: 'quantitative', format: '.2e', title: t('adjustedP', lang) },
            ],
          },
        },
        cellLabels('rawEffect', '+.1f', 'abs(datum.effect) > 1.2'),
      ],
    },
  };
}

/** An axis of the customer map in words: the features that weigh most in it, each with the way it grows. */
function mapAxisTitle(doc: PersonaDocument, axis: 0 | 1, lang: Lang): string {
  const loadings = doc.pca?.axes?.[axis] ?? [];
  const share = formatShare(doc.pca?.explainedVariance[axis] ?? 0, lang);
  if (loadings.length === 0) return t(axis === 0 ? 'mapAxis1' : 'mapAxis2', lang, { share });
  // The vertical axis is shorter than the horizontal one: its title names the heaviest feature only.
  const words = loadings.slice(0, axis === 0 ? 2 : 1).map((l) => {
    const [feature, level] = l.column.split('=') as [string, string | undefined];
    const label = doc.features.find((f) => f.name === feature)?.label[lang] ?? feature;
    const name = level === undefined ? label : labelled(label, lang, valueWord(level, lang));
    return t(l.weight >= 0 ? 'mapMore' : 'mapLess', lang, { name });
  });
  return t('mapAxis', lang, { words: words.join(lang === 'fr' ? ' ; ' : '; '), share });
}

function pcaChart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  if (!doc.pca || doc.pca.points.length === 0) return null;
  const values = doc.pca.points.map((p) => ({ x: p.x, y: p.y, persona: personaLabel(doc, p.persona, lang) }));
  return {
    name: 'pca',
    title: t('chartPca', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: { text: t('chartPca', lang), subtitle: t('chartPcaHow', lang).split(/(?<=\.) /) },
      config: chartConfig(doc, lang),
      width: 560,
      height: 400,
      data: { values },
      mark: { type: 'circle', size: 14, opacity: 0.55 },
      encoding: {
        // Positions have no unit of their own: what matters is which way each axis goes.
        x: { field: 'x', type: 'quantitative', title: mapAxisTitle(doc, 0, lang), scale: { zero: false }, axis: { labels: false, ticks: false, titleLimit: 560 } },
        y: { field: 'y', type: 'quantitative', title: mapAxisTitle(doc, 1, lang), scale: { zero: false }, axis: { labels: false, ticks: false, titleLimit: 400 } },
        color: { field: 'persona', type: 'nominal', scale: personaColor(doc, lang), title: t('persona', lang), legend: { orient: 'bottom', columns: 2, symbolOpacity: 1 } },
        tooltip: [{ field: 'persona', type: 'nominal', title: t('persona', lang) }],
      },
    },
  };
}

function rfmChart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  const features = [doc.rfm.recency, doc.rfm.frequency, doc.rfm.monetary].filter((f): f is string => f !== null);
  if (features.length === 0) return null;
  const label = (name: string): string => doc.features.find((f) => f.name === name)?.label[lang] ?? name;
  const everyone = t('population', lang);
  const values = [
    ...doc.personas.flatMap((p) => p.distributions.map((d) => ({ ...d, persona: personaLabel(doc, p.id, lang), featureLabel: label(d.feature) }))),
    ...doc.population.distributions.map((d) => ({ ...d, persona: everyone, featureLabel: label(d.feature) })),
  ];
  if (values.length === 0) return null;
  const order = [...personaOrder(doc, lang), everyone];
  const colors = personaColor(doc, lang);
  const tooltip = [
    { field: 'persona', type: 'nominal' as const, title: t('persona', lang) },
    { field: 'featureLabel', type: 'nominal' as const, title: t('feature', lang) },
    { field: 'p10', type: 'quantitative' as const, format: ',.1f', title: 'P10' },
    { field: 'q1', type: 'quantitative' as const, format: ',.1f', title: 'Q1' },
    { field: 'median', type: 'quantitative' as const, format: ',.1f', title: t('median', lang) },
    { field: 'q3', type: 'quantitative' as const, format: ',.1f', title: 'Q3' },
    { field: 'p90', type: 'quantitative' as const, format: ',.1f', title: 'P90' },
  ];
  const y = { field: 'persona', type: 'nominal' as const, sort: order, title: null };
  const color = { field: 'persona', type: 'nominal' as const, scale: { domain: [...colors.domain, everyone], range: [...colors.range, POPULATION_COLOR] }, legend: null };
  return {
    name: 'rfm',
    title: t('chartRfm', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartRfm', lang),
      config: chartConfig(doc, lang),
      data: { values },
      facet: { column: { field: 'featureLabel', type: 'nominal', sort: features.map(label), title: null, header: { labelFontSize: 12 } } },
      resolve: { scale: { x: 'independent' } },
      spec: {
        width: 200,
        layer: [
          { mark: { type: 'rule' }, encoding: { y, x: { field: 'p10', type: 'quantitative', title: null }, x2: { field: 'p90' }, color, tooltip } },
          { mark: { type: 'bar', size: 12 }, encoding: { y, x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' }, color, tooltip } },
          { mark: { type: 'tick', color: 'white', thickness: 2, size: 12 }, encoding: { y, x: { field: 'median', type: 'quantitative' }, tooltip } },
        ],
      },
    },
  };
}

function buy30Chart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  const overall = doc.population.timing?.expectedShareBuy30 ?? null;
  const values = doc.personas
    .filter((p) => p.timing && p.timing.expectedShareBuy30 !== null)
    .map((p) => ({
      persona: personaLabel(doc, p.id, lang),
      likely: p.timing?.expectedShareBuy30 ?? 0,
      expected: p.timing ? expectedBuyers(p.timing, lang) : '–',
      meanPAlive: p.timing?.meanPAlive ?? null,
      nextDays: p.timing?.medianNextPurchaseDays ?? null,
    }));
  if (values.length === 0 || overall === null) return null;
  const tooltip = [
    { field: 'persona', type: 'nominal' as const, title: t('persona', lang) },
    { field: 'likely', type: 'quantitative' as const, format: '.1%', title: t('expectedShare30', lang) },
    { field: 'expected', type: 'nominal' as const, title: t('expectedBuyers30', lang) },
    { field: 'meanPAlive', type: 'quantitative' as const, format: '.2f', title: t('pAlive', lang) },
    { field: 'nextDays', type: 'quantitative' as const, format: ',.0f', title: t('nextPurchase', lang) },
  ];
  return {
    name: 'buy30',
    title: t('chartBuy30', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartBuy30', lang),
      config: chartConfig(doc, lang),
      width: PLOT_WIDTH,
      layer: [
        {
          data: { values },
          mark: { type: 'bar', cornerRadiusEnd: 2 },
          encoding: {
            y: { field: 'persona', type: 'nominal', sort: personaOrder(doc, lang), title: null },
            x: { field: 'likely', type: 'quantitative', axis: { format: '.0%', tickCount: 6 }, title: t('expectedShare30', lang), scale: { nice: true } },
            color: { field: 'persona', type: 'nominal', scale: personaColor(doc, lang), legend: null },
            tooltip,
          },
        },
        {
          data: { values },
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
          encoding: {
            y: { field: 'persona', type: 'nominal', sort: personaOrder(doc, lang) },
            x: { field: 'likely', type: 'quantitative' },
            text: { field: 'likely', type: 'quantitative', format: '.1%' },
            tooltip,
          },
        },
        {
          data: { values: [{ share: overall, label: t('population', lang) }] },
          mark: { type: 'rule', color: REFERENCE_COLOR, strokeDash: [4, 3] },
          encoding: { x: { field: 'share', type: 'quantitative' }, tooltip: [{ field: 'label', type: 'nominal', title: t('persona', lang) }, { field: 'share', type: 'quantitative', format: '.1%', title: t('expectedShare30', lang) }] },
        },
        {
          // The reference line says what it is, above the bars.
          data: { values: [{ share: overall, text: `${t('population', lang)}${lang === 'fr' ? '\u00a0: ' : ': '}${formatShare(overall, lang)}` }] },
          mark: { type: 'text', color: REFERENCE_COLOR, align: 'left', baseline: 'bottom', dx: 4, dy: -2, fontSize: 11, y: 0 },
          encoding: { x: { field: 'share', type: 'quantitative' }, text: { field: 'text', type: 'nominal' } },
        },
      ],
    },
  };
}

function lifecycleChart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  const segments = doc.population.lifecycle?.map((s) => s.segment) ?? [];
  if (segments.length === 0) return null;
  const words = segments.map((s) => lifecycleWord(s, lang));
  const values = doc.personas.flatMap((p) =>
    (p.lifecycle?.mix ?? []).map((m) => ({ persona: personaLabel(doc, p.id, lang), segment: lifecycleWord(m.segment, lang), count: m.count, share: m.share })),
  );
  return {
    name: 'lifecycle',
    title: t('chartLifecycle', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartLifecycle', lang),
      config: chartConfig(doc, lang),
      width: PLOT_WIDTH,
      data: { values },
      transform: [{ calculate: `indexof(${JSON.stringify(words)}, datum.segment)`, as: 'segmentOrder' }],
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'persona', type: 'nominal', sort: personaOrder(doc, lang), title: null },
        x: { field: 'share', type: 'quantitative', stack: 'normalize', axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 1] }, title: t('share', lang) },
        color: { field: 'segment', type: 'nominal', sort: words, scale: { domain: words, range: segments.map(lifecycleColor) }, title: null, legend: { orient: 'top', direction: 'horizontal', columns: 4 } },
        order: { field: 'segmentOrder', type: 'quantitative' },
        tooltip: [
          { field: 'persona', type: 'nominal', title: t('persona', lang) },
          { field: 'segment', type: 'nominal', title: t('segment', lang) },
          { field: 'share', type: 'quantitative', format: '.1%', title: t('share', lang) },
          { field: 'count', type: 'quantitative', format: ',', title: t('count', lang) },
        ],
      },
    },
  };
}

function matrixChart(doc: PersonaDocument, name: string, title: string, matrix: TransitionMatrix, labelOf: (id: string) => string, columnLabelOf: (id: string) => string, lang: Lang): ChartSpec {
  const values = matrix.from.flatMap((from, r) =>
    matrix.to.map((to, c) => {
      const count = matrix.counts[r]?.[c] ?? 0;
      const rowTotal = (matrix.counts[r] ?? []).reduce((a, b) => a + b, 0);
      return { from: labelOf(from), to: columnLabelOf(to), toLabel: labelOf(to), count, rowShare: rowTotal > 0 ? count / rowTotal : 0 };
    }),
  );
  return {
    name,
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title,
      config: chartConfig(doc, lang),
      data: { values },
      encoding: {
        y: { field: 'from', type: 'nominal', sort: matrix.from.map(labelOf), title: null },
        x: { field: 'to', type: 'nominal', sort: matrix.to.map(columnLabelOf), title: t('after', lang), axis: { labelAngle: 0, orient: 'top', labelLimit: 90 } },
      },
      // Wide enough for the longest column label (DejaVu Sans at 11 px is about 7 px a character).
      width: { step: Math.max(56, 8 + 7 * Math.max(...matrix.to.map((id) => columnLabelOf(id).length))) },
      height: { step: 26 },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: { field: 'rowShare', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, title: t('share', lang), legend: { format: '.0%' } },
            tooltip: [
              { field: 'from', type: 'nominal', title: t('before', lang) },
              { field: 'toLabel', type: 'nominal', title: t('after', lang) },
              { field: 'count', type: 'quantitative', format: ',', title: t('count', lang) },
              { field: 'rowShare', type: 'quantitative', format: '.1%', title: t('share', lang) },
            ],
          },
        },
        cellLabels('count', ',', 'datum.rowShare > 0.5'),
      ],
    },
  };
}

/** One panel per score that drives or checks the choice of k: stability and gap (the default rule), silhouette. */
function kChart(doc: PersonaDocument, lang: Lang): ChartSpec | null {
  const selection = doc.kSelection;
  if (!selection || selection.scores.length === 0) return null;
  const metrics = [
    { label: t('stabilityScore', lang), value: (s: (typeof selection.scores)[number]) => s.stability },
    { label: t('gapStatistic', lang), value: (s: (typeof selection.scores)[number]) => s.gap },
    { label: t('silhouette', lang), value: (s: (typeof selection.scores)[number]) => s.silhouette },
  ];
  const values = metrics.flatMap((m) =>
    selection.scores.flatMap((s) => {
      const value = m.value(s);
      return value !== undefined && Number.isFinite(value) ? [{ k: s.k, score: m.label, value, chosen: s.k === selection.chosenK ? t('chosen', lang) : '' }] : [];
    }),
  );
  if (values.length === 0) return null;
  const shown = metrics.map((m) => m.label).filter((label) => values.some((v) => v.score === label));
  const x = { field: 'k', type: 'quantitative' as const, title: t('k', lang), axis: { values: selection.scores.map((s) => s.k), format: 'd' }, scale: { zero: false } };
  return {
    name: 'k-selection',
    title: t('chartK', lang),
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: t('chartK', lang),
      config: chartConfig(doc, lang),
      data: { values },
      facet: { row: { field: 'score', type: 'nominal', title: null, sort: shown, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelOrient: 'top' } } },
      spec: {
        width: 560,
        height: 90,
        layer: [
          {
            mark: { type: 'line', point: true },
            encoding: {
              x,
              y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
              tooltip: [
                { field: 'k', type: 'quantitative', title: 'k' },
                { field: 'score', type: 'nominal', title: t('kScore', lang) },
                { field: 'value', type: 'quantitative', format: '.3f', title: t('kValue', lang) },
              ],
            },
          },
          {
            transform: [{ filter: `datum.k == ${selection.chosenK}` }],
            mark: { type: 'rule', color: HIGHLIGHT_COLOR, strokeDash: [4, 3] },
            encoding: { x, tooltip: [{ field: 'chosen', type: 'nominal' }, { field: 'k', type: 'quantitative' }] },
          },
          {
            // The dashed line is labelled: "chosen: k = 6".
            transform: [{ filter: `datum.k == ${selection.chosenK}` }, { calculate: `${JSON.stringify(`${t('chosen', lang)}${lang === 'fr' ? '\u00a0:' : ':'} k = `)} + datum.k`, as: 'chosenText' }],
            mark: { type: 'text', color: HIGHLIGHT_COLOR, align: 'left', baseline: 'top', dx: 4, y: 2, fontSize: 11 },
            encoding: { x, text: { field: 'chosenText', type: 'nominal' } },
          },
        ],
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}

/** The report's charts for a persona document, in reading order; charts without data are left out. */
export function buildCharts(doc: PersonaDocument, lang: Lang): ChartSpec[] {
  // Every persona suppressed (all below the minimum size): only the method chart has something to show.
  if (doc.personas.length === 0) return [kChart(doc, lang)].filter((c): c is ChartSpec => c !== null);
  const charts: (ChartSpec | null)[] = [
    sizesChart(doc, lang),
    traitsChart(doc, lang),
    pcaChart(doc, lang),
    rfmChart(doc, lang),
    buy30Chart(doc, lang),
    lifecycleChart(doc, lang),
    doc.migration ? matrixChart(doc, 'migration', t('chartMigration', lang), doc.migration, (id) => personaLabel(doc, id, lang), (id) => id, lang) : null,
    doc.lifecycleTransitions
      ? matrixChart(doc, 'lifecycle-transitions', t('chartLifecycleTransitions', lang), doc.lifecycleTransitions, (s) => lifecycleWord(s, lang), (s) => lifecycleWord(s, lang), lang)
      : null,
    kChart(doc, lang),
  ];
  return charts.filter((c): c is ChartSpec => c !== null);
}
