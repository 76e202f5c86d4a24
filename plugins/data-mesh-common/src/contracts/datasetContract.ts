import { OdcsDataContract, OdcsSchemaObject, OdcsSlaProperty } from './types';

// Case-insensitive; the exact match first, as names mostly match as written
// (the catalog sync compares every dataset of a product with every other).
function sameName(a: string | undefined, b: string): boolean {
  return (
    a !== undefined &&
    (a === b || a.toLowerCase() === b.toLowerCase())
  );
}

/**
 * Finds a dataset's entry in a contract's `schema`: by physical name first
 * (the Glue table name), then logical name, then id; case-insensitive.
 *
 * @public
 */
export function findSchemaObject(
  contract: OdcsDataContract,
  datasetName: string,
): OdcsSchemaObject | undefined {
  const objects = contract.schema ?? [];
  return (
    objects.find(object => sameName(object.physicalName, datasetName)) ??
    objects.find(object => sameName(object.name, datasetName)) ??
    objects.find(object => sameName(object.id, datasetName))
  );
}

// `element` is `object.property`, `object`, or a comma-separated list of them.
function elementObjectNames(element: string): string[] {
  return element
    .split(',')
    .map(part => part.trim().split('.')[0])
    .filter(name => name !== '');
}

// Contracts are plain JSON data; JSON round-tripping works in every runtime
// (structuredClone is missing in some test environments).
function deepCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function namesOf(object: OdcsSchemaObject): string[] {
  return [object.name, object.physicalName, object.id].filter(
    (name): name is string => typeof name === 'string',
  );
}

/**
 * Builds one dataset's contract from its data product's contract: every
 * common section of the product document (fundamentals, team, support, roles,
 * servers, SLAs, …) plus only that dataset's `schema` entry. The product
 * document is copied, never regenerated, and is not modified.
 *
 * SLA properties (and `slaDefaultElement`) whose `element` names only other
 * datasets of the product are left out; SLAs without an element, or naming
 * this dataset or something outside the product's schema, are kept.
 *
 * Returns `undefined` when the product contract has no entry for the dataset
 * (the caller then generates a contract from the asset's columns).
 *
 * @public
 */
export function buildDatasetContract(
  productContract: OdcsDataContract,
  datasetName: string,
): OdcsDataContract | undefined {
  const datasetObject = findSchemaObject(productContract, datasetName);
  if (!datasetObject) {
    return undefined;
  }
  const otherObjects = (productContract.schema ?? []).filter(
    object => object !== datasetObject,
  );
  const isThisDataset = (objectName: string) =>
    namesOf(datasetObject).some(name => sameName(name, objectName));
  const isOtherDataset = (objectName: string) =>
    otherObjects.some(object =>
      namesOf(object).some(name => sameName(name, objectName)),
    );
  const concernsOnlyOtherDatasets = (element: string | undefined) => {
    if (!element) {
      return false;
    }
    const objectNames = elementObjectNames(element);
    return (
      objectNames.length > 0 &&
      !objectNames.some(isThisDataset) &&
      objectNames.every(isOtherDataset)
    );
  };

  // Copy every section but the product's schema (which holds every dataset:
  // copying it per dataset made a product's datasets cost quadratic time),
  // keeping the document's key order.
  const copy = {} as OdcsDataContract;
  for (const key of Object.keys(productContract) as (keyof OdcsDataContract)[]) {
    (copy as Record<string, unknown>)[key] =
      key === 'schema'
        ? [deepCopy(datasetObject)]
        : deepCopy(productContract[key]);
  }

  if (copy.slaProperties) {
    copy.slaProperties = copy.slaProperties.filter(
      (sla: OdcsSlaProperty) => !concernsOnlyOtherDatasets(sla.element),
    );
  }
  if (concernsOnlyOtherDatasets(copy.slaDefaultElement)) {
    delete copy.slaDefaultElement;
  }
  return copy;
}
