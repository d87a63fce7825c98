/** Who a synthetic customer is: fake but plausible PII, geography, acquisition and main device. */
import type { Rng } from '../core/rng.js';
import { COUNTRIES, EMAIL_DOMAINS } from './catalog.js';
import type { PersonaSpec } from './personas.js';
import { pickWeighted, randomDigits } from './sampling.js';

export interface Identity {
  readonly email: string;
  readonly phone: string;
  readonly firstName: string;
  readonly country: string;
  readonly region: string;
  readonly city: string;
  readonly acquisitionChannel: string;
  readonly device: string;
  readonly gender: 'female' | 'male';
}

const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);

export function drawIdentity(rng: Rng, persona: PersonaSpec): Identity {
  const country = COUNTRIES[rng.weightedIndex(COUNTRY_WEIGHTS)] as (typeof COUNTRIES)[number];
  const region = rng.pick(country.regions);
  const city = rng.pick(region.cities);
  const female = rng.bernoulli(persona.declared.gender.female ?? 0.5);
  const firstName = rng.pick(female ? country.femaleNames : country.maleNames);
  const lastName = rng.pick(country.lastNames);
  const separator = rng.pick(['.', '_', '', '.']);
  const suffix = rng.bernoulli(0.55) ? String(rng.int(100)) : '';
  const email = `${asciiLocalPart(firstName)}${separator}${lastName}${suffix}@${rng.pick(EMAIL_DOMAINS)}`;
  return {
    email,
    phone: `${country.mobilePrefix}${randomDigits(rng, country.mobileDigits)}`,
    firstName,
    country: country.code,
    region: region.name,
    city,
    acquisitionChannel: pickWeighted(rng, persona.acquisition),
    device: pickWeighted(rng, persona.devices),
    gender: female ? 'female' : 'male',
  };
}

/** "Élodie" → "elodie": email local parts stay ASCII. */
function asciiLocalPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
