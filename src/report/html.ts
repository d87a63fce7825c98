import type { ChartSpec } from './charts.js';
import { vegaBrowserScripts } from './assets.js';
import { escapeHtml } from './escape.js';
import { t } from './messages.js';
import { personaColor } from './palette.js';
import { labelled, type Definition, type Item, type Metric, type PersonaSection, type ReportModel, type Table } from './report-model.js';

/** JSON safe inside a <script> element: no "</script>", no HTML comment openers. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function scriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** Figure definitions by key: a figure's label links to its definition and shows it on hover. */
type Definitions = ReadonlyMap<string, Definition>;

function defined(label: string, key: string | undefined, definitions: Definitions): string {
  const d = key ? definitions.get(key) : undefined;
  if (!d) return escapeHtml(label);
  return `<a class="defined" href="#def-${escapeHtml(d.key)}" title="${escapeHtml(d.text)}">${escapeHtml(label)}</a>`;
}

function table(tbl: Table, className = '', definitions: Definitions = new Map()): string {
  const head = tbl.headers.map((h, i) => `<th>${defined(h, tbl.definitions?.[i], definitions)}</th>`).join('');
  const body = tbl.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function pairs(list: readonly Metric[], className: string, definitions: Definitions = new Map()): string {
  return `<dl class="${className}">${list.map(([k, v, d]) => `<div><dt>${defined(k, d, definitions)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

function items(list: readonly Item[], emptyText: string, why: string, lang: ReportModel['lang']): string {
  if (list.length === 0) return `<p class="muted">${escapeHtml(emptyText)}</p>`;
  return `<ul class="items">${list
    .map((item) => `<li>${item.tag ? `<span class="tag tag-${escapeHtml(item.tag)}">${escapeHtml(item.label)}</span>` : `<strong>${escapeHtml(item.label)}</strong>`} <span class="why">${escapeHtml(why ? labelled(why, lang, item.text) : item.text)}</span></li>`)
    .join('')}</ul>`;
}

function actionList(list: readonly Item[], lang: ReportModel['lang']): string {
  if (list.length === 0) return `<p class="muted">${escapeHtml(t('noActions', lang))}</p>`;
  return `<ol class="actions">${list
    .map((a) => `<li><strong>${escapeHtml(a.label)}</strong><br><span class="why">${escapeHtml(labelled(t('why', lang), lang, a.text))}</span> <code>${escapeHtml(a.tag ?? '')}</code></li>`)
    .join('')}</ol>`;
}

function personaCard(section: PersonaSection, lang: ReportModel['lang'], definitions: Definitions): string {
  const parts = [
    `<article class="persona" id="persona-${escapeHtml(section.id)}" style="--accent: ${personaColor(section.id)}">`,
    `<header><h3>${escapeHtml(section.heading)}</h3><p class="tagline">${escapeHtml(section.tagline)}</p></header>`,
    pairs(section.metrics, 'metrics', definitions),
    `<p class="narrative">${escapeHtml(section.narrative)}</p>`,
    `<h4>${escapeHtml(t('traits', lang))}</h4>`,
    section.traits ? table(section.traits, 'traits') : `<p class="muted">${escapeHtml(t('noTraits', lang))}</p>`,
    `<h4>${escapeHtml(t('declaredVsObserved', lang))}</h4>`,
    items(section.declared, t('noDeclared', lang), '', lang),
    `<h4>${escapeHtml(t('actions', lang))}</h4>`,
    actionList(section.actions, lang),
    `<div class="columns"><section><h4>${escapeHtml(t('reachability', lang))}</h4>${pairs(section.reach, 'reach')}</section>`,
    section.lifecycle ? `<section><h4>${escapeHtml(t('lifecycle', lang))}</h4><p>${escapeHtml(section.lifecycle)}</p></section>` : '',
    '</div>',
    section.audiences ? `<h4>${escapeHtml(t('audiences', lang))}</h4><ul class="audiences">${section.audiences.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '',
    section.tracking ? `<h4>${escapeHtml(t('tracking', lang))}</h4><ul class="tracking">${section.tracking.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>` : '',
    section.absorbed ? `<p class="muted">${escapeHtml(section.absorbed)}</p>` : '',
    '</article>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

const CSS = `
:root { --ink: #1d2733; --muted: #5b6673; --line: #dde2e8; --bg: #f6f7f9; --accent: #4c78a8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1080px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 30px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 19px; margin: 0; }
h4 { font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 20px 0 6px; }
.subtitle { color: var(--muted); margin: 0 0 16px; }
.meta { display: flex; flex-wrap: wrap; gap: 10px 32px; margin: 0 0 12px; }
.meta dt { color: var(--muted); font-size: 12px; } .meta dd { margin: 0; font-weight: 600; }
.privacy { font-size: 13px; color: var(--muted); border-left: 3px solid var(--line); padding-left: 10px; }
table { border-collapse: collapse; width: 100%; background: white; font-size: 13.5px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
.notice { background: white; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; margin: 12px 0; }
.notice h3 { font-size: 15px; margin: 4px 0; }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
.chart-figure { margin: 0; background: white; border: 1px solid var(--line); border-radius: 8px; padding: 14px; overflow-x: auto; }
.chart { min-height: 60px; }
.persona { background: white; border: 1px solid var(--line); border-top: 6px solid var(--accent); border-radius: 8px; padding: 20px 24px; margin: 22px 0; }
.tagline { color: var(--muted); margin: 4px 0 12px; }
.metrics { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 0; }
.metrics div { background: var(--bg); border-radius: 6px; padding: 8px 10px; }
.metrics dt { font-size: 12px; color: var(--muted); } .metrics dd { margin: 0; font-size: 18px; font-weight: 700; }
.reach div { display: flex; justify-content: space-between; gap: 12px; border-bottom: 1px dotted var(--line); }
.reach dt { color: var(--muted); } .reach dd { margin: 0; font-weight: 600; }
.narrative { margin: 14px 0; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 24px; }
.items, .actions, .tracking, .audiences { margin: 0; padding-left: 20px; } .items li, .actions li { margin: 4px 0; }
.why { color: var(--muted); font-size: 13.5px; }
.tag { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 8px; background: #eef1f5; }
.tag-agreement { background: #dff0d8; color: #2d6a2d; } .tag-contradiction { background: #fbe1e1; color: #9b2626; }
code { font-size: 12px; color: var(--muted); }
.muted { color: var(--muted); }
a.defined { color: inherit; text-decoration: underline dotted; text-underline-offset: 2px; }
.definitions div { margin: 6px 0; } .definitions dt { font-weight: 600; } .definitions dd { margin: 0 0 0 16px; }
.definitions div:target { background: #fff7d6; }
@media print {
  body { background: white; font-size: 11pt; } main { max-width: none; padding: 0; }
  .persona { break-before: page; border: none; border-top: 6px solid var(--accent); padding: 8px 0; }
  .chart-figure { break-inside: avoid; border: none; } .notice { break-inside: avoid; }
  .vega-embed .vega-actions, details summary { display: none; }
}`;

/** The self-contained HTML report: styles, data and the vega libraries inline; no network access. */
export function renderHtml(
  model: ReportModel,
  charts: readonly ChartSpec[],
  extra?: { readonly html: string; readonly charts: readonly ChartSpec[] },
): string {
  const lang = model.lang;
  const specs = Object.fromEntries([...charts, ...(extra?.charts ?? [])].map((c) => [c.name, c.spec]));
  const definitions: Definitions = new Map(model.definitions.map((d) => [d.key, d]));
  const scripts = vegaBrowserScripts();
  const body = [
    `<header><h1>${escapeHtml(model.title)}</h1><p class="subtitle">${escapeHtml(model.subtitle)}</p>`,
    pairs(model.meta, 'meta'),
    `<p class="privacy">${escapeHtml(model.privacy)}</p></header>`,
    `<h2>${escapeHtml(t('glance', lang))}</h2>`,
    table(model.glance, 'glance', definitions),
    ...model.notices.map((n) => `<section class="notice"><h3>${escapeHtml(n.title)}</h3><ul>${n.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul></section>`),
    `<h2>${escapeHtml(t('charts', lang))}</h2>`,
    `<noscript><p>${escapeHtml(t('noscript', lang))}</p></noscript>`,
    `<div class="charts">${charts.map((c) => `<figure class="chart-figure"><div class="chart" id="chart-${c.name}" data-chart="${c.name}" role="img" aria-label="${escapeHtml(c.title)}"></div></figure>`).join('\n')}</div>`,
    `<h2>${escapeHtml(t('personasSection', lang))}</h2>`,
    ...model.personas.map((p) => personaCard(p, lang, definitions)),
    ...(extra?.html ? [extra.html] : []),
    `<h2>${escapeHtml(t('method', lang))}</h2>`,
    ...model.method.map((m) => `<p>${escapeHtml(m)}</p>`),
    `<h4>${escapeHtml(t('playbook', lang))}</h4>`,
    table(model.playbook),
    `<h4>${escapeHtml(t('definitions', lang))}</h4>`,
    `<dl class="definitions">${model.definitions.map((d) => `<div id="def-${escapeHtml(d.key)}"><dt>${escapeHtml(d.term)}</dt><dd>${escapeHtml(d.text)}</dd></div>`).join('')}</dl>`,
    `<h4>${escapeHtml(t('glossary', lang))}</h4>`,
    table(model.glossary),
  ];
  const embed = `(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  Object.keys(specs).forEach(function (name) {
    var el = document.getElementById('chart-' + name);
    vegaEmbed(el, specs[name], { actions: false, renderer: 'svg' }).catch(function (err) {
      el.textContent = String(err && err.message || err);
      console.error('chart ' + name + ': ' + err);
    });
  });
})();`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="personae">
<title>${escapeHtml(model.title)} · ${escapeHtml(model.meta[0]?.[1] ?? '')}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
<script type="application/json" id="chart-specs">${scriptJson(specs)}</script>
${scripts.map((s) => `<script data-lib="${s.name}@${s.version}">${scriptSource(s.source)}</script>`).join('\n')}
<script>${embed}</script>
</body>
</html>
`;
}
