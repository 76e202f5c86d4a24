import type { DataZoneStore } from '../store';

/**
 * The `amazon.datazone.*` types every real domain starts with, as far as the suite uses
 * them: Glue table assets with their schema form, the common details form and the
 * data-quality time-series form. Owned by no user project, hence the pseudo project id.
 */
export const MANAGED_PROJECT_ID = 'amazon_datazone';

export const GLUE_TABLE_ASSET_TYPE = 'amazon.datazone.GlueTableAssetType';
export const GLUE_TABLE_FORM_TYPE = 'amazon.datazone.GlueTableFormType';
export const ASSET_COMMON_DETAILS_FORM_TYPE =
  'amazon.datazone.AssetCommonDetailsFormType';
export const DATA_QUALITY_RESULT_FORM_TYPE =
  'amazon.datazone.DataQualityResultFormType';

const FORM_TYPES: Record<string, string> = {
  [GLUE_TABLE_FORM_TYPE]: `structure GlueTableFormType {
  catalogId: String
  region: String
  tableArn: String
  @amazon.datazone#searchable
  tableName: String
  @amazon.datazone#searchable
  tableDescription: String
  columns: ColumnList
  sourceClassification: String
  lastUpdatedAt: Timestamp
  compressionType: String
  sortKeys: SortKeyList
  partitionKeys: PartitionKeyList
}
list ColumnList { member: Column }
structure Column {
  @amazon.datazone#searchable
  columnName: String
  dataType: String
  @amazon.datazone#searchable
  description: String
}
list SortKeyList { member: String }
list PartitionKeyList { member: Column }`,
  [ASSET_COMMON_DETAILS_FORM_TYPE]: `structure AssetCommonDetailsFormType {
  customProperties: CustomProperties
}
map CustomProperties { key: String value: String }`,
  [DATA_QUALITY_RESULT_FORM_TYPE]: `structure DataQualityResultFormType {
  evaluationsCount: Integer
  passingPercentage: Double
  evaluations: EvaluationList
}
list EvaluationList { member: Evaluation }
structure Evaluation {
  description: String
  status: String
  types: TypeList
  applicableFields: FieldList
}
list TypeList { member: String }
list FieldList { member: String }`,
};

export function installManagedTypes(
  store: DataZoneStore,
  domainId: string,
  now: number,
) {
  for (const [name, smithy] of Object.entries(FORM_TYPES)) {
    store.state.formTypes[`${domainId}/${name}`] = [
      {
        seq: store.nextSeq(),
        domainId,
        name,
        revision: '1',
        smithy,
        status: 'ENABLED',
        owningProjectId: MANAGED_PROJECT_ID,
        managed: true,
        createdAt: now,
        createdBy: 'amazon.datazone',
      },
    ];
  }
  store.state.assetTypes[`${domainId}/${GLUE_TABLE_ASSET_TYPE}`] = [
    {
      seq: store.nextSeq(),
      domainId,
      name: GLUE_TABLE_ASSET_TYPE,
      revision: '1',
      description: 'An AWS Glue table.',
      owningProjectId: MANAGED_PROJECT_ID,
      managed: true,
      forms: {
        GlueTableForm: {
          typeName: GLUE_TABLE_FORM_TYPE,
          typeRevision: '1',
          required: true,
        },
        AssetCommonDetailsForm: {
          typeName: ASSET_COMMON_DETAILS_FORM_TYPE,
          typeRevision: '1',
          required: false,
        },
      },
      createdAt: now,
      createdBy: 'amazon.datazone',
    },
  ];
}
