import { formatDate, formatNumber } from '../personas/format.js';
import type { Lang } from '../personas/types.js';

/**
 * The run's warnings are written once, in English, for the log and run.json. The French report shows each
 * warning it knows in French; one it does not know is shown as written, under a heading that says so.
 */

const STAGES_FR: Readonly<Record<string, string>> = {
  'test backtest': 'backtest de contrôle',
  'selection backtest': 'backtest de sélection',
  'seasonal backtest': 'backtest de la même saison un an plus tôt',
  'as-of': 'ajustement à la date d’analyse',
};

/** Decimal points of numbers written in English (0.723, 4.80e-7) as decimal commas. */
function frenchNumbers(text: string): string {
  return text.replace(/(\d)\.(\d)/g, '$1,$2');
}

function modelReasonFr(reason: string): string | undefined {
  const flat = /^the likelihood is flat in (.+?) at the optimum \((.+)\) on (\d+) customers: the estimate is not identified$/.exec(reason);
  if (flat) {
    const [, params, values, n] = flat as unknown as [string, string, string, string];
    return `la vraisemblance est plate en ${params} à l’optimum (${frenchNumbers(values)}) sur ${formatNumber(Number(n), 'fr', 0)} clients : l’estimation n’est pas identifiée`;
  }
  const history = /^less than (\d+) days of history before (\d{4}-\d{2}-\d{2}) to learn from$/.exec(reason);
  if (history) return `moins de ${history[1]} jours d’historique avant le ${formatDate(history[2] as string, 'fr')} pour apprendre`;
  return undefined;
}

const KNOWN: ReadonlyArray<(text: string) => string | undefined> = [
  (text) =>
    text === 'lawful basis: legitimate interest (declared in the config), not per-customer consent'
      ? 'base légale : intérêt légitime (déclaré dans la configuration), pas de consentement client par client'
      : undefined,
  (text) => {
    const skipped = /^(.+?) was not used \((.+?)\): (.+)$/.exec(text);
    if (!skipped) return undefined;
    const [, model, stages, reason] = skipped as unknown as [string, string, string, string];
    const where = stages.split(', ').map((s) => STAGES_FR[s]);
    const why = modelReasonFr(reason);
    if (where.some((w) => w === undefined) || why === undefined) return undefined;
    return `${model} n’a pas été utilisé (${where.join(', ')}) : ${why}`;
  },
  (text) =>
    text.startsWith('no BTYD model could be fitted and checked on a backtest:')
      ? 'aucun modèle BTYD n’a pu être ajusté et contrôlé sur un backtest : P(actif), achats attendus et CLV viennent de la référence empirique de récence (la part des clients de même récence qui ont racheté dans les 90 jours)'
      : undefined,
  (text) => {
    const currency = /^orders: currency not set in the config; using the most frequent one, (\w+)$/.exec(text);
    return currency ? `commandes : devise absente de la configuration ; la plus fréquente est utilisée, ${currency[1]}` : undefined;
  },
];

/** A warning in the report's language, or undefined when the French report has no translation for it. */
export function warningText(text: string, lang: Lang): string | undefined {
  if (lang === 'en') return text;
  for (const translate of KNOWN) {
    const fr = translate(text);
    if (fr !== undefined) return fr;
  }
  return undefined;
}
