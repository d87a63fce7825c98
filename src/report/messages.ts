import type { Lang } from '../personas/types.js';

/** Every string of the report's interface, in each language. Prose about personas lives with the personas. */
const MESSAGES = {
  title: { en: 'Customer personas', fr: 'Personas clients' },
  subtitle: {
    en: 'Built from consented zero- and first-party data',
    fr: 'Construits à partir de données déclarées et comportementales consenties',
  },
  subtitleLegitimate: {
    en: 'Built from first-party data processed under legitimate interest',
    fr: 'Construits à partir de données propres traitées au titre de l’intérêt légitime',
  },
  subtitleOrdersOnly: {
    en: 'Built from order history only (no customer, event, declared or consent data), processed under legitimate interest',
    fr: 'Construits à partir du seul historique de commandes (ni fiches clients, ni événements, ni déclarations, ni consentements), traité au titre de l’intérêt légitime',
  },
  subtitleConsented: {
    en: 'Built from the {data} of customers who consented to profiling',
    fr: 'Construits à partir des {data} des clients ayant consenti au profilage',
  },
  subtitleLegitimateWith: {
    en: 'Built from {data}, processed under legitimate interest',
    fr: 'Construits à partir des {data}, traités au titre de l’intérêt légitime',
  },
  subtitleLegitimateWithout: {
    en: 'Built from {data}, processed under legitimate interest (no consent records)',
    fr: 'Construits à partir des {data}, traités au titre de l’intérêt légitime (sans consentements)',
  },
  dataOrders: { en: 'orders', fr: 'commandes' },
  dataCustomers: { en: 'customer records', fr: 'fiches clients' },
  dataEvents: { en: 'site and messaging events', fr: 'événements site et messages' },
  dataDeclared: { en: 'declared answers', fr: 'réponses déclarées' },
  and: { en: ' and ', fr: ' et ' },
  asOf: { en: 'Data as of', fr: 'Données au' },
  run: { en: 'Run', fr: 'Exécution' },
  customers: { en: 'customers', fr: 'clients' },
  consentBasis: { en: 'Lawful basis for profiling', fr: 'Base légale du profilage' },
  basisConsent: {
    en: 'consent (customers who granted profiling consent only)',
    fr: 'consentement (uniquement les clients ayant consenti au profilage)',
  },
  basisLegitimate: {
    en: 'legitimate interest (declared in the configuration)',
    fr: 'intérêt légitime (déclaré dans la configuration)',
  },
  featureFamilies: { en: 'Feature families', fr: 'Familles de variables' },
  glance: { en: 'At a glance', fr: 'En un coup d’œil' },
  persona: { en: 'Persona', fr: 'Persona' },
  size: { en: 'Customers', fr: 'Clients' },
  shareCustomers: { en: 'Share of customers', fr: 'Part des clients' },
  shareRevenue: { en: 'Share of revenue', fr: 'Part du CA' },
  aov: { en: 'Average order value', fr: 'Panier moyen' },
  clv: { en: 'Predicted CLV', fr: 'Valeur vie prédite' },
  nextPurchase: { en: 'Median days to next purchase', fr: 'Jours médians avant le prochain achat' },
  expectedBuyers30: { en: 'Expected buyers in 30 days', fr: 'Acheteurs attendus sous 30 jours' },
  reachUnknown: {
    en: 'not known: the data holds no consent records (add a consent table to see who can be reached by email or SMS)',
    fr: 'inconnue : les données ne contiennent aucun consentement (ajouter une table de consentements pour savoir qui est joignable par e-mail ou SMS)',
  },
  definitions: { en: 'What the figures mean', fr: 'Ce que signifient les chiffres' },
  pAlive: { en: 'Mean P(alive)', fr: 'P(actif) moyenne' },
  emailConsent: { en: 'Email consent', fr: 'Consentement e-mail' },
  smsConsent: { en: 'SMS consent', fr: 'Consentement SMS' },
  reachable: { en: 'Reachable (email or SMS)', fr: 'Joignables (e-mail ou SMS)' },
  emailEngagement: { en: 'Email engagement', fr: 'Engagement e-mail' },
  smsEngagement: { en: 'SMS engagement', fr: 'Engagement SMS' },
  preferredChannel: { en: 'Declared preferred channel', fr: 'Canal préféré déclaré' },
  bestChannel: { en: 'Best channel', fr: 'Meilleur canal' },
  firstAction: { en: 'First action', fr: 'Première action' },
  charts: { en: 'Charts', fr: 'Graphiques' },
  personasSection: { en: 'The personas', fr: 'Les personas' },
  traits: { en: 'Distinguishing traits', fr: 'Traits distinctifs' },
  trait: { en: 'Trait', fr: 'Trait' },
  thisPersona: { en: 'This persona', fr: 'Ce persona' },
  everyone: { en: 'All customers', fr: 'Tous les clients' },
  effect: { en: 'Effect', fr: 'Effet' },
  adjustedP: { en: 'Adjusted p', fr: 'p ajusté' },
  source: { en: 'Source', fr: 'Source' },
  declaredSource: { en: 'declared', fr: 'déclaré' },
  observedSource: { en: 'observed', fr: 'observé' },
  noTraits: {
    en: 'No trait is both significant and at least a small effect.',
    fr: 'Aucun trait n’est à la fois significatif et d’effet au moins faible.',
  },
  declaredVsObserved: { en: 'Declared vs observed', fr: 'Déclaré et observé' },
  agreement: { en: 'agreement', fr: 'accord' },
  contradiction: { en: 'contradiction', fr: 'contradiction' },
  neutral: { en: 'one-sided', fr: 'unilatéral' },
  noDeclared: {
    en: 'No notable declared-vs-observed comparison.',
    fr: 'Aucune comparaison déclaré/observé notable.',
  },
  reachability: { en: 'Reachability', fr: 'Joignabilité' },
  audiences: { en: 'Audience lists (consent-filtered exports)', fr: 'Listes d’audience (exports filtrés par consentement)' },
  audienceLine: {
    en: '{channel}: {included} customers in {file} (of {candidates}; {why})',
    fr: '{channel}\u00a0: {included} clients dans {file} (sur {candidates}\u00a0; {why})',
  },
  audienceAll: { en: 'none left out', fr: 'aucun écarté' },
  audienceNoConsent: { en: '{n} without {channel} consent', fr: '{n} sans consentement {channel}' },
  audienceNoAddress: { en: '{n} without a usable address', fr: '{n} sans adresse utilisable' },
  audienceSuppressed: {
    en: '{n} whose address is also held by a customer who was erased or withdrew',
    fr: '{n} dont l’adresse est aussi celle d’un client effacé ou qui a retiré son consentement',
  },
  audienceErased: { en: '{n} erased', fr: '{n} effacés' },
  audienceNoConsentData: {
    en: 'the data holds no consent records or addresses, so no one can be exported',
    fr: 'les données ne contiennent ni consentements ni adresses : personne ne peut être exporté',
  },
  fewerThan: { en: 'fewer than {n}', fr: 'moins de {n}' },
  actions: { en: 'Recommended actions', fr: 'Actions recommandées' },
  why: { en: 'why', fr: 'pourquoi' },
  noActions: { en: 'No playbook rule fired.', fr: 'Aucune règle du guide ne s’applique.' },
  lifecycle: { en: 'Lifecycle mix', fr: 'Cycle de vie' },
  value: { en: 'Value', fr: 'Valeur' },
  timing: { en: 'Timing', fr: 'Calendrier' },
  tracking: { en: 'Since the last run', fr: 'Depuis la dernière exécution' },
  newPersona: {
    en: 'New persona (not in the previous run).',
    fr: 'Nouveau persona (absent de l’exécution précédente).',
  },
  sizeChange: { en: 'Size change', fr: 'Évolution de taille' },
  retained: { en: 'Customers who stayed', fr: 'Clients restés' },
  cameFrom: { en: 'Came from', fr: 'Venus de' },
  leftTo: { en: 'Left to', fr: 'Partis vers' },
  traitChanges: { en: 'Traits that moved', fr: 'Traits qui ont bougé' },
  previousRun: { en: 'Previous run', fr: 'Exécution précédente' },
  retired: {
    en: 'Personas retired since the last run',
    fr: 'Personas disparus depuis la dernière exécution',
  },
  absorbed: {
    en: 'Includes these personas, too small to show on their own',
    fr: 'Inclut ces personas, trop petits pour être montrés seuls',
  },
  smallPersonas: { en: 'Small personas', fr: 'Petits personas' },
  smallMerged: {
    en: 'had {size} customers (fewer than {min}) and was merged into {into}.',
    fr: 'comptait {size} clients (moins de {min}) et a été fusionné avec {into}.',
  },
  smallSuppressed: {
    en: 'had {size} customers (fewer than {min}) and is not shown, to protect privacy.',
    fr: 'comptait {size} clients (moins de {min}) et n’est pas montré, pour protéger la vie privée.',
  },
  suggestions: { en: 'Suggestions for the next retrain', fr: 'Suggestions pour le prochain réentraînement' },
  suggestMerge: { en: 'Merge', fr: 'Fusionner' },
  suggestSplit: { en: 'Split', fr: 'Scinder' },
  noSuggestions: {
    en: 'None: the personas are distinct and homogeneous enough.',
    fr: 'Aucune : les personas sont assez distincts et homogènes.',
  },
  noSuggestionsButCampaigns: {
    en: 'None from the clustering: the personas are distinct and homogeneous enough on its variables. Campaign results do suggest changes: see “{section}”.',
    fr: 'Aucune venant du clustering : les personas sont assez distincts et homogènes sur ses variables. Les résultats de campagne suggèrent en revanche des ajustements : voir « {section} ».',
  },
  warnings: { en: 'Warnings', fr: 'Avertissements' },
  warningsUntranslated: { en: 'Warnings', fr: 'Avertissements techniques, tels que le moteur les écrit (en anglais)' },
  trustTitle: { en: 'How far to trust the predictions', fr: 'Quelle confiance accorder aux prédictions' },
  trustWindow: {
    en: 'Checked on a test the models were not chosen on: predictions made as of {cutoff} for the {days} days after, against what customers then did.',
    fr: 'Vérifié sur un test qui n’a pas servi à choisir les modèles : prédictions faites au {cutoff} pour les {days} jours suivants, comparées à ce que les clients ont ensuite fait.',
  },
  trustSample: {
    en: 'The figures below were measured on a random sample of {n} of the {of} customers who have bought: estimates, close to what all of them would give. Every customer is still predicted.',
    fr: 'Les chiffres ci-dessous ont été mesurés sur un échantillon aléatoire de {n} des {of} clients ayant acheté : des estimations, proches de ce que donneraient tous les clients. Chaque client reçoit toujours ses prédictions.',
  },
  trustHorizon: {
    en: 'Buying within {h} days ({model}): a buyer was ranked above a non-buyer {auc} times in 100 (AUC {aucValue}, {grade}); we predicted {predicted} would buy, {observed} did.',
    fr: 'Achat sous {h} jours ({model}) : un acheteur était classé devant un non-acheteur {auc} fois sur 100 (AUC {aucValue}, {grade}) ; nous prévoyions {predicted} d’acheteurs, il y en a eu {observed}.',
  },
  trustExample: {
    en: 'Of the {n} customers we gave about {predicted}, {observed} bought.',
    fr: 'Sur les {n} clients à qui nous donnions environ {predicted}, {observed} ont acheté.',
  },
  trustSeasonal: {
    en: 'Same season a year earlier ({cutoff} to {end}): {predicted} predicted to buy within {h} days, {observed} did.',
    fr: 'Même saison un an plus tôt (du {cutoff} au {end}) : {predicted} d’acheteurs prévus sous {h} jours, {observed} constatés.',
  },
  trustNoSeason: {
    en: 'The history is too short to check the same season a year earlier.',
    fr: 'L’historique est trop court pour vérifier la même saison un an plus tôt.',
  },
  trustLifetime: {
    en: 'Chance of still being a customer and lifetime value: {model}.',
    fr: 'Probabilité d’être encore client et valeur vie client : {model}.',
  },
  trustSkipped: {
    en: 'Not usable on this data (see the warnings): {models}.',
    fr: 'Inutilisables sur ces données (voir les avertissements) : {models}.',
  },
  gradeGood: { en: 'good', fr: 'bon' },
  gradeFair: { en: 'fair', fr: 'correct' },
  gradeWeak: { en: 'weak', fr: 'faible' },
  gradePoor: { en: 'poor', fr: 'médiocre' },
  modelNeural: { en: 'neural model', fr: 'modèle neuronal' },
  modelRecencyBaseline: {
    en: 'recency baseline: what customers of the same recency did',
    fr: 'référence de récence : ce qu’ont fait les clients de même récence',
  },
  drift: {
    en: 'Drift since the promoted models (population stability index)',
    fr: 'Dérive depuis les modèles en service (indice de stabilité de la population)',
  },
  driftModerate: { en: 'moderate shift', fr: 'changement modéré' },
  driftMajor: { en: 'major shift', fr: 'changement majeur' },
  driftNone: {
    en: 'No feature moved (every PSI below 0.1).',
    fr: 'Aucune variable n’a bougé (tous les PSI sous 0,1).',
  },
  method: { en: 'Method', fr: 'Méthode' },
  methodTraits: {
    en: 'Each feature is compared with all customers: numeric features by Cohen’s d (difference of means over the population standard deviation), categories and flags by Cohen’s h on shares. Significance: Welch’s t test or a two-proportion z test of the persona against the other customers, p-values adjusted with {correction} over all {tests} tests at {alpha}. Distinguishing traits are significant with |effect| ≥ {minEffect}, strongest first.',
    fr: 'Chaque variable est comparée à l’ensemble des clients : les variables numériques par le d de Cohen (écart des moyennes rapporté à l’écart-type de la population), les catégories et indicateurs par le h de Cohen sur les parts. Significativité : test t de Welch ou test z de deux proportions du persona contre les autres clients, p-values ajustées par {correction} sur l’ensemble des {tests} tests au seuil {alpha}. Les traits distinctifs sont significatifs avec |effet| ≥ {minEffect}, du plus fort au plus faible.',
  },
  bh: { en: 'Benjamini–Hochberg', fr: 'Benjamini–Hochberg' },
  holm: { en: 'Holm', fr: 'Holm' },
  methodK: { en: 'Number of personas: {rule} (k = {k}).', fr: 'Nombre de personas : {rule} (k = {k}).' },
  kFixed: { en: 'k fixed at {k} by the configuration', fr: 'k fixé à {k} par la configuration' },
  kGates: {
    en: 'every persona has at least {minRows} customers',
    fr: 'chaque persona compte au moins {minRows} clients',
  },
  kStableGate: {
    en: ' and is found again in {boot} bootstrap resamples (mean Jaccard ≥ {threshold})',
    fr: ' et se retrouve dans {boot} rééchantillonnages bootstrap (Jaccard moyen ≥ {threshold})',
  },
  kGap: {
    en: 'gap statistic (smallest k with Gap(k) ≥ Gap(k+1) − s(k+1)) among the k from {kMin} to {kMax} where {gates}',
    fr: 'statistique de gap (plus petit k avec Gap(k) ≥ Gap(k+1) − s(k+1)) parmi les k de {kMin} à {kMax} où {gates}',
  },
  kGapBelow: {
    en: 'the gap statistic points to k = {gapK}; the largest k below it where {gates} is {k}',
    fr: 'la statistique de gap indique k = {gapK} ; le plus grand k inférieur où {gates} est {k}',
  },
  kGapAbove: {
    en: 'the gap statistic points to k = {gapK}, but only from k = {k} on {gates}',
    fr: 'la statistique de gap indique k = {gapK}, mais {gates} seulement à partir de k = {k}',
  },
  kCriterion: {
    en: 'best {criterion} among the k from {kMin} to {kMax} where {gates}',
    fr: 'meilleur {criterion} parmi les k de {kMin} à {kMax} où {gates}',
  },
  kNoAdmissible: {
    en: 'no k from {kMin} to {kMax} gives every persona at least {minRows} customers; k = {k} has the largest smallest persona ({smallest} customers)',
    fr: 'aucun k de {kMin} à {kMax} ne donne au moins {minRows} clients à chaque persona ; k = {k} a le plus grand des plus petits personas ({smallest} clients)',
  },
  kNoStable: {
    en: 'no k from {kMin} to {kMax} has every persona found again in {boot} bootstrap resamples (mean Jaccard ≥ {threshold}); k = {k} has the most stable least stable persona (mean Jaccard {stability})',
    fr: 'aucun k de {kMin} à {kMax} ne retrouve chaque persona dans {boot} rééchantillonnages bootstrap (Jaccard moyen ≥ {threshold}) ; k = {k} a le persona le moins stable le plus stable (Jaccard moyen {stability})',
  },
  criterionSilhouette: { en: 'silhouette', fr: 'silhouette' },
  criterionCalinskiHarabasz: { en: 'Calinski–Harabasz index', fr: 'indice de Calinski–Harabasz' },
  criterionDaviesBouldin: { en: 'Davies–Bouldin index', fr: 'indice de Davies–Bouldin' },
  methodMinSize: {
    en: 'Personas with fewer than {min} customers are {policy}.',
    fr: 'Les personas de moins de {min} clients sont {policy}.',
  },
  policyMerge: { en: 'merged into the nearest persona', fr: 'fusionnés avec le persona le plus proche' },
  policySuppress: { en: 'suppressed', fr: 'supprimés' },
  playbook: { en: 'Playbook rules', fr: 'Règles du guide d’actions' },
  rule: { en: 'Rule', fr: 'Règle' },
  condition: { en: 'Fires when', fr: 'Se déclenche si' },
  skippedRules: { en: 'Rules not evaluated for lack of data', fr: 'Règles non évaluées faute de données' },
  glossary: { en: 'Features', fr: 'Variables' },
  feature: { en: 'Feature', fr: 'Variable' },
  description: { en: 'Description', fr: 'Description' },
  firstParty: { en: 'observed (first-party)', fr: 'observée (first-party)' },
  zeroParty: { en: 'declared (zero-party)', fr: 'déclarée (zero-party)' },
  privacy: {
    en: 'No personal data (names, emails, phone numbers, cities) is used in this report; every figure describes at least {min} customers.',
    fr: 'Aucune donnée personnelle (noms, e-mails, téléphones, villes) n’est utilisée dans ce rapport ; chaque chiffre décrit au moins {min} clients.',
  },
  noscript: {
    en: 'The charts need JavaScript; the Markdown report has them as images.',
    fr: 'Les graphiques nécessitent JavaScript ; le rapport Markdown les contient en images.',
  },
  // charts
  chartSizes: {
    en: 'Persona sizes: share of customers and of revenue',
    fr: 'Taille des personas : part des clients et du chiffre d’affaires',
  },
  chartTraits: {
    en: 'Distinguishing traits (effect size against all customers)',
    fr: 'Traits distinctifs (taille d’effet par rapport à l’ensemble)',
  },
  chartPca: {
    en: 'Map of customers (first two principal components)',
    fr: 'Carte des clients (deux premières composantes principales)',
  },
  chartPcaHow: {
    en: 'Each dot is a customer (a sample); customers who are alike sit close together. Each axis is a direction along which customers differ most, named by the features that weigh most in it.',
    fr: 'Chaque point est un client (échantillon) ; les clients semblables sont proches. Chaque axe est une direction selon laquelle les clients diffèrent le plus, nommée d’après les variables qui y pèsent le plus.',
  },
  mapAxis: {
    en: '→ {words} ({share} of the differences)',
    fr: '→ {words} ({share} des écarts)',
  },
  mapAxis1: { en: 'first direction of difference ({share} of the differences)', fr: 'première direction d’écart ({share} des écarts)' },
  mapAxis2: { en: 'second direction of difference ({share} of the differences)', fr: 'deuxième direction d’écart ({share} des écarts)' },
  mapMore: { en: 'more {name}', fr: 'plus de {name}' },
  mapLess: { en: 'less {name}', fr: 'moins de {name}' },
  chartRfm: {
    en: 'Recency, frequency and monetary value (10th–90th percentile, quartiles, median)',
    fr: 'Récence, fréquence et valeur (10e–90e centile, quartiles, médiane)',
  },
  chartBuy30: {
    en: 'Expected buyers within 30 days (share of the persona: mean predicted probability)',
    fr: 'Acheteurs attendus sous 30 jours (part du persona : probabilité prédite moyenne)',
  },
  expectedShare30: { en: 'Expected share buying in 30 days', fr: 'Part attendue d’acheteurs sous 30 jours' },
  chartLifecycle: { en: 'Lifecycle mix per persona', fr: 'Cycle de vie par persona' },
  chartMigration: {
    en: 'Migration between personas: previous run (rows) → this run (columns), customers',
    fr: 'Migrations entre personas : exécution précédente (lignes) → cette exécution (colonnes), clients',
  },
  chartLifecycleTransitions: {
    en: 'Lifecycle transitions: previous run (rows) → this run (columns), customers',
    fr: 'Transitions de cycle de vie : exécution précédente (lignes) → cette exécution (colonnes), clients',
  },
  chartK: { en: 'How the number of personas was chosen', fr: 'Choix du nombre de personas' },
  metric: { en: 'Measure', fr: 'Mesure' },
  share: { en: 'Share', fr: 'Part' },
  count: { en: 'Count', fr: 'Effectif' },
  revenue: { en: 'revenue', fr: 'chiffre d’affaires' },
  population: { en: 'all customers', fr: 'tous les clients' },
  before: { en: 'Previous run', fr: 'Exécution précédente' },
  after: { en: 'This run', fr: 'Cette exécution' },
  segment: { en: 'Segment', fr: 'Segment' },
  median: { en: 'Median', fr: 'Médiane' },
  quartiles: { en: 'Quartiles', fr: 'Quartiles' },
  range: { en: '10th–90th percentile', fr: '10e–90e centile' },

  k: { en: 'Number of clusters k', fr: 'Nombre de groupes k' },
  score: { en: 'Score', fr: 'Score' },
  silhouette: { en: 'silhouette', fr: 'silhouette' },
  gapStatistic: { en: 'gap statistic', fr: 'statistique de gap' },
  stabilityScore: { en: 'stability (least stable persona)', fr: 'stabilité (persona la moins stable)' },
  kScore: { en: 'score', fr: 'indicateur' },
  kValue: { en: 'value', fr: 'valeur' },
  chosen: { en: 'chosen', fr: 'retenu' },
  yes: { en: 'yes', fr: 'oui' },
  no: { en: 'no', fr: 'non' },
} as const;

