import { anyNumber, currencyOfPrice, numberText } from './sql.js';
import type { Preset } from './types.js';

/**
 * The key PrestaShop's order list gives a customer: the initial of the first name, a point and the last name
 * (`J. DUPONT`), normalised (case, accents, spaces) so that the customers export gives the same key.
 */
function nameKey(name: string): string {
  return `'prestashop:' || left(sha256(lower(strip_accents(regexp_replace(trim(${name}), '\\s+', ' ', 'g')))), 16)`;
}

const state = `lower(strip_accents({État|Etat|Status|Statut}))`;

/**
 * PrestaShop's back-office exports (Orders → Export, Customers → Export): `;`-separated, French labels in a
 * French shop, prices as displayed (`61,80 €`), dates as displayed (`15/01/2025 10:23:45`). The order list
 * names the customer only as `J. DUPONT`: that is the customer key in both tables (two customers with the same
 * initial and last name are one customer).
 */
export const PRESTASHOP: Preset = {
  name: 'prestashop',
  source: 'https://doc.prestashop.com/display/PS16/Managing+Orders (Orders → Export), https://doc.prestashop.com/display/PS16/Managing+Customers (Customers → Export)',
  tables: {
    orders: {
      files: [],
      columns: {
        order_id: '{ID}',
        customer_id: nameKey('{Client|Customer}'),
        ordered_at: '{Date}',
        amount: numberText(anyNumber('{Total}'), '{Total}'),
        // Cancelled, failed or still awaiting payment (cheque, wire, cash on delivery): not a purchase (yet).
        status: `CASE WHEN ${state} SIMILAR TO '.*(annul|cancel|erreur|error|non paye|not paid).*' THEN 'cancelled'
          WHEN ${state} SIMILAR TO '.*(attente|awaiting).*' AND NOT ${state} SIMILAR TO '.*(reapprovisionnement|backorder).*' THEN 'cancelled'
          WHEN ${state} SIMILAR TO '.*(rembours|refund).*' THEN 'refunded'
          WHEN ${state} SIMILAR TO '.*(retour|return).*' THEN 'returned' ELSE 'completed' END`,
        currency: currencyOfPrice('{Total}'),
        channel: `'web'`,
      },
    },
    customers: {
      files: [],
      columns: {
        customer_id: nameKey(`left(trim({Prénom|Prenom|First name}), 1) || '. ' || trim({Nom|Last name})`),
        created_at: '{Inscription|Registration}',
        email: '{E-mail|Email}',
        first_name: '{Prénom|Prenom|First name}',
      },
    },
  },
};
