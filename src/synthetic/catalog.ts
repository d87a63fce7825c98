/**
 * Static vocabularies of the synthetic brand: a European fashion-and-lifestyle retailer selling in EUR.
 * Names, places and phone formats are plausible but fake (emails use the reserved example.* domains).
 */
export const CURRENCY = 'EUR';

export const CATEGORIES = [
  'apparel',
  'shoes',
  'accessories',
  'beauty',
  'home',
  'electronics',
  'sports',
  'toys',
  'books',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type BrandTier = 'premium' | 'core' | 'value';
export const BRANDS: Readonly<Record<BrandTier, readonly string[]>> = {
  premium: ['Maison Lumiere', 'Atelier Nord', 'Solenne', 'Vertige'],
  core: ['Cotonou', 'Vela', 'Kinfolk & Co', 'Brisa', 'Oakline'],
  value: ['BasicLine', 'PrixMalin', 'Everyday', 'Smart Buy'],
};

export const ACQUISITION_CHANNELS = [
  'organic_search',
  'paid_search',
  'paid_social',
  'social',
  'referral',
  'email',
  'affiliate',
  'app_store',
  'store',
  'marketplace',
] as const;
export type AcquisitionChannel = (typeof ACQUISITION_CHANNELS)[number];

export const PRICE_SENSITIVITIES = ['low', 'medium', 'high'] as const;
export const STYLES = ['classic', 'minimal', 'trendy', 'sporty', 'bohemian', 'practical'] as const;
export const SHOPPING_GOALS = [
  'treat_myself',
  'new_arrivals',
  'deals',
  'gifts',
  'essentials',
  'inspiration',
] as const;
export const PREFERRED_CHANNELS = ['email', 'sms', 'app', 'none'] as const;
export const GENDERS = ['female', 'male', 'non_binary', 'prefer_not_to_say'] as const;

export interface Region {
  readonly name: string;
  readonly cities: readonly string[];
}

export interface Country {
  readonly code: string;
  readonly weight: number;
  /** E.164 prefix of a mobile number and how many digits follow it. */
  readonly mobilePrefix: string;
  readonly mobileDigits: number;
  readonly regions: readonly Region[];
  readonly femaleNames: readonly string[];
  readonly maleNames: readonly string[];
  readonly lastNames: readonly string[];
}

export const COUNTRIES: readonly Country[] = [
  {
    code: 'FR',
    weight: 0.45,
    mobilePrefix: '+336',
    mobileDigits: 8,
    regions: [
      { name: 'Île-de-France', cities: ['Paris', 'Boulogne-Billancourt', 'Versailles', 'Saint-Denis'] },
      { name: 'Auvergne-Rhône-Alpes', cities: ['Lyon', 'Grenoble', 'Saint-Étienne', 'Annecy'] },
      { name: "Provence-Alpes-Côte d'Azur", cities: ['Marseille', 'Nice', 'Toulon', 'Aix-en-Provence'] },
      { name: 'Occitanie', cities: ['Toulouse', 'Montpellier', 'Nîmes'] },
      { name: 'Nouvelle-Aquitaine', cities: ['Bordeaux', 'Limoges', 'La Rochelle'] },
      { name: 'Hauts-de-France', cities: ['Lille', 'Amiens', 'Roubaix'] },
      { name: 'Grand Est', cities: ['Strasbourg', 'Reims', 'Metz', 'Nancy'] },
      { name: 'Pays de la Loire', cities: ['Nantes', 'Angers', 'Le Mans'] },
      { name: 'Bretagne', cities: ['Rennes', 'Brest', 'Quimper'] },
    ],
    femaleNames: [
      'Camille',
      'Léa',
      'Manon',
      'Chloé',
      'Inès',
      'Sarah',
      'Julie',
      'Emma',
      'Claire',
      'Anaïs',
      'Élodie',
      'Margaux',
    ],
    maleNames: [
      'Lucas',
      'Hugo',
      'Thomas',
      'Nicolas',
      'Julien',
      'Maxime',
      'Antoine',
      'Louis',
      'Théo',
      'Mathieu',
      'Rémi',
      'Paul',
    ],
    lastNames: [
      'martin',
      'bernard',
      'dubois',
      'thomas',
      'robert',
      'richard',
      'petit',
      'durand',
      'leroy',
      'moreau',
      'simon',
      'laurent',
      'lefebvre',
      'michel',
      'garcia',
      'roux',
    ],
  },
  {
    code: 'DE',
    weight: 0.15,
    mobilePrefix: '+4915',
    mobileDigits: 9,
    regions: [
      { name: 'Bayern', cities: ['München', 'Nürnberg', 'Augsburg'] },
      { name: 'Berlin', cities: ['Berlin'] },
      { name: 'Hamburg', cities: ['Hamburg'] },
      { name: 'Nordrhein-Westfalen', cities: ['Köln', 'Düsseldorf', 'Dortmund', 'Essen'] },
      { name: 'Hessen', cities: ['Frankfurt am Main', 'Wiesbaden'] },
      { name: 'Baden-Württemberg', cities: ['Stuttgart', 'Freiburg', 'Heidelberg'] },
    ],
    femaleNames: [
      'Anna',
      'Lena',
      'Laura',
      'Julia',
      'Sophie',
      'Hannah',
      'Katharina',
      'Lisa',
      'Marie',
      'Johanna',
    ],
    maleNames: [
      'Lukas',
      'Jonas',
      'Felix',
      'Leon',
      'Maximilian',
      'Paul',
      'Tobias',
      'Jan',
      'Florian',
      'Moritz',
    ],
    lastNames: [
      'mueller',
      'schmidt',
      'schneider',
      'fischer',
      'weber',
      'meyer',
      'wagner',
      'becker',
      'schulz',
      'hoffmann',
      'koch',
      'richter',
    ],
  },
  {
    code: 'ES',
    weight: 0.12,
    mobilePrefix: '+346',
    mobileDigits: 8,
    regions: [
      { name: 'Comunidad de Madrid', cities: ['Madrid', 'Alcalá de Henares', 'Getafe'] },
      { name: 'Cataluña', cities: ['Barcelona', 'Girona', 'Tarragona'] },
      { name: 'Andalucía', cities: ['Sevilla', 'Málaga', 'Granada', 'Córdoba'] },
      { name: 'Comunidad Valenciana', cities: ['Valencia', 'Alicante'] },
      { name: 'País Vasco', cities: ['Bilbao', 'San Sebastián'] },
    ],
    femaleNames: ['Lucía', 'María', 'Paula', 'Carmen', 'Sofía', 'Marta', 'Elena', 'Laura', 'Alba', 'Irene'],
    maleNames: [
      'Hugo',
      'Pablo',
      'Alejandro',
      'Daniel',
      'Javier',
      'Carlos',
      'Sergio',
      'Diego',
      'Adrián',
      'Álvaro',
    ],
    lastNames: [
      'garcia',
      'fernandez',
      'gonzalez',
      'rodriguez',
      'lopez',
      'martinez',
      'sanchez',
      'perez',
      'gomez',
      'ruiz',
    ],
  },
  {
    code: 'IT',
    weight: 0.1,
    mobilePrefix: '+393',
    mobileDigits: 9,
    regions: [
      { name: 'Lombardia', cities: ['Milano', 'Bergamo', 'Brescia'] },
      { name: 'Lazio', cities: ['Roma', 'Latina'] },
      { name: 'Piemonte', cities: ['Torino', 'Novara'] },
      { name: 'Campania', cities: ['Napoli', 'Salerno'] },
      { name: 'Toscana', cities: ['Firenze', 'Pisa', 'Siena'] },
    ],
    femaleNames: [
      'Giulia',
      'Sofia',
      'Aurora',
      'Alice',
      'Chiara',
      'Francesca',
      'Martina',
      'Sara',
      'Elisa',
      'Valentina',
    ],
    maleNames: [
      'Leonardo',
      'Francesco',
      'Alessandro',
      'Lorenzo',
      'Matteo',
      'Andrea',
      'Marco',
      'Luca',
      'Davide',
      'Simone',
    ],
    lastNames: [
      'rossi',
      'russo',
      'ferrari',
      'esposito',
      'bianchi',
      'romano',
      'colombo',
      'ricci',
      'marino',
      'greco',
    ],
  },
  {
    code: 'BE',
    weight: 0.1,
    mobilePrefix: '+324',
    mobileDigits: 8,
    regions: [
      { name: 'Bruxelles-Capitale', cities: ['Bruxelles', 'Ixelles', 'Schaerbeek'] },
      { name: 'Vlaanderen', cities: ['Antwerpen', 'Gent', 'Brugge', 'Leuven'] },
      { name: 'Wallonie', cities: ['Liège', 'Namur', 'Charleroi', 'Mons'] },
    ],
    femaleNames: [
      'Emma',
      'Louise',
      'Olivia',
      'Elise',
      'Marie',
      'Lotte',
      'Charlotte',
      'Noor',
      'Juliette',
      'Lina',
    ],
    maleNames: ['Noah', 'Arthur', 'Louis', 'Jules', 'Lucas', 'Victor', 'Adam', 'Mathis', 'Wout', 'Thibault'],
    lastNames: [
      'peeters',
      'janssens',
      'maes',
      'jacobs',
      'mertens',
      'willems',
      'claes',
      'goossens',
      'dubois',
      'lambert',
    ],
  },
  {
    code: 'NL',
    weight: 0.08,
    mobilePrefix: '+316',
    mobileDigits: 8,
    regions: [
      { name: 'Noord-Holland', cities: ['Amsterdam', 'Haarlem', 'Zaandam'] },
      { name: 'Zuid-Holland', cities: ['Rotterdam', 'Den Haag', 'Leiden'] },
      { name: 'Utrecht', cities: ['Utrecht', 'Amersfoort'] },
      { name: 'Noord-Brabant', cities: ['Eindhoven', 'Tilburg', 'Breda'] },
    ],
    femaleNames: ['Sanne', 'Lotte', 'Fleur', 'Anouk', 'Eva', 'Sophie', 'Lisa', 'Iris', 'Femke', 'Roos'],
    maleNames: ['Daan', 'Sem', 'Bram', 'Lars', 'Thijs', 'Jesse', 'Ruben', 'Stijn', 'Milan', 'Tim'],
    lastNames: ['devries', 'jansen', 'vandijk', 'bakker', 'visser', 'smit', 'meijer', 'mulder', 'bos', 'vos'],
  },
];

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
