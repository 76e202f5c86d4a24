/**
 * The data-contract form type is defined once, in `@data-mesh-portal/plugin-data-mesh-common`:
 * the seed creates it with that Smithy model and writes every product's contract with
 * `dataContractFormContent`, so what the catalog provider reads
 * (`readDataContractFormContent`) is exactly what the seed wrote. The form on a data
 * product is named like its type.
 */
export {
  DATA_CONTRACT_FORM_FIELD,
  DATA_CONTRACT_FORM_TYPE_NAME,
  DATA_CONTRACT_FORM_TYPE_SMITHY_MODEL,
  dataContractFormContent,
  readDataContractFormContent,
} from '@data-mesh-portal/plugin-data-mesh-common';
