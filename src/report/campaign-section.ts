import type { TopLevelSpec } from 'vega-lite';
import { attributionRule } from '../campaigns/attribution-rule.js';
import type { KpiRow, Rate } from '../campaigns/kpi-rows.js';
import type { MergeSuggestion } from '../campaigns/merge-suggestions.js';
import type { RetireSuggestion } from '../campaigns/retire-suggestions.js';
import type { SplitSuggestion } from '../campaigns/split-suggestions.js';
import { lifecycleWord } from '../personas/narrative.js';
import { formatDate, formatMoney, formatNumber, formatShare } from '../personas/format.js';
import type { Lang } from '../personas/types.js';
import { valueWord } from '../personas/vocabulary.js';
import type { CampaignKpis } from '../runner/stages/campaigns.js';
import type { CrossSellResult } from '../runner/stages/cross-sell.js';
import type { ScoreRow } from '../segments/scores.js';
import { addDays, toIsoDate } from '../core/time.js';
import { CHART_FONT, type ChartSpec } from './charts.js';
import { escapeHtml, escapeMarkdown as md } from './escape.js';
import { tc } from './messages.js';
import { personaColor } from './palette.js';

export interface CampaignSectionInput {
  readonly kpis: CampaignKpis | undefined;
  readonly crossSell: CrossSellResult | undefined;
  readonly scores: Iterable<ScoreRow>;
  readonly asOf: string;
  readonly currency: string | undefined;
  /** The rule segments' labels from the rules file, shown instead of their names where a rule has one. */
  readonly ruleLabels?: Readonly<Record<string, RuleLabel>>;
  /** Each persona's name in both languages, as the rest of the report names it. */
  readonly personaNames?: Readonly<Record<string, RuleLabel>>;
}

type RuleLabel = { readonly en: string; readonly fr: string };

/** How groups are named in the report's language: rule segments by their labels, personas by their names. */
interface Names {
  readonly rules?: Readonly<Record<string, RuleLabel>> | undefined;
  readonly personas?: Readonly<Record<string, RuleLabel>> | undefined;
}

/** What a persona's members are suggested next: its commonest suggestions and its commonest (bought, not yet) pair, counted. */
export interface PersonaCrossSell {
  readonly id: string;
  readonly name: string;
  readonly members: number;
  readonly next: readonly (readonly [string, number])[];
  readonly pairs: readonly (readonly [string, string, number])[];
}

/** The cross-sell result as the report shows it: counted per persona, without any customer's suggestion. */
export interface CrossSellSummary extends Omit<CrossSellResult, 'next'> {
  readonly personas: readonly PersonaCrossSell[];
}

/**
 * The section's figures in no language (JSON, kept in personas.json), so that `personae report --lang` renders the
 * same section in either language as the run did. Counts per group only: no customer id.
 */
export interface CampaignSectionData {
  readonly kpis?: CampaignKpis;
  readonly crossSell?: CrossSellSummary;
  readonly asOf: string;
  readonly currency?: string;
  readonly ruleLabels?: Readonly<Record<string, RuleLabel>>;
  readonly personaNames?: Readonly<Record<string, RuleLabel>>;
}

export interface CampaignSection {
  readonly html: string;
  readonly markdown: string;
  readonly charts: readonly ChartSpec[];
}

interface Block {
  readonly heading?: string;
  readonly paragraphs?: readonly string[];
  readonly table?: { readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };
  readonly list?: readonly string[];
  readonly chart?: ChartSpec;
}

/** Chart config in the report's language: French decimal comma and "10 %" as the tables write them. */
function chartConfig(lang: Lang) {
  const base = { font: CHART_FONT, background: 'white', view: { stroke: null }, axis: { labelLimit: 360 } };
  if (lang !== 'fr') return base;
  return {
    ...base,
    locale: { number: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'], percent: '\u202f%', minus: '\u2212' } },
  };
}

/**
 * A rate with two significant digits below 1% (0.035%, not "0%"): campaign rates and their bounds are often
 * that small, and "conversion below 0%" would read as nonsense.
 */
function rateShare(x: number, lang: Lang): string {
  if (x > 0 && x < 0.01)
    return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { style: 'percent', maximumSignificantDigits: 2 }).format(x);
  return formatShare(x, lang);
}

