import { escapeMarkdown as md } from './escape.js';
import { t } from './messages.js';
import { labelled, type Item, type Metric, type ReportModel, type Table } from './report-model.js';

/** A figure's label with a footnote to its definition (GitHub-flavoured Markdown footnotes; keys are plain identifiers). */
function defined(label: string, key: string | undefined): string {
  return key ? `${label}[^${key}]` : label;
}

function table(tbl: Table): string {
  return [
    `| ${tbl.headers.map((h, i) => defined(md(h), tbl.definitions?.[i])).join(' | ')} |`,
    `| ${tbl.headers.map(() => '---').join(' | ')} |`,
    ...tbl.rows.map((row) => `| ${row.map(md).join(' | ')} |`),
  ].join('\n');
}

function pairsTable(list: readonly Metric[]): string {
  return table({ headers: list.map(([k]) => k), rows: [list.map(([, v]) => v)], definitions: list.map(([, , d]) => d) });
}

function itemLines(list: readonly Item[], why: string, numbered: boolean, lang: ReportModel['lang']): string {
  return list.map((item, i) => `${numbered ? `${i + 1}.` : '-'} **${md(item.label)}** — ${md(why ? labelled(why, lang, item.text) : item.text)}${numbered && item.tag ? ` \`${item.tag.replace(/`/g, "'")}\`` : ''}`).join('\n');
}

/** The Markdown report: the same content as the HTML, charts as PNG images next to it; every text escaped. */
export function renderMarkdown(
  model: ReportModel,
  charts: readonly { readonly name: string; readonly title: string }[],
  chartDir: string,
  extra?: { readonly markdown: string },
): string {
  const lang = model.lang;
  const out: string[] = [`# ${md(model.title)}`, '', `_${md(model.subtitle)}_`, ''];
  out.push(...model.meta.map(([k, v]) => `- ${labelled(`**${md(k)}**`, lang, md(v))}`), '', `> ${md(model.privacy)}`, '');
  out.push(`## ${md(t('glance', lang))}`, '', table(model.glance), '');
  for (const notice of model.notices) out.push(`### ${md(notice.title)}`, '', ...notice.items.map((i) => `- ${md(i)}`), '');
  out.push(`## ${md(t('charts', lang))}`, '');
  for (const chart of charts) out.push(`![${md(chart.title)}](${chartDir}/${chart.name}.png)`, '');
  out.push(`## ${md(t('personasSection', lang))}`, '');
  for (const p of model.personas) {
    out.push(`### ${md(p.heading)}`, '', `_${md(p.tagline)}_`, '', pairsTable(p.metrics), '', md(p.narrative), '');
    out.push(`#### ${md(t('traits', lang))}`, '', p.traits ? table(p.traits) : md(t('noTraits', lang)), '');
    out.push(`#### ${md(t('declaredVsObserved', lang))}`, '', p.declared.length > 0 ? itemLines(p.declared, '', false, lang) : md(t('noDeclared', lang)), '');
    out.push(`#### ${md(t('actions', lang))}`, '', p.actions.length > 0 ? itemLines(p.actions, t('why', lang), true, lang) : md(t('noActions', lang)), '');
    out.push(`#### ${md(t('reachability', lang))}`, '', ...p.reach.map(([k, v]) => `- ${md(labelled(k, lang, v))}`), '');
    if (p.lifecycle) out.push(`#### ${md(t('lifecycle', lang))}`, '', md(p.lifecycle), '');
    if (p.audiences) out.push(`#### ${md(t('audiences', lang))}`, '', ...p.audiences.map((l) => `- ${md(l)}`), '');
    if (p.tracking) out.push(`#### ${md(t('tracking', lang))}`, '', ...p.tracking.map((l) => `- ${md(l)}`), '');
    if (p.absorbed) out.push(`_${md(p.absorbed)}_`, '');
  }
  if (extra?.markdown) out.push(extra.markdown.replaceAll('](CHARTDIR/', `](${chartDir}/`), '');
  out.push(`## ${md(t('method', lang))}`, '', ...model.method.flatMap((m) => [md(m), '']));
  out.push(`### ${md(t('playbook', lang))}`, '', table(model.playbook), '');
  out.push(`### ${md(t('definitions', lang))}`, '', ...model.definitions.map((d) => `- **${md(d.term)}**: ${md(d.text)}`), '');
  out.push(`### ${md(t('glossary', lang))}`, '', table(model.glossary), '');
  out.push(...model.definitions.map((d) => `[^${d.key}]: ${md(d.term)}: ${md(d.text)}`), '');
  return out.join('\n');
}
