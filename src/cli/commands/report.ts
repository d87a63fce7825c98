import type { Command } from 'commander';
import { resolve } from 'node:path';
import { inputError, show } from '../../core/errors.js';
import { renderReportFromRun } from '../../io/write-report.js';
import { LANGS, type Lang } from '../../personas/types.js';

interface ReportFlags {
  run: string;
  lang: string;
  json?: boolean;
}

function parseLang(value: string): Lang {
  const lang = value.toLowerCase();
  if (!(LANGS as readonly string[]).includes(lang)) {
    inputError('report.lang', `--lang ${show(value)} is not a report language`, `use one of: ${LANGS.join(', ')}`);
  }
  return lang as Lang;
}

/** `personae report --run DIR [--lang en|fr]`: re-renders DIR/personas.json into DIR/report/. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description('(re)render the persona report of a run from its personas.json, in English or French')
    .requiredOption('--run <dir>', 'output directory of a run (holds personas.json)')
    .option('--lang <lang>', `report language (${LANGS.join('|')})`, 'en')
    .option('--json', 'print the written paths as JSON')
    .action(async (flags: ReportFlags) => {
      const lang = parseLang(flags.lang);
      const written = await renderReportFromRun(resolve(flags.run), lang);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ lang, html: written.html, markdown: written.markdown, charts: written.charts })}\n`);
      } else {
        process.stdout.write(`persona report (${lang}): ${written.html}\nmarkdown: ${written.markdown}\n`);
      }
    });
}
