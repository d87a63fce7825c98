import type { CampaignSettings } from './settings.js';

/** The attribution rule in words, as run.json and the report state it. */
export function attributionRule(settings: Pick<CampaignSettings, 'attribution'>, lang: 'en' | 'fr'): string {
  const { window_days: days, touches } = settings.attribution;
  const clickOpen = touches.includes('open');
  if (lang === 'fr')
    return `une commande est attribuée à l'envoi dont ${clickOpen ? "le dernier clic ou la dernière ouverture" : 'le dernier clic'} l'a précédée de ${days} jours au plus (dernier contact gagnant, une commande pour un envoi au plus)`;
  return `an order is credited to the send whose last ${clickOpen ? 'click or open' : 'click'} came at most ${days} days before it (last touch wins; one order is credited to one send at most)`;
}
