import { quantileSorted } from './statistics.js';
import type { Localized, TimingFigures, Trait, ValueFigures } from './types.js';

/**
 * The figures personas are described by: one definition each, computed by the same functions for every
 * persona and for the whole base, once. Tiles, traits tables, narratives, names, the playbook and the charts
 * all read these numbers; none computes its own "overall".
 */

/** Per-customer columns the figures are computed from, aligned with the customers (NaN = unknown). */
export interface FigureColumns {
  readonly revenue: Float64Array;
  readonly orders: Float64Array;
  /** Share of each customer's spend made in November–December (the season feature), when in the catalogue. */
  readonly novDecShare: Float64Array | null;
  /** Days since each customer's first order (or signup), when in the catalogue. */
  readonly tenure: Float64Array | null;
  /** Timing predictions (NaN where a customer was not scored), when the run has them. */
  readonly predictions: {
    readonly pAlive: Float64Array;
    readonly pBuy30: Float64Array;
    readonly nextPurchaseDays: Float64Array;
    readonly clv: Float64Array;
  } | null;
}

/** Catalogue features the figures come from (the pipeline's names; a catalogue without them has no such figure). */
export const SEASON_FEATURE = 'share_spend_nov_dec';
export const TENURE_FEATURES = ['tenure_first_purchase_days', 'tenure_signup_days'] as const;

type FigureKey = keyof ValueFigures;

/**
 * Features that are a figure. Their trait shows the figure itself (for the persona and for everyone), so
 * that a tile and its trait can never say two numbers; the average order value's test weighs each customer
 * by their orders, as the figure does (revenue / orders is the order-weighted mean of customers' averages).
 */
export function figureOfFeature(name: string, tenureFeature: string | null): FigureKey | null {
  if (name === 'average_order_value') return 'averageOrderValue';
  if (name === 'monetary_total') return 'revenuePerCustomer';
  if (name === 'orders_count') return 'ordersPerCustomer';
  if (name === SEASON_FEATURE) return 'novDecSpendShare';
  if (name === tenureFeature) return 'tenureDays';
  return null;
}

/** The customer weights of a feature's trait test: orders for the average order value, none otherwise. */
export function traitWeights(columns: FigureColumns, featureNames: readonly string[]): Readonly<Record<string, Float64Array>> {
  return featureNames.includes('average_order_value') ? { average_order_value: columns.orders } : {};
}

function each(rows: readonly number[] | null, n: number, visit: (i: number) => void): void {
  if (rows === null) for (let i = 0; i < n; i++) visit(i);
  else for (const i of rows) visit(i);
}

function meanFinite(column: Float64Array, rows: readonly number[] | null): number | null {
  let sum = 0;
  let count = 0;
  each(rows, column.length, (i) => {
    const x = column[i] as number;
    if (Number.isFinite(x)) {
      sum += x;
      count++;
    }
  });
  return count > 0 ? sum / count : null;
}

function medianFinite(column: Float64Array, rows: readonly number[] | null): number | null {
  const values: number[] = [];
  each(rows, column.length, (i) => {
    const x = column[i] as number;
    if (Number.isFinite(x)) values.push(x);
  });
  if (values.length === 0) return null;
  return quantileSorted(Float64Array.from(values).sort(), 0.5);
}

/** The value figures of the customers at `rows` (every customer when null). */
export function valueFigures(columns: FigureColumns, rows: readonly number[] | null): ValueFigures {
  const n = rows === null ? columns.revenue.length : rows.length;
  let revenue = 0;
  let orders = 0;
  let one = 0;
  let repeat = 0;
  each(rows, columns.revenue.length, (i) => {
    revenue += columns.revenue[i] as number;
    const o = columns.orders[i] as number;
    orders += o;
    if (o === 1) one++;
    else if (o >= 2) repeat++;
  });
  return {
    averageOrderValue: orders > 0 ? revenue / orders : null,
    revenuePerCustomer: n > 0 ? revenue / n : 0,
    ordersPerCustomer: n > 0 ? orders / n : 0,
    oneOrderShare: n > 0 ? one / n : 0,
    repeatShare: n > 0 ? repeat / n : 0,
    novDecSpendShare: columns.novDecShare ? meanFinite(columns.novDecShare, rows) : null,
    tenureDays: columns.tenure ? meanFinite(columns.tenure, rows) : null,
    meanClv: columns.predictions ? meanFinite(columns.predictions.clv, rows) : null,
  };
}

