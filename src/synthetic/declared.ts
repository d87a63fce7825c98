/**
 * Zero-party data: the answers a customer gives to the brand's preference survey shortly after signup,
 * and for some a second survey months later where price sensitivity and goal may have changed.
 */
import type { Rng } from '../core/rng.js';
import { MS_PER_DAY } from '../core/time.js';
import type { Identity } from './identity.js';
import type { PersonaSpec } from './personas.js';
import { clamp, pickWeighted } from './sampling.js';

export interface Answer {
  readonly answeredAt: number;
  readonly question: string;
  readonly answer: string;
}

export function drawAnswers(
  rng: Rng,
  persona: PersonaSpec,
  identity: Identity,
  createdMs: number,
  stopMs: number,
  endYear: number,
): Answer[] {
  const d = persona.declared;
  if (!rng.bernoulli(d.answerProbability)) return [];
  const firstAt = createdMs + rng.exponential(1 / 10) * MS_PER_DAY;
  if (firstAt >= stopMs) return [];
  const answers: Answer[] = [];
  let t = Math.floor(firstAt);
  const ask = (question: string, probability: number, answer: () => string): void => {
    if (!rng.bernoulli(probability)) return;
    t += 1000 * (5 + rng.int(40));
    answers.push({ answeredAt: t, question, answer: answer() });
  };
  ask('interests', 0.9, () => drawInterests(rng, persona));
  ask('price_sensitivity', 0.85, () => pickWeighted(rng, d.priceSensitivity));
  ask('style', 0.8, () => pickWeighted(rng, d.style));
  ask('shopping_goal', 0.85, () => pickWeighted(rng, d.goal));
  ask('preferred_channel', 0.75, () => pickWeighted(rng, d.preferredChannel));
  ask('birth_year', 0.7, () => String(Math.round(endYear - clamp(rng.normal(d.age.mean, d.age.sd), 18, 90))));
  ask('gender', 0.6, () => declaredGender(rng, persona, identity));
  const secondAt = firstAt + rng.uniform(120, 400) * MS_PER_DAY;
  if (answers.length > 0 && secondAt < stopMs && rng.bernoulli(0.2)) {
    t = Math.floor(secondAt);
    ask('price_sensitivity', 0.9, () => pickWeighted(rng, d.priceSensitivity));
    ask('shopping_goal', 0.9, () => pickWeighted(rng, d.goal));
  }
  return answers;
}

/** One to three distinct categories, separated by "|", drawn from the persona's category mix. */
function drawInterests(rng: Rng, persona: PersonaSpec): string {
  const count = 1 + rng.int(3);
  const chosen = new Set<string>();
  for (let i = 0; i < count * 3 && chosen.size < count; i++)
    chosen.add(pickWeighted(rng, persona.categories));
  return [...chosen].join('|');
}

/** Mostly consistent with the first name's gender; a few choose another answer. */
function declaredGender(rng: Rng, persona: PersonaSpec, identity: Identity): string {
  const w = persona.declared.gender;
  if (rng.bernoulli((w.non_binary ?? 0) + (w.prefer_not_to_say ?? 0))) {
    return rng.bernoulli(0.5) ? 'non_binary' : 'prefer_not_to_say';
  }
  return identity.gender;
}
