import { t } from './messages.js';
import { labelled, type Item, type ReportModel, type Table } from './report-model.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(tbl: Table): string {
  return [
    `| ${tbl.headers.map(cell).join(' | ')} |`,
    `| ${tbl.headers.map(() => '---').join(' | ')} |`,
    ...tbl.rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function pairsTable(list: readonly (readonly [string, string])[]): string {
  return table({ headers: list.map(([k]) => k), rows: [list.map(([, v]) => v)] });
}

function itemLines(list: readonly Item[], why: string, numbered: boolean, lang: ReportModel['lang']): string {
  return list.map((item, i) => `${numbered ? `${i + 1}.` : '-'} **${item.label}** — ${why ? labelled(why, lang, item.text) : item.text}${numbered && item.tag ? ` \`${item.tag}\`` : ''}`).join('\n');
}

/** The Markdown report: the same content as the HTML, charts as PNG images next to it. */
export function renderMarkdown(model: ReportModel, charts: readonly { readonly name: string; readonly title: string }[], chartDir: string): string {
  const lang = model.lang;
  const out: string[] = [`# ${model.title}`, '', `_${t('subtitle', lang)}_`, ''];
  out.push(...model.meta.map(([k, v]) => `- ${labelled(`**${k}**`, lang, v)}`), '', `> ${model.privacy}`, '');
  out.push(`## ${t('glance', lang)}`, '', table(model.glance), '');
  for (const notice of model.notices) out.push(`### ${notice.title}`, '', ...notice.items.map((i) => `- ${i}`), '');
  out.push(`## ${t('charts', lang)}`, '');
  for (const chart of charts) out.push(`![${chart.title}](${chartDir}/${chart.name}.png)`, '');
  out.push(`## ${t('personasSection', lang)}`, '');
  for (const p of model.personas) {
    out.push(`### ${p.heading}`, '', `_${p.tagline}_`, '', pairsTable(p.metrics), '', p.narrative, '');
    out.push(`#### ${t('traits', lang)}`, '', p.traits ? table(p.traits) : t('noTraits', lang), '');
    out.push(`#### ${t('declaredVsObserved', lang)}`, '', p.declared.length > 0 ? itemLines(p.declared, '', false, lang) : t('noDeclared', lang), '');
    out.push(`#### ${t('actions', lang)}`, '', p.actions.length > 0 ? itemLines(p.actions, t('why', lang), true, lang) : t('noActions', lang), '');
    out.push(`#### ${t('reachability', lang)}`, '', ...p.reach.map(([k, v]) => `- ${labelled(k, lang, v)}`), '');
    if (p.lifecycle) out.push(`#### ${t('lifecycle', lang)}`, '', p.lifecycle, '');
    if (p.tracking) out.push(`#### ${t('tracking', lang)}`, '', ...p.tracking.map((l) => `- ${l}`), '');
    if (p.absorbed) out.push(`_${p.absorbed}_`, '');
  }
  out.push(`## ${t('method', lang)}`, '', ...model.method.flatMap((m) => [m, '']));
  out.push(`### ${t('playbook', lang)}`, '', table(model.playbook), '');
  out.push(`### ${t('glossary', lang)}`, '', table(model.glossary), '');
  return out.join('\n');
}