/** The timing figures of the customers at `rows`, or null when the run has no predictions. */
export function timingFigures(columns: FigureColumns, rows: readonly number[] | null): TimingFigures | null {
  const p = columns.predictions;
  if (!p) return null;
  let scored = 0;
  let expected = 0;
  each(rows, p.pBuy30.length, (i) => {
    const x = p.pBuy30[i] as number;
    if (Number.isFinite(x)) {
      scored++;
      expected += x;
    }
  });
  return {
    scored,
    expectedBuyers30: expected,
    expectedShareBuy30: scored > 0 ? expected / scored : null,
    medianNextPurchaseDays: medianFinite(p.nextPurchaseDays, rows),
    meanPAlive: meanFinite(p.pAlive, rows),
  };
}

/**
 * The trait of a feature that is a figure shows the figure: persona and population values (and the
 * differences derived from them) are the figures, not a second computation of the same thing.
 */
export function withFigureValues(
  traits: readonly Trait[],
  persona: ValueFigures,
  population: ValueFigures,
  tenureFeature: string | null,
): Trait[] {
  return traits.map((trait) => {
    const key = trait.level === null ? figureOfFeature(trait.feature, tenureFeature) : null;
    const personaValue = key ? persona[key] : null;
    const populationValue = key ? population[key] : null;
    if (personaValue === null || populationValue === null) return trait;
    return {
      ...trait,
      personaValue,
      populationValue,
      difference: personaValue - populationValue,
      relative: populationValue === 0 ? null : personaValue / populationValue - 1,
    };
  });
}

/** What each figure of the report means, in the report's words: shown next to the figure and in the glossary. */
export const FIGURE_DEFINITIONS: Readonly<Record<string, { readonly label: Localized; readonly definition: Localized }>> = {
  averageOrderValue: {
    label: { en: 'Average order value', fr: 'Panier moyen' },
    definition: {
      en: 'Revenue divided by the number of orders, over the same customers (persona or everyone): every order weighs the same.',
      fr: 'Chiffre d’affaires divisé par le nombre de commandes des mêmes clients (persona ou ensemble) : chaque commande pèse autant.',
    },
  },
  revenuePerCustomer: {
    label: { en: 'Revenue per customer', fr: 'Chiffre d’affaires par client' },
    definition: {
      en: 'Total purchase amount (before returns) divided by the number of customers.',
      fr: 'Montant total des achats (avant retours) divisé par le nombre de clients.',
    },
  },
  ordersPerCustomer: {
    label: { en: 'Orders per customer', fr: 'Commandes par client' },
    definition: { en: 'Orders divided by the number of customers.', fr: 'Commandes divisées par le nombre de clients.' },
  },
  novDecSpendShare: {
    label: { en: 'November–December spend share', fr: 'Part de la dépense en novembre–décembre' },
    definition: {
      en: 'Share of a customer’s spend made in November or December, averaged over the customers who bought (about 17–25% for someone who buys all year round).',
      fr: 'Part de la dépense d’un client réalisée en novembre ou décembre, moyenne sur les clients ayant acheté (environ 17 à 25 % pour qui achète toute l’année).',
    },
  },
  expectedBuyers30: {
    label: { en: 'Expected buyers in 30 days', fr: 'Acheteurs attendus sous 30 jours' },
    definition: {
      en: 'The sum over the customers of each one’s predicted probability of buying within 30 days of the as-of date: the number of buyers to expect. The percentage is that number divided by the customers scored (the mean probability).',
      fr: 'La somme, sur les clients, de la probabilité prédite pour chacun d’acheter dans les 30 jours suivant la date d’analyse : le nombre d’acheteurs à attendre. Le pourcentage est ce nombre divisé par les clients évalués (la probabilité moyenne).',
    },
  },
  meanPAlive: {
    label: { en: 'Mean P(alive)', fr: 'P(actif) moyenne' },
    definition: {
      en: 'Mean predicted probability that a customer is still a customer (has not silently stopped buying) at the as-of date.',
      fr: 'Probabilité prédite moyenne qu’un client le soit encore (n’ait pas cessé d’acheter sans le dire) à la date d’analyse.',
    },
  },
  medianNextPurchaseDays: {
    label: { en: 'Median days to next purchase', fr: 'Jours médians avant le prochain achat' },
    definition: {
      en: 'Median, over the customers whose next purchase can be predicted, of the expected days from the as-of date to their next purchase.',
      fr: 'Médiane, sur les clients dont le prochain achat est prévisible, du nombre de jours attendu entre la date d’analyse et ce prochain achat.',
    },
  },
  meanClv: {
    label: { en: 'Predicted CLV', fr: 'Valeur vie prédite' },
    definition: {
      en: 'Mean predicted customer lifetime value: discounted revenue expected over the CLV horizon.',
      fr: 'Valeur vie client prédite moyenne : chiffre d’affaires actualisé attendu sur l’horizon de valeur vie.',
    },
  },
};
