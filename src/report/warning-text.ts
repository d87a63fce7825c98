import { formatDate, formatNumber } from '../personas/format.js';
import type { Lang } from '../personas/types.js';

/**
 * The run's warnings are written once, in English, for the log and run.json. The report shows each warning
 * it knows in the reader's words (a model "not identified" becomes what that means for its predictions; the
 * technical text stays in run.json); one it does not know is shown as written, in French under a heading
 * that says so.
 */

const STAGES: Readonly<Record<string, Readonly<Record<Lang, string>>>> = {
  'test backtest': { en: 'test backtest', fr: 'backtest de contrôle' },
  'selection backtest': { en: 'selection backtest', fr: 'backtest de sélection' },
  'seasonal backtest': { en: 'backtest on the same season a year earlier', fr: 'backtest de la même saison un an plus tôt' },
  'as-of': { en: 'fit at the analysis date', fr: 'ajustement à la date d’analyse' },
};

function modelReason(reason: string, lang: Lang): string | undefined {
  const flat = /^the likelihood is flat in (.+?) at the optimum \((.+)\) on (\d+) customers: the estimate is not identified$/.exec(reason);
  if (flat) {
    const [, params, , n] = flat as unknown as [string, string, string, string];
    return lang === 'fr'
      ? `sur ces ${formatNumber(Number(n), 'fr', 0)} clients, les données ne fixent pas ses paramètres (${params}) : des valeurs très différentes décrivent aussi bien les achats, ses prédictions seraient donc arbitraires (détail technique dans run.json)`
      : `on these ${formatNumber(Number(n), 'en', 0)} customers the data do not pin down its parameters (${params}): very different values describe the purchases equally well, so its predictions would be arbitrary (technical detail in run.json)`;
  }
  const history = /^less than (\d+) days of history before (\d{4}-\d{2}-\d{2}) to learn from$/.exec(reason);
  if (history) {
    return lang === 'fr'
      ? `moins de ${history[1]} jours d’historique avant le ${formatDate(history[2] as string, 'fr')} pour apprendre`
      : `less than ${history[1]} days of history before ${formatDate(history[2] as string, 'en')} to learn from`;
  }
  return undefined;
}

/** "<model> was not used (<stages>): <reason>" in the reader's words, when its stages and reason are known. */
function modelNotUsed(text: string, lang: Lang): string | undefined {
  const skipped = /^(.+?) was not used \((.+?)\): (.+)$/.exec(text);
  if (!skipped) return undefined;
  const [, model, stages, reason] = skipped as unknown as [string, string, string, string];
  const where = stages.split(', ').map((s) => STAGES[s]?.[lang]);
  const why = modelReason(reason, lang);
  if (where.some((w) => w === undefined) || why === undefined) return undefined;
  return lang === 'fr' ? `${model} n’a pas été utilisé (${where.join(', ')}) : ${why}` : `${model} was not used (${where.join(', ')}): ${why}`;
}

const KNOWN: ReadonlyArray<(text: string) => string | undefined> = [
  (text) =>
    text === 'lawful basis: legitimate interest (declared in the config), not per-customer consent'
      ? 'base légale : intérêt légitime (déclaré dans la configuration), pas de consentement client par client'
      : undefined,
  (text) => modelNotUsed(text, 'fr'),
  (text) =>
    text.startsWith('no BTYD model could be fitted and checked on a backtest:')
      ? 'aucun modèle BTYD n’a pu être ajusté et contrôlé sur un backtest : P(actif), achats attendus et CLV viennent de la référence empirique de récence (la part des clients de même récence qui ont racheté dans les 90 jours)'
      : undefined,
  (text) => {
    const currency = /^orders: currency not set in the config; using the most frequent one, (\w+)$/.exec(text);
    return currency ? `commandes : devise absente de la configuration ; la plus fréquente est utilisée, ${currency[1]}` : undefined;
  },
];

/** A warning in the report's language and words, or undefined when the French report has no translation for it. */
export function warningText(text: string, lang: Lang): string | undefined {
  if (lang === 'en') return modelNotUsed(text, 'en') ?? text;
  for (const translate of KNOWN) {
    const fr = translate(text);
    if (fr !== undefined) return fr;
  }
  return undefined;
}