export type MessageKey = keyof typeof MESSAGES;

const FAMILIES: Readonly<Record<string, { en: string; fr: string }>> = {
  value: { en: 'value and RFM', fr: 'valeur et RFM' },
  timing: { en: 'purchase timing', fr: 'rythme d’achat' },
  mix: { en: 'category, brand and channel mix', fr: 'répartition catégories, marques et canaux' },
  engagement: { en: 'engagement', fr: 'engagement' },
  declared: { en: 'declared (zero-party)', fr: 'déclaratif' },
  geography: { en: 'geography', fr: 'géographie' },
  technographic: { en: 'technographic', fr: 'technographie' },
};

export function familyLabel(family: string, lang: Lang): string {
  return FAMILIES[family]?.[lang] ?? family;
}

/** The message in the language, with {placeholders} filled in. */
export function t(
  key: MessageKey,
  lang: Lang,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export const MESSAGE_KEYS = Object.keys(MESSAGES) as MessageKey[];

/** Strings of the campaign and cross-sell section (src/report/campaign-section.ts). */
const CAMPAIGN_MESSAGES = {
  campaignsSection: { en: 'Campaign performance', fr: 'Performance des campagnes' },
  campaignsIntro: {
    en: '{sends} email and SMS sends to these customers in the {days} days up to {asOf}, {campaigns} campaigns. Rates are per delivered send, with their 95% interval in brackets; revenue per recipient is the revenue credited to a channel divided by its delivered sends (those whose attribution window has ended). Attribution: {rule}. Persona, lifecycle segment and rule segment are as of {asOf}.',
    fr: '{sends} envois d’e-mails et de SMS à ces clients dans les {days} jours jusqu’au {asOf}, {campaigns} campagnes. Les taux sont rapportés aux envois délivrés, avec leur intervalle à 95 % entre crochets ; le revenu par destinataire est le revenu attribué au canal divisé par ses envois délivrés (ceux dont la fenêtre d’attribution est close). Attribution : {rule}. Persona, segment de cycle de vie et segment à règles au {asOf}.',
  },
  campaignsMaturity: {
    en: 'Conversion and revenue per recipient count only the sends made by {cutoff}, whose {window}-day attribution window ended by {asOf}: the {recent} delivered sends after it have not had their full window and are left out of them (they count in every other rate). Intervals treat each customer’s sends as one group, since a customer who reads or buys tends to do it again.',
    fr: 'La conversion et le revenu par destinataire ne comptent que les envois faits au plus tard le {cutoff}, dont la fenêtre d’attribution de {window} jours s’est close au {asOf} : les {recent} envois délivrés après n’ont pas eu toute leur fenêtre et en sont écartés (ils comptent dans tous les autres taux). Les intervalles traitent les envois d’un même client comme un seul groupe, car un client qui lit ou achète tend à recommencer.',
  },
  campaignsNone: {
    en: 'No campaign performance: {reason}.',
    fr: 'Pas de performance de campagne : {reason}.',
  },
  campaignsEmailByPersona: { en: 'Email, by persona', fr: 'E-mail, par persona' },
  campaignsEmailByLifecycle: { en: 'Email, by lifecycle segment', fr: 'E-mail, par segment de cycle de vie' },
  campaignsSmsByPersona: { en: 'SMS, by persona', fr: 'SMS, par persona' },
  campaignsEmailByRule: { en: 'Email, by rule segment', fr: 'E-mail, par segment à règles' },
  campaignsEmailByCampaign: { en: 'Email, by campaign', fr: 'E-mail, par campagne' },
  campaignsSmsByCampaign: { en: 'SMS, by campaign', fr: 'SMS, par campagne' },
  campaignsGroup: { en: 'Group', fr: 'Groupe' },
  campaignsDelivered: { en: 'Delivered sends', fr: 'Envois délivrés' },
  campaignsDeliverability: { en: 'Deliverability', fr: 'Délivrabilité' },
  campaignsOpen: { en: 'Open rate', fr: 'Taux d’ouverture' },
  campaignsClick: { en: 'Click rate', fr: 'Taux de clic' },
  campaignsClickToOpen: { en: 'Click-to-open', fr: 'Clics / ouvertures' },
  campaignsConversion: { en: 'Conversion', fr: 'Conversion' },
  campaignsRpr: { en: 'Revenue per recipient', fr: 'Revenu par destinataire' },
  campaignsUnsubscribe: { en: 'Unsubscribes', fr: 'Désabonnements' },
  campaignsTooSmall: {
    en: 'too small to read (fewer than {min} delivered sends)',
    fr: 'trop petit pour conclure (moins de {min} envois délivrés)',
  },
  campaignsChart: {
    en: 'Email click rate per delivered send, by persona (bars: 95% interval)',
    fr: 'Taux de clic par e-mail délivré, par persona (barres : intervalle à 95 %)',
  },
  campaignsRetire: { en: 'Retire', fr: 'Retirer' },
  campaignsMerge: { en: 'Merge', fr: 'Fusionner' },
  campaignsMergeText: {
    en: '{a} and {b}: each is the other’s closest persona, and their email click rates ({clickA} and {clickB}) and conversion rates ({convA} and {convB}) do not differ significantly (5% test): one campaign plan can serve both.',
    fr: '{a} et {b} : chacune est la persona la plus proche de l’autre, et leurs taux de clic e-mail ({clickA} et {clickB}) et de conversion ({convA} et {convB}) ne diffèrent pas significativement (test à 5 %) : un même plan de campagne peut servir les deux.',
  },
  campaignsSplit: { en: 'Split', fr: 'Scinder' },
  campaignsSplitText: {
    en: '{persona}: its customers fall into two groups that are each alike on the clustering features ({customersA} and {customersB} customers), and these halves respond differently to email — click rate {clickA} and {clickB}, conversion {convA} and {convB} per delivered email; the difference is significant at 5% over all {tests} tests made (each customer’s sends counted as one group). At the next retrain, try one more persona, or send each half a campaign of its own.',
    fr: '{persona} : ses clients forment deux groupes chacun homogène sur les variables du clustering ({customersA} et {customersB} clients), et ces moitiés ne réagissent pas de la même façon aux e-mails — taux de clic {clickA} et {clickB}, conversion {convA} et {convB} par e-mail délivré ; l’écart est significatif à 5 % sur l’ensemble des {tests} tests faits (les envois d’un même client comptés comme un seul groupe). Au prochain réentraînement, essayer une persona de plus, ou envoyer à chaque moitié sa propre campagne.',
  },
  campaignsSplitApart: {
    en: 'The halves differ most in {feature} (higher in the {half}).',
    fr: 'Les moitiés diffèrent le plus par : {feature} (plus élevé dans la {half}).',
  },
  campaignsSplitFirst: { en: 'first', fr: 'première' },
  campaignsSplitSecond: { en: 'second', fr: 'seconde' },
  campaignsRetireNeverConverts: {
    en: '{group}: {delivered} delivered emails and no order credited to any of them (conversion below {high} at 95%): stop sending it these campaigns, or change what they offer it.',
    fr: '{group} : {delivered} e-mails délivrés et aucune commande attribuée (conversion inférieure à {high} à 95 %) : cessez de lui envoyer ces campagnes, ou changez ce qu’elles lui proposent.',
  },
  campaignsRetireUnreachable: {
    en: '{group}: {members} customers, of whom {recipients} were sent an email or SMS in the period ({share}): the segment cannot be reached; retire it from campaign planning or collect consent first.',
    fr: '{group} : {members} clients, dont {recipients} ont reçu un e-mail ou un SMS sur la période ({share}) : le segment est injoignable ; retirez-le des plans de campagne ou recueillez d’abord le consentement.',
  },
  campaignsSuggestions: { en: 'Refinement suggestions from campaign results', fr: 'Ajustements suggérés par les résultats de campagne' },
  campaignsNoSuggestions: {
    en: 'No two close personas respond alike, no persona’s halves respond differently, and no segment is unreachable or never converts.',
    fr: 'Aucune paire de personas proches ne réagit de la même façon, aucune persona n’a deux moitiés qui réagissent différemment, et aucun segment n’est injoignable ou sans conversion.',
  },
  crossSellSection: { en: 'Cross-sell: the next best category', fr: 'Vente croisée : la prochaine catégorie' },
  crossSellIntro: {
    en: 'For each customer, the category they have not bought yet that customers with the same purchases buy most ({method}). Backtest: learned from purchases up to {cutoff}, checked against the categories new to each customer bought in the {days} days after ({evaluated} customers): the first suggestion was bought by {hit1} (popularity: {pop1}); one of the first three by {hit3} (popularity: {pop3}).',
    fr: 'Pour chaque client, la catégorie qu’il n’a pas encore achetée et que les clients aux mêmes achats achètent le plus ({method}). Test rétrospectif : appris sur les achats jusqu’au {cutoff}, vérifié sur les catégories nouvelles pour chaque client achetées dans les {days} jours suivants ({evaluated} clients) : la première suggestion a été achetée par {hit1} (popularité : {pop1}) ; l’une des trois premières par {hit3} (popularité : {pop3}).',
  },
  crossSellNone: { en: 'No cross-sell: {reason}.', fr: 'Pas de vente croisée : {reason}.' },
  crossSellMethodItemCf: {
    en: 'item-based collaborative filtering over categories, chosen over co-purchase lift and popularity by the backtest',
    fr: 'filtrage collaboratif par catégorie, préféré au lift de co-achat et à la popularité par le test rétrospectif',
  },
  crossSellMethodLift: {
    en: 'co-purchase lift, chosen over item-based collaborative filtering and popularity by the backtest',
    fr: 'lift de co-achat, préféré au filtrage collaboratif et à la popularité par le test rétrospectif',
  },
  crossSellPersona: { en: 'Persona', fr: 'Persona' },
  crossSellTop: { en: 'Next best category (share of the persona)', fr: 'Prochaine catégorie (part de la persona)' },
  crossSellMembers: { en: 'Customers', fr: 'Clients' },
  crossSellLargest: { en: 'Largest cross-sell group (share of the persona)', fr: 'Plus grand groupe de vente croisée (part de la persona)' },
  crossSellPhrase: { en: 'bought {bought}, not yet {next}: {share}', fr: 'a acheté {bought}, pas encore {next} : {share}' },
  crossSellExcluded: {
    en: 'Never suggested, as a family that says nothing to sell: {categories} (still counted as purchases).',
    fr: 'Jamais suggérée, car elle ne dit rien de ce qu’il faut vendre : {categories} (comptée tout de même comme achat).',
  },
  crossSellBought: { en: 'Most bought already', fr: 'Déjà la plus achetée' },
  crossSellChart: {
    en: 'Cross-sell backtest: share of customers who bought a suggested new category',
    fr: 'Test rétrospectif : part des clients ayant acheté une nouvelle catégorie suggérée',
  },
  crossSellPopularity: { en: 'popularity (baseline)', fr: 'popularité (référence)' },
  crossSellChosen: { en: 'chosen method', fr: 'méthode retenue' },
  crossSellShortItemCf: { en: 'collaborative filtering', fr: 'filtrage collaboratif' },
  crossSellShortLift: { en: 'co-purchase lift', fr: 'lift de co-achat' },
  crossSellFirst: { en: 'first suggestion', fr: 'première suggestion' },
  crossSellTopThree: { en: 'one of the first three', fr: 'l’une des trois premières' },
} as const;

export type CampaignMessageKey = keyof typeof CAMPAIGN_MESSAGES;

/** A campaign-section message in the language, with {placeholders} filled in. */
export function tc(
  key: CampaignMessageKey,
  lang: Lang,
  values: Readonly<Record<string, string | number>> = {},
): string {
  return CAMPAIGN_MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
