// Turns one dataset's data contract and its measured signals into evaluated
// objectives. Pure.

import {
  findSchemaObject,
  OdcsDataContract,
  OdcsQualityRule,
  OdcsSchemaObject,
  OdcsSchemaProperty,
  SloObjective,
} from '@data-mesh-portal/plugin-data-mesh-common';
import { SloInterval } from './errorBudget';
import { evaluateQualityRule, ruleResultHistory } from './evaluateQuality';
import {
  DEFAULT_SLO_OPTIONS,
  evaluateSlaProperty,
  SloEvaluationOptions,
  slaTitle,
} from './evaluateSla';
import { AvailabilityHistory, DatasetSignals } from './signals';

export interface DatasetRef {
  entityRef: string;
  /** The dataset's physical name (the Glue table), used to find its schema entry. */
  name: string;
  title?: string;
}

export interface EvaluateDatasetInput {
  contract: OdcsDataContract;
  dataset: DatasetRef;
  signals: DatasetSignals;
  now: Date;
  availability?: AvailabilityHistory;
  options?: Partial<SloEvaluationOptions>;
}

/** The schema objects whose rules concern this dataset. */
function schemaObjectsOf(
  contract: OdcsDataContract,
  name: string,
): OdcsSchemaObject[] {
  const found = findSchemaObject(contract, name);
  if (found) return [found];
  const all = (contract.schema ?? []).filter(
    (object): object is OdcsSchemaObject =>
      !!object && typeof object === 'object',
  );
  return all.length === 1 ? all : [];
}

interface LocatedRule {
  rule: OdcsQualityRule;
  object: OdcsSchemaObject;
  column?: string;
  path: string;
}

function rulesOf(objects: OdcsSchemaObject[]): LocatedRule[] {
  const located: LocatedRule[] = [];
  const visit = (
    object: OdcsSchemaObject,
    properties: OdcsSchemaProperty[] | undefined,
    prefix: string,
  ) => {
    for (const property of properties ?? []) {
      if (!property || typeof property !== 'object') continue;
      const column = prefix ? `${prefix}.${property.name}` : property.name;
      (property.quality ?? []).forEach((rule, index) =>
        located.push({
          rule,
          object,
          column,
          path: `${object.name}.${column}#${rule.id ?? rule.name ?? index}`,
        }),
      );
      visit(object, property.properties, column);
    }
  };
  for (const object of objects) {
    (object.quality ?? []).forEach((rule, index) =>
      located.push({
        rule,
        object,
        path: `${object.name}#${rule.id ?? rule.name ?? index}`,
      }),
    );
    visit(object, object.properties, '');
  }
  return located;
}

function qualityObjectiveId(entityRef: string, path: string): string {
  return `${entityRef}#quality/${path}`;
}

/** How many objectives a contract declares for a dataset (SLA properties + quality rules). */
export function countDeclaredObjectives(
  contract: OdcsDataContract,
  datasetName: string,
): number {
  return (
    (contract.slaProperties ?? []).length +
    rulesOf(schemaObjectsOf(contract, datasetName)).length
  );
}

/**
 * Evaluates every SLA property and quality rule a dataset's contract
 * declares. Never throws on contract content; each objective carries its own
 * status and reason.
 */
export function evaluateDataset(input: EvaluateDatasetInput): SloObjective[] {
  const options = { ...DEFAULT_SLO_OPTIONS, ...input.options };
  const { contract, dataset, signals, now } = input;
  const datasetInfo = {
    entityRef: dataset.entityRef,
    name: dataset.name,
    title: dataset.title,
  };
  const objectives: SloObjective[] = [];

  (contract.slaProperties ?? []).forEach((sla, index) => {
    if (!sla || typeof sla !== 'object' || typeof sla.property !== 'string')
      return;
    const evaluated = evaluateSlaProperty(sla, {
      now,
      signals,
      defaultElement: contract.slaDefaultElement,
      availability: input.availability,
      options,
    });
    objectives.push({
      ...evaluated,
      id: `${dataset.entityRef}#sla/${sla.id ?? `${index}-${sla.property}`}`,
      property: sla.property,
      title: slaTitle(sla),
      dataset: datasetInfo,
      element: sla.element ?? contract.slaDefaultElement,
      driver: sla.driver,
      // `description` is in the ODCS schema, not (yet) in the shared type.
      description:
        typeof (sla as { description?: unknown }).description === 'string'
          ? (sla as { description?: string }).description
          : undefined,
    });
  });

  for (const { rule, object, column, path } of rulesOf(
    schemaObjectsOf(contract, dataset.name),
  )) {
    if (!rule || typeof rule !== 'object') continue;
    const evaluated = evaluateQualityRule(rule, column, {
      now,
      signals,
      options,
    });
    const label = rule.name ?? rule.metric ?? rule.type ?? 'rule';
    objectives.push({
      ...evaluated,
      id: qualityObjectiveId(dataset.entityRef, path),
      title: column
        ? `${object.name}.${column}: ${label}`
        : `${object.name}: ${label}`,
      dataset: datasetInfo,
      element: column ? `${object.name}.${column}` : object.name,
    });
  }
  return objectives;
}

/**
 * The quality objectives' history as the dataset's data-quality results tell
 * it (`ruleResultHistory`), under the objectives' ids; empty when the results
 * could not be read.
 */
export function qualityHistory(
  input: Omit<EvaluateDatasetInput, 'availability'>,
): SloInterval[] {
  const quality = input.signals.quality;
  if (!quality?.ok) return [];
  const { qualityMaxAgeMs } = { ...DEFAULT_SLO_OPTIONS, ...input.options };
  return rulesOf(schemaObjectsOf(input.contract, input.dataset.name)).flatMap(
    ({ rule, column, path }) => {
      if (!rule || typeof rule !== 'object') return [];
      return ruleResultHistory(
        quality.data.runs,
        rule,
        column,
        input.now,
        qualityMaxAgeMs,
      ).map(span => ({
        objectiveId: qualityObjectiveId(input.dataset.entityRef, path),
        ...span,
      }));
    },
  );
}