function withInterval(r: Rate, format: (x: number) => string): string {
  if (r.value === null) return '–';
  return r.low === null || r.high === null ? format(r.value) : `${format(r.value)} [${format(r.low)}–${format(r.high)}]`;
}

/** "P2 · <name>", named in the report's language as the rest of the report names it. */
function personaName(id: string, fallback: string | null | undefined, lang: Lang, names: Names): string {
  const named = names.personas && Object.hasOwn(names.personas, id) ? names.personas[id]![lang] : fallback;
  return `${id} · ${named ?? ''}`;
}

function groupName(row: { dimension: string; group: string; label: string | null }, lang: Lang, names: Names = {}): string {
  if (row.dimension === 'persona') return personaName(row.group, row.label, lang, names);
  if (row.dimension === 'lifecycle') return lifecycleWord(row.group, lang);
  if (row.dimension === 'rule_segment' && names.rules && Object.hasOwn(names.rules, row.group)) return names.rules[row.group]![lang];
  return row.label ?? row.group;
}

function kpiTable(
  rows: readonly KpiRow[],
  channel: 'email' | 'sms',
  lang: Lang,
  currency: string | undefined,
  min: number,
  names: Names,
): Block['table'] {
  const share = (x: number): string => rateShare(x, lang);
  const money = (x: number): string => formatMoney(x, lang, currency);
  const email = channel === 'email';
  const headers = [
    tc('campaignsGroup', lang),
    tc('campaignsDelivered', lang),
    tc('campaignsDeliverability', lang),
    ...(email ? [tc('campaignsOpen', lang)] : []),
    tc('campaignsClick', lang),
    ...(email ? [tc('campaignsClickToOpen', lang)] : []),
    tc('campaignsConversion', lang),
    tc('campaignsRpr', lang),
    tc('campaignsUnsubscribe', lang),
  ];
  return {
    headers,
    rows: rows.map((r) => {
      const name = groupName(r, lang, names);
      const delivered = formatNumber(r.delivered, lang, 0);
      if (r.tooSmall)
        return [name, delivered, tc('campaignsTooSmall', lang, { min }), ...headers.slice(3).map(() => '')];
      return [
        name,
        delivered,
        withInterval(r.deliverability, share),
        ...(email ? [withInterval(r.openRate, share)] : []),
        withInterval(r.clickRate, share),
        ...(email ? [withInterval(r.clickToOpen, share)] : []),
        withInterval(r.conversionRate, share),
        withInterval(r.revenuePerRecipient, money),
        withInterval(r.unsubscribeRate, share),
      ];
    }),
  };
}

function clickChart(rows: readonly KpiRow[], lang: Lang, names: Names): ChartSpec | undefined {
  const personas = rows.filter((r) => r.dimension === 'persona' && r.channel === 'email' && !r.tooSmall);
  if (personas.length === 0) return undefined;
  const values = personas.map((r) => ({
    persona: groupName(r, lang, names),
    // Written as the tables write it (two significant digits below 1%), so that chart and table agree.
    label: r.clickRate.value === null ? '' : rateShare(r.clickRate.value, lang),
    rate: r.clickRate.value,
    low: r.clickRate.low,
    high: r.clickRate.high,
  }));
  const title = tc('campaignsChart', lang);
  const percent = '.1~%';
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    data: { values },
    encoding: { y: { field: 'persona', type: 'nominal', sort: null, title: null } },
    layer: [
      {
        mark: { type: 'bar', height: 18 },
        encoding: {
          x: { field: 'rate', type: 'quantitative', axis: { format: '%' }, title: tc('campaignsClick', lang) },
          color: { field: 'persona', type: 'nominal', legend: null, scale: { domain: values.map((v) => v.persona), range: personas.map((r) => personaColor(r.group)) } },
          tooltip: [{ field: 'rate', type: 'quantitative', format: percent }, { field: 'low', type: 'quantitative', format: percent }, { field: 'high', type: 'quantitative', format: percent }],
        },
      },
      { mark: { type: 'rule', color: '#1d2733', strokeWidth: 1.5 }, encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } } },
      { mark: { type: 'text', align: 'left', dx: 6, fontSize: 11 }, encoding: { x: { field: 'high', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } },
    ],
    config: chartConfig(lang),
  } as unknown as TopLevelSpec;
  return { name: 'campaign-clicks', title, spec };
}

