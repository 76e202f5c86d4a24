// Types of the SLO API (`GET /api/data-mesh/slo/:kind/:namespace/:name`),
// shared by the backend that evaluates a data contract's service levels and
// the frontend card that shows them.

import { DataContractValidationError } from './contracts/types';

/**
 * Status of one service-level objective.
 *
 * - `met`: the objective is kept with margin;
 * - `at-risk`: still kept, but most of its budget is used (by default ≥ 80 %
 *   of the target), or a lifecycle date is close;
 * - `breached`: measurably not kept;
 * - `unknown`: no trustworthy measurement (no signal, AWS unreachable, unit
 *   not understood, …). The `reason` says why. Never a guess.
 *
 * @public
 */
export type SloStatus = 'met' | 'at-risk' | 'breached' | 'unknown';

/**
 * All statuses, worst first after `unknown`: the order used to summarise.
 *
 * @public
 */
export const SLO_STATUSES: readonly SloStatus[] = [
  'breached',
  'at-risk',
  'unknown',
  'met',
];

/**
 * What an objective is about.
 *
 * @public
 */
export type SloObjectiveKind =
  /** `latency`: how old the newest data may be. */
  | 'freshness'
  /** `frequency`: how often the data is refreshed. */
  | 'frequency'
  /** `retention`: how long data is kept. */
  | 'retention'
  /** `availability`: share of time the dataset can be read. */
  | 'availability'
  /** `timeOfAvailability`: the day's data is there by a time of day. */
  | 'time-of-availability'
  /** `generalAvailability`, `endOfSupport`, `endOfLife`. */
  | 'lifecycle'
  /** A `quality` rule of the contract. */
  | 'quality'
  /** Any other SLA property: shown as declared, not measured. */
  | 'other';

/**
 * One evaluated objective of a dataset's data contract.
 *
 * @public
 */
export interface SloObjective {
  /** Stable id (dataset entity ref + contract path), used to join history. */
  id: string;
  kind: SloObjectiveKind;
  /** The ODCS SLA property (`latency`, `retention`, …) or quality metric/rule name. */
  property: string;
  /** A short human label, e.g. `Freshness (latency)` or `orders: rowCount`. */
  title: string;
  /** The dataset (API entity) the objective was evaluated on. */
  dataset?: { entityRef: string; name: string; title?: string };
  /** The contract's `element` (`table.column`), when given. */
  element?: string;
  /** The contract's `driver` (regulatory, analytics, operational). */
  driver?: string;
  /** The contract's description of the rule or SLA, when given. */
  description?: string;
  /** The target, readable, e.g. `≤ 4 days`, `≥ 99.9 %`, `by 09:00 UTC−08:00`. */
  target: string;
  /** The measured value, readable; absent when unknown. */
  current?: string;
  status: SloStatus;
  /** Why the status is what it is (what was measured, or what is missing). */
  reason: string;
  /** When the value was measured (ISO 8601). */
  measuredAt?: string;
  /** Where the measurement came from, e.g. `Glue GetTables (UpdateTime)`. */
  source?: string;
  /**
   * Share of the objective's budget used (e.g. age ÷ latency target), when
   * the objective has one: 0.5 is half, above 1 is breached.
   */
  budgetUsed?: number;
  /** Caveats: `clock-skew` (a measurement in the future was clamped), `assumed-utc`, `stale`. */
  flags?: string[];
  /** Error budget of this objective over the history window. */
  errorBudget?: SloErrorBudget;
}

/**
 * Error budget over a window (30 days): how much of the allowed "bad" time
 * is left, computed from stored evaluations.
 *
 * @public
 */
export interface SloErrorBudget {
  windowDays: number;
  /** The compliance target as a fraction (0.99 = 99 %). */
  target: number;
  /** Where the target comes from, e.g. `contract availability` or `default`. */
  targetSource: string;
  /** Minutes covered by known (met, at-risk or breached) measurements. */
  coveredMinutes: number;
  /** Minutes in breach. */
  breachedMinutes: number;
  /** Fraction of the allowed bad time left (0–1); absent when nothing was measured. */
  remaining?: number;
  status: SloStatus;
  reason: string;
}

/**
 * One day of history: minutes spent in each status (summed over objectives).
 *
 * @public
 */
export interface SloHistoryDay {
  /** UTC date, `YYYY-MM-DD`. */
  date: string;
  met: number;
  atRisk: number;
  breached: number;
  unknown: number;
}

/**
 * State of the data contract a dataset's objectives come from.
 *
 * - `valid`: an ODCS contract that validates;
 * - `generated`: generated from the asset's columns, promises no SLAs;
 * - `missing`: the dataset has no contract at all;
 * - `invalid`: the contract does not validate (see `errors`).
 *
 * @public
 */
export type SloContractState = 'valid' | 'generated' | 'missing' | 'invalid';

/**
 * The contract of one dataset, as the SLO evaluation found it.
 *
 * @public
 */
export interface SloDatasetContract {
  entityRef: string;
  name: string;
  title?: string;
  state: SloContractState;
  /** Validation problems, for `invalid`. */
  errors?: DataContractValidationError[];
  /** Number of objectives the contract declares (SLA properties + quality rules). */
  objectiveCount: number;
}

/**
 * Response of `GET /api/data-mesh/slo/:kind/:namespace/:name`.
 *
 * @public
 */
export interface SloReport {
  entityRef: string;
  evaluatedAt: string;
  /**
   * Overall contract state: `valid` when at least one dataset has a valid
   * contract with objectives; `invalid` when a contract fails validation and
   * none is valid; `none` when there is nothing to evaluate (no datasets,
   * generated or missing contracts, or contracts without SLAs or rules).
   */
  contractState: 'valid' | 'invalid' | 'none';
  /** Per dataset (one for a dataset page, all datasets for a data product). */
  contracts: SloDatasetContract[];
  objectives: SloObjective[];
  summary: Record<SloStatus, number>;
  /** Daily minutes per status over the window, oldest first. */
  history: SloHistoryDay[];
  /** Error budget over all measured objectives together. */
  errorBudget: SloErrorBudget;
  /** Where to read how to add a data contract. */
  helpUrl?: string;
}

/**
 * Summarises statuses as the worst one present (`breached` > `at-risk` >
 * `unknown` > `met`); `unknown` when there are none.
 *
 * @public
 */
export function worstSloStatus(statuses: Iterable<SloStatus>): SloStatus {
  let worst: SloStatus | undefined;
  for (const status of statuses) {
    if (
      worst === undefined ||
      SLO_STATUSES.indexOf(status) < SLO_STATUSES.indexOf(worst)
    ) {
      worst = status;
    }
  }
  return worst ?? 'unknown';
}
