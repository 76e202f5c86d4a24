import {
  CreateDatabaseCommand,
  CreateTableCommand,
} from '@aws-sdk/client-glue';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import type { AccountClients } from './clients';
import type { TableDef } from './schema';

/** A bucket with the suite's secure defaults: encrypted, public access blocked, versioned, tagged. */
export async function createSecureBucket(
  clients: AccountClients,
  bucket: string,
  tags: Record<string, string>,
) {
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' },
            BucketKeyEnabled: true,
          },
        ],
      },
    }),
  );
  await clients.s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await clients.s3.send(
    new PutBucketVersioningCommand({
      Bucket: bucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  await clients.s3.send(
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: {
        TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
    }),
  );
}

export async function createGlueDatabase(
  clients: AccountClients,
  name: string,
  description: string,
  locationUri?: string,
) {
  await clients.glue.send(
    new CreateDatabaseCommand({
      DatabaseInput: {
        Name: name,
        Description: description,
        LocationUri: locationUri,
      },
    }),
  );
}

/** An external Parquet table, as a crawler over the product's S3 prefix would register it. */
export async function createGlueTable(
  clients: AccountClients,
  database: string,
  table: TableDef,
  location: string,
) {
  await clients.glue.send(
    new CreateTableCommand({
      DatabaseName: database,
      TableInput: {
        Name: table.name,
        Description: table.description,
        TableType: 'EXTERNAL_TABLE',
        Parameters: {
          classification: 'parquet',
          ...(table.rowCount !== undefined
            ? { recordCount: String(table.rowCount) }
            : {}),
          source: table.source,
        },
        StorageDescriptor: {
          Columns: table.columns.map(c => ({ Name: c.name, Type: c.type })),
          Location: location,
          InputFormat:
            'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          OutputFormat:
            'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          SerdeInfo: {
            SerializationLibrary:
              'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          },
        },
      },
    }),
  );
}

/** A role another principal may assume (the trust policy names it). */
export async function createRole(
  clients: AccountClients,
  roleName: string,
  trustedPrincipalArn: string,
  description: string,
) {
  await clients.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Description: description,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: trustedPrincipalArn },
            Action: 'sts:AssumeRole',
          },
        ],
      }),
    }),
  );
}
