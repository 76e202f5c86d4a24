/**
 * The custom metadata form type that carries a data product's contract (ODCS v3 YAML)
 * in DataZone, created with CreateFormType and attached to each data product under a
 * form of the same name. Its content is JSON: `{"contract": "<ODCS YAML>", "apiVersion": "v3.1.0"}`.
 */
export const DATA_CONTRACT_FORM_TYPE_NAME = 'DataMeshPortalDataContract';
export const DATA_CONTRACT_FORM_NAME = DATA_CONTRACT_FORM_TYPE_NAME;

export interface DataContractFormContent {
  /** The ODCS document, YAML. */
  contract: string;
  /** ODCS apiVersion of the document (e.g. v3.1.0). */
  apiVersion?: string;
}

export const DATA_CONTRACT_FORM_TYPE_MODEL = `@amazon.datazone#displayname(defaultName: "Data contract (ODCS)")
structure ${DATA_CONTRACT_FORM_TYPE_NAME} {
    @required
    @documentation("The data product's contract: an Open Data Contract Standard v3 YAML document.")
    contract: String

    @documentation("The ODCS apiVersion the contract follows, e.g. v3.1.0.")
    apiVersion: String
}`;
