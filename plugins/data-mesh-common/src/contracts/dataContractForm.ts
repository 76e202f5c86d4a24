/**
 * Name of the DataZone custom metadata form type (`CreateFormType`) that holds a
 * data product's ODCS contract. The scaffolder creates it, the local AWS seed
 * uses it, and the catalog provider reads it.
 *
 * @public
 */
export const DATA_CONTRACT_FORM_TYPE_NAME = 'DataMeshPortalDataContract';

/**
 * The field of {@link DATA_CONTRACT_FORM_TYPE_NAME} whose value is the ODCS
 * document (YAML text).
 *
 * @public
 */
export const DATA_CONTRACT_FORM_FIELD = 'contract';

/**
 * The Smithy model to pass to DataZone `CreateFormType` (`model.smithy`).
 *
 * @public
 */
export const DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL = `structure ${DATA_CONTRACT_FORM_TYPE_NAME} {
    @required
    ${DATA_CONTRACT_FORM_FIELD}: String
}`;

/**
 * The form `content` (a JSON string, as DataZone stores form content) that
 * holds a contract's YAML text.
 *
 * @public
 */
export function dataContractFormContent(contractYaml: string): string {
  return JSON.stringify({ [DATA_CONTRACT_FORM_FIELD]: contractYaml });
}

/**
 * Reads the contract's YAML text out of the form `content` JSON string.
 * Returns `undefined` for missing, malformed or empty content instead of
 * throwing, so one bad form cannot break a catalog sync.
 *
 * @public
 */
export function readDataContractFormContent(
  content: string | undefined,
): string | undefined {
  if (!content) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(content);
    if (parsed && typeof parsed === 'object') {
      const value = (parsed as Record<string, unknown>)[
        DATA_CONTRACT_FORM_FIELD
      ];
      return typeof value === 'string' && value.trim() !== ''
        ? value
        : undefined;
    }
  } catch {
    // malformed content is treated like no contract
  }
  return undefined;
}
