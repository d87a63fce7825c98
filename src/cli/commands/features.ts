import type { Command } from 'commander';
import { inputError, show } from '../../core/errors.js';
import { FAMILIES, referenceCatalogue } from '../../features/catalogue.js';
import type { FeatureSpec } from '../../features/types.js';

type Lang = 'en' | 'fr';

interface FeaturesFlags {
  list?: boolean;
  lang?: string;
  json?: boolean;
}

/** The catalogue as people read it: one block per family, one line per feature. */
export function catalogueText(catalogue: readonly FeatureSpec[], lang: Lang): string {
  const lines: string[] = [];
  for (const info of FAMILIES) {
    const specs = catalogue.filter((s) => s.family === info.family);
    if (specs.length === 0) continue;
    const needs = lang === 'fr' ? 'nécessite' : 'needs';
    lines.push(`${info.label[lang]} (${info.family}; ${needs} ${info.requires})`);
    const width = Math.max(...specs.map((s) => s.name.length));
    for (const s of specs) {
      const tags = [s.kind, s.unit, s.source, s.transform, s.clustering ? 'clustering' : undefined].filter(Boolean).join(', ');
      lines.push(`  ${s.name.padEnd(width)}  ${s.label[lang]} [${tags}]`);
      lines.push(`  ${''.padEnd(width)}  ${s.description[lang]}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function registerFeatures(program: Command): void {
  program
    .command('features')
    .description('document the customer features: name, family, description, source, transform')
    .option('--list', 'list every feature the pipeline can compute (data-driven columns shown with a <placeholder>)')
    .option('--lang <lang>', 'language of the descriptions: en or fr', 'en')
    .option('--json', 'print one JSON object per feature (JSON lines)')
    .action((flags: FeaturesFlags) => {
      const lang = flags.lang ?? 'en';
      if (lang !== 'en' && lang !== 'fr') inputError('bad_lang', `--lang ${show(lang)} is not supported`, 'Use --lang en or --lang fr.');
      if (!flags.list) inputError('features_no_action', 'nothing to do', 'Pass --list to print the feature catalogue.');
      const catalogue = referenceCatalogue();
      // One write: a reader that stops early (`| head`) then closes the pipe once, not mid-loop.
      process.stdout.write(flags.json ? `${catalogue.map((spec) => JSON.stringify(spec)).join('\n')}\n` : catalogueText(catalogue, lang));
    });
}
