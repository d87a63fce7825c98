/**
 * Segments: what the models' outputs become for marketers.
 *
 * - Lifecycle segments ({@link assignLifecycle}): a documented state machine over history and timing
 *   predictions (prospect, new, active, due, at_risk, lapsed, win_back, reactivated) with a VIP overlay;
 *   every assignment carries its reason ({rule, values} and a sentence in English and French).
 * - Inputs ({@link segmentInputs}): features + predictions + previous segments → lifecycle and RFM inputs.
 * - Transitions ({@link countTransitions}): previous × current segment matrix, entrants and leavers.
 * - RFM ({@link scoreRfm}): mid-rank quantile scores 1–3 or 1–5 and named groups on the R × FM grid.
 * - Scores table ({@link buildScoreRows}, {@link SCORE_COLUMNS}): one row per consented customer.
 * - Exports ({@link audiencesFromScores}, {@link buildExports}): consent-filtered audience lists per
 *   (segment, channel) with an accounting summary; serialised by {@link listToCsv} / {@link listToJson}
 *   and written by src/io/write-exports.ts.
 *
 * Everything here is pure: inputs in, new data out. Rule-based segments live in ./rules.ts.
 */
export {
  assignLifecycle,
  classifyLifecycle,
  lifecycleAssignment,
  lifecycleDecision,
  lifecycleSegmentAt,
  topShareCutoff,
  LIFECYCLE_LABELS,
  LIFECYCLE_RULES,
  LIFECYCLE_SEGMENTS,
  type LifecycleAssignment,
  type LifecycleDecision,
  type LifecycleInput,
  type LifecycleOptions,
  type LifecycleSegment,
  type LifecycleTable,
} from './lifecycle.js';
export {
  lifecycleInputOf,
  rfmInputOf,
  segmentInputs,
  type SegmentFeatureRow,
  type SegmentInputs,
} from './inputs.js';
export { formatNumber, quantileSorted, type Reason, type ReasonValues } from './reason.js';
export {
  quantileScores,
  rfmGroup,
  rfmScoreAt,
  rfmTable,
  scoreRfm,
  RFM_GRID_5,
  RFM_GROUP_LABELS,
  RFM_GROUPS,
  type RfmGroup,
  type RfmInput,
  type RfmScore,
  type RfmTable,
} from './rfm.js';
export {
  countTransitions,
  type SegmentMembership,
  type SegmentTransitions,
  type TransitionCell,
} from './transitions.js';
export {
  buildScoreRows,
  scoreRowSource,
  scoreGroupsOnRows,
  scoreRowsOnRows,
  splitRuleSegments,
  SCORE_COLUMNS,
  type PersonaAssignment,
  type RuleMembership,
  type ScoreColumnName,
  type ScoreColumnType,
  type ScoreGroups,
  type ScoreInputs,
  type ScoreRow,
  type ScoreRowInputs,
} from './scores.js';
export {
  audiencesFromScores,
  buildExports,
  CONSENT_EMAIL,
  CONSENT_SMS,
  exportLists,
  exportListsOnColumns,
  listHeaders,
  listToCsv,
  listToJson,
  usableEmail,
  usablePhone,
  type Audience,
  type AudienceKind,
  type AudienceList,
  type Channel,
  type ChannelConsent,
  type ContactDetails,
  type ExportColumnInputs,
  type ExportColumns,
  type ExportInputs,
  type ExportMember,
  type ExportResult,
  type ExportStream,
  type ExportSummary,
  type ListMembers,
  type ListSummary,
  type StreamedList,
  duplicateRecord,
  trimmedText,
} from './exports.js';