function backtestChart(crossSell: CrossSellSummary, lang: Lang): ChartSpec | undefined {
  const b = crossSell.backtest;
  if (!b) return undefined;
  const methods = [
    // Named as the paragraph above names it, not by the method's code.
    [b.chosen, `${tc(b.chosen === 'item_cf' ? 'crossSellShortItemCf' : 'crossSellShortLift', lang)} (${tc('crossSellChosen', lang)})`],
    ['popularity', tc('crossSellPopularity', lang)],
  ] as const;
  const values = methods.flatMap(([m, label]) => [
    { method: label, k: tc('crossSellFirst', lang), share: b.methods[m].hitRate['@1'] },
    { method: label, k: tc('crossSellTopThree', lang), share: b.methods[m].hitRate['@3'] },
  ]);
  const title = tc('crossSellChart', lang);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 560,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'k', type: 'nominal', title: null, sort: null },
      yOffset: { field: 'method', sort: null },
      x: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: null, scale: { domain: [0, 1] } },
      color: { field: 'method', type: 'nominal', sort: null, scale: { range: ['#4c78a8', '#b0b7bf'] }, title: null, legend: { orient: 'bottom' } },
    },
    config: chartConfig(lang),
  } as unknown as TopLevelSpec;
  return { name: 'cross-sell-backtest', title, spec };
}

function splitText(s: SplitSuggestion, lang: Lang, names: Names): string {
  const e = s.evidence;
  const share = (x: number | undefined): string => rateShare(x ?? 0, lang);
  const count = (x: number | undefined): string => formatNumber(x ?? 0, lang, 0);
  const text = tc('campaignsSplitText', lang, {
    persona: personaName(s.persona, s.label, lang, names),
    customersA: count(e.customers_a),
    customersB: count(e.customers_b),
    clickA: share(e.click_rate_a),
    clickB: share(e.click_rate_b),
    convA: share(e.conversion_rate_a),
    convB: share(e.conversion_rate_b),
    tests: count(e.tests),
  });
  if (!s.apartOn) return text;
  return `${text} ${tc('campaignsSplitApart', lang, { feature: s.apartOn.label[lang], half: tc(s.apartOn.higherHalf === 'a' ? 'campaignsSplitFirst' : 'campaignsSplitSecond', lang) })}`;
}

function suggestionText(
  s: RetireSuggestion | MergeSuggestion | SplitSuggestion,
  lang: Lang,
  names: Names,
): string {
  if (s.kind === 'split') return splitText(s, lang, names);
  if (s.kind === 'merge') {
    const e = s.evidence;
    const share = (x: number | undefined): string => rateShare(x ?? 0, lang);
    return tc('campaignsMergeText', lang, {
      a: personaName(s.personas[0], s.labels[0], lang, names),
      b: personaName(s.personas[1], s.labels[1], lang, names),
      clickA: share(e.click_rate_a),
      clickB: share(e.click_rate_b),
      convA: share(e.conversion_rate_a),
      convB: share(e.conversion_rate_b),
    });
  }
  const group = groupName(s, lang, names);
  if (s.kind === 'never_converts')
    return tc('campaignsRetireNeverConverts', lang, {
      group,
      delivered: formatNumber(s.evidence.delivered ?? 0, lang, 0),
      high: rateShare(s.evidence.conversion_high ?? 0, lang),
    });
  const members = s.evidence.members ?? 0;
  const reached = s.evidence.reached ?? 0;
  return tc('campaignsRetireUnreachable', lang, {
    group,
    members: formatNumber(members, lang, 0),
    recipients: formatNumber(reached, lang, 0),
    share: formatShare(members > 0 ? reached / members : 0, lang),
  });
}

