/** The content of one order: amount, discount, items, category, brand, channel and status. */
import type { Rng } from '../core/rng.js';
import { BRANDS, CURRENCY, type Category } from './catalog.js';
import type { PersonaSpec } from './personas.js';
import { logNormal, pickWeighted } from './sampling.js';

export interface Order {
  readonly orderedAt: number;
  readonly amount: number;
  readonly status: 'completed' | 'cancelled' | 'refunded' | 'returned';
  readonly currency: string;
  readonly channel: 'web' | 'app' | 'store' | 'marketplace';
  readonly discountAmount: number;
  readonly items: number;
  readonly category: Category;
  readonly brand: string;
}

export function drawOrder(rng: Rng, persona: PersonaSpec, orderedAt: number, category?: Category): Order {
  const basket = persona.basket;
  const items = 1 + rng.poisson(basket.extraItems);
  const gross = logNormal(rng, basket.medianAmount, basket.sigma) * (1 + 0.35 * (items - 1));
  const discounted = rng.bernoulli(basket.discountProbability);
  const discount = discounted ? gross * rng.uniform(basket.discountShare[0], basket.discountShare[1]) : 0;
  const tier = pickWeighted(rng, persona.brandTiers);
  const u = rng.next();
  const s = persona.status;
  const status =
    u < s.cancelled
      ? 'cancelled'
      : u < s.cancelled + s.returned
        ? 'returned'
        : u < s.cancelled + s.returned + s.refunded
          ? 'refunded'
          : 'completed';
  return {
    orderedAt,
    amount: roundCents(gross - discount),
    status,
    currency: CURRENCY,
    channel: pickWeighted(rng, persona.channels),
    discountAmount: roundCents(discount),
    items,
    category: category ?? pickWeighted(rng, persona.categories),
    brand: rng.pick(BRANDS[tier]),
  };
}

export function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}