/** Per persona: its members, and among them the commonest next best categories and (bought, not yet) pairs. */
export function personaCrossSell(
  scores: Iterable<ScoreRow>,
  next: CrossSellResult['next'],
  categories: readonly string[],
): PersonaCrossSell[] {
  const byPersona = new Map<string, { name: string; members: number; next: Map<string, number>; pairs: Map<string, number> }>();
  const customers = new Map<string, string[]>();
  for (const row of scores) {
    if (row.persona_id === null) continue;
    const p = byPersona.get(row.persona_id) ?? { name: row.persona_name ?? '', members: 0, next: new Map(), pairs: new Map() };
    p.members++;
    byPersona.set(row.persona_id, p);
    const n = next.get(row.customer_id);
    if (!n) continue;
    p.next.set(n.category, (p.next.get(n.category) ?? 0) + 1);
    const list = customers.get(row.persona_id) ?? [];
    list.push(row.customer_id);
    customers.set(row.persona_id, list);
    if (n.because !== null) {
      const key = JSON.stringify([n.because, n.category]);
      p.pairs.set(key, (p.pairs.get(key) ?? 0) + 1);
    }
  }
  const index = new Map(categories.map((c, i) => [c, i]));
  // The commonest suggestion (bought A → suggested B), counted literally: members who bought A and not B,
  // whatever their own suggestion (a customer who bought everything has none, and bought B).
  const literally = (persona: string, a: string, b: string): number | null => {
    const ia = index.get(a);
    const ib = index.get(b);
    if (ia === undefined || ib === undefined) return null;
    let count = 0;
    for (const id of customers.get(persona) ?? []) {
      const mask = next.get(id)?.bought;
      if (mask === null || mask === undefined) return null;
      if ((mask & (1 << ia)) !== 0 && (mask & (1 << ib)) === 0) count++;
    }
    return count;
  };
  const ranked = <T extends unknown[]>(entries: [T, number][]): [T, number][] =>
    entries.sort((x, y) => y[1] - x[1] || JSON.stringify(x[0]).localeCompare(JSON.stringify(y[0])));
  return [...byPersona.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([id, p]) => ({
      id,
      name: p.name,
      members: p.members,
      next: ranked([...p.next.entries()].map(([c, n]) => [[c], n] as [[string], number])).map(([[c], n]) => [c, n] as [string, number]),
      pairs: ranked([...p.pairs.entries()].map(([k, n]) => [JSON.parse(k) as [string, string], n] as [[string, string], number])).flatMap(
        ([[a, b]], rank) => {
          if (rank > 0) return [];
          const count = literally(id, a, b);
          return count === null ? [] : [[a, b, count] as [string, string, number]];
        },
      ),
    }));
}

function crossSellBlocks(c: CrossSellSummary | undefined, lang: Lang, names: Names): Block[] {
  if (!c) return [];
  if (!c.available || !c.backtest) return [{ heading: tc('crossSellSection', lang), paragraphs: [tc('crossSellNone', lang, { reason: c.reason ?? '' })] }];
  const b = c.backtest;
  const share = (x: number | undefined): string => formatShare(x ?? 0, lang);
  const intro = tc('crossSellIntro', lang, {
    method: tc(b.chosen === 'lift' ? 'crossSellMethodLift' : 'crossSellMethodItemCf', lang),
    cutoff: formatDate(b.cutoff, lang),
    days: b.holdoutDays,
    evaluated: formatNumber(b.evaluated, lang, 0),
    hit1: share(b.methods[b.chosen].hitRate['@1']),
    pop1: share(b.methods.popularity.hitRate['@1']),
    hit3: share(b.methods[b.chosen].hitRate['@3']),
    pop3: share(b.methods.popularity.hitRate['@3']),
  });
  const excluded = c.excludedCategories.length > 0
    ? [tc('crossSellExcluded', lang, { categories: c.excludedCategories.map((x) => valueWord(x, lang)).join(', ') })]
    : [];
  const rows = c.personas.map((p) => {
    const top = p.next.slice(0, 3).map(([cat, n]) => `${valueWord(cat, lang)} ${formatShare(n / p.members, lang)}`).join(', ');
    const pair = p.pairs[0];
    const phrase = pair
      ? tc('crossSellPhrase', lang, { bought: valueWord(pair[0], lang), next: valueWord(pair[1], lang), share: formatShare(pair[2] / p.members, lang) })
      : '–';
    return [personaName(p.id, p.name, lang, names), formatNumber(p.members, lang, 0), phrase, top || '–'];
  });
  return [
    {
      heading: tc('crossSellSection', lang),
      paragraphs: [intro, ...excluded],
      table: { headers: [tc('crossSellPersona', lang), tc('crossSellMembers', lang), tc('crossSellLargest', lang), tc('crossSellTop', lang)], rows },
    },
    ...(backtestChart(c, lang) ? [{ chart: backtestChart(c, lang) as ChartSpec }] : []),
  ];
}

/** The section's figures from the run's results: what personas.json keeps and the report renders. */
export function campaignSectionData(input: CampaignSectionInput): CampaignSectionData {
  return {
    ...(input.kpis ? { kpis: input.kpis } : {}),
    ...(input.crossSell ? { crossSell: crossSellSummary(input.crossSell, input.scores) } : {}),
    asOf: input.asOf,
    ...(input.currency !== undefined ? { currency: input.currency } : {}),
    ...(input.ruleLabels ? { ruleLabels: input.ruleLabels } : {}),
    ...(input.personaNames ? { personaNames: input.personaNames } : {}),
  };
}

function crossSellSummary(result: CrossSellResult, scores: Iterable<ScoreRow>): CrossSellSummary {
  const { next, ...summary } = result;
  return { ...summary, personas: result.available ? personaCrossSell(scores, next, result.categories) : [] };
}

/** The campaign performance and cross-sell section of the persona report, in HTML and Markdown. */
export function campaignSection(input: CampaignSectionData, lang: Lang): CampaignSection {
  const blocks: Block[] = [];
  const k = input.kpis;
  const names: Names = { rules: input.ruleLabels, personas: input.personaNames };
  if (k && !k.available) blocks.push({ paragraphs: [tc('campaignsNone', lang, { reason: k.reason ?? '' })] });
  if (k?.available) {
    blocks.push({
      paragraphs: [
        tc('campaignsIntro', lang, {
          sends: formatNumber(k.sends, lang, 0),
          days: k.lookbackDays,
          asOf: formatDate(input.asOf, lang),
          campaigns: formatNumber(k.campaigns, lang, 0),
          rule: attributionRule({ attribution: { window_days: k.attribution.window_days, touches: [...k.attribution.touches] as ('click' | 'open')[], model: 'last_touch' } }, lang),
        }),
      ],
    });
    const all = k.rows.filter((r) => r.dimension === 'all');
    const recent = all.reduce((s, r) => s + r.delivered - r.matured, 0);
    const window = k.attribution.window_days;
    blocks.push({
      paragraphs: [
        tc('campaignsMaturity', lang, {
          cutoff: formatDate(toIsoDate(addDays(new Date(`${input.asOf}T00:00:00Z`), -Math.ceil(window))), lang),
          window: formatNumber(window, lang, window % 1 === 0 ? 0 : 1),
          asOf: formatDate(input.asOf, lang),
          recent: formatNumber(recent, lang, 0),
        }),
      ],
    });
    const pick = (dimension: string, channel: string) => k.rows.filter((r) => r.dimension === dimension && r.channel === channel);
    const chart = clickChart(k.rows, lang, names);
    if (chart) blocks.push({ chart });
    for (const [dimension, channel, key] of [
      ['persona', 'email', 'campaignsEmailByPersona'],
      ['persona', 'sms', 'campaignsSmsByPersona'],
      ['lifecycle', 'email', 'campaignsEmailByLifecycle'],
      ['rule_segment', 'email', 'campaignsEmailByRule'],
      ['campaign', 'email', 'campaignsEmailByCampaign'],
      ['campaign', 'sms', 'campaignsSmsByCampaign'],
    ] as const) {
      const rows = pick(dimension, channel);
      if (rows.length > 0) blocks.push({ heading: tc(key, lang), table: kpiTable(rows, channel, lang, input.currency, k.minDelivered, names) });
    }
    blocks.push({
      heading: tc('campaignsSuggestions', lang),
      ...(k.suggestions.length > 0
        ? { list: k.suggestions.map((s) => `${tc(s.kind === 'merge' ? 'campaignsMerge' : s.kind === 'split' ? 'campaignsSplit' : 'campaignsRetire', lang)} — ${suggestionText(s, lang, names)}`) }
        : { paragraphs: [tc('campaignsNoSuggestions', lang)] }),
    });
  }
  blocks.push(...crossSellBlocks(input.crossSell, lang, names));
  if (blocks.length === 0) return { html: '', markdown: '', charts: [] };
  return {
    html: renderHtmlBlocks(blocks, lang),
    markdown: renderMarkdownBlocks(blocks, lang),
    charts: blocks.flatMap((b) => (b.chart ? [b.chart] : [])),
  };
}

function renderHtmlBlocks(blocks: readonly Block[], lang: Lang): string {
  const out = [`<h2 id="campaigns">${escapeHtml(tc('campaignsSection', lang))}</h2>`];
  for (const b of blocks) {
    if (b.heading) out.push(`<h4>${escapeHtml(b.heading)}</h4>`);
    for (const p of b.paragraphs ?? []) out.push(`<p>${escapeHtml(p)}</p>`);
    if (b.table)
      out.push(
        `<table class="kpis"><thead><tr>${b.table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.table.rows
          .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
          .join('\n')}</tbody></table>`,
      );
    if (b.list) out.push(`<ul>${b.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`);
    if (b.chart)
      out.push(
        `<figure class="chart-figure"><div class="chart" id="chart-${b.chart.name}" data-chart="${b.chart.name}" role="img" aria-label="${escapeHtml(b.chart.title)}"></div></figure>`,
      );
  }
  return out.join('\n');
}

function renderMarkdownBlocks(blocks: readonly Block[], lang: Lang): string {
  const out = [`## ${md(tc('campaignsSection', lang))}`, ''];
  for (const b of blocks) {
    if (b.heading) out.push(`### ${md(b.heading)}`, '');
    for (const p of b.paragraphs ?? []) out.push(md(p), '');
    if (b.table)
      out.push(
        `| ${b.table.headers.map(md).join(' | ')} |`,
        `| ${b.table.headers.map(() => '---').join(' | ')} |`,
        ...b.table.rows.map((r) => `| ${r.map(md).join(' | ')} |`),
        '',
      );
    if (b.list) out.push(...b.list.map((i) => `- ${md(i)}`), '');
    if (b.chart) out.push(`![${md(b.chart.title)}](CHARTDIR/${b.chart.name}.png)`, '');
  }
  return out.join('\n');
}
