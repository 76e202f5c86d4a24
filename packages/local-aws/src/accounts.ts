import { DEFAULT_ACCOUNT_ID } from './callers';

export const LOCAL_AWS_REGION = 'us-east-1';

/**
 * The two accounts of AWS's data-mesh pattern: the central governance account holds
 * the DataZone domain (moto's default account, what dummy credentials act as); the
 * producer account holds the buckets and Glue tables, reached by assuming
 * PRODUCER_ROLE_ARN.
 */
export const LOCAL_AWS_ACCOUNTS = {
  governance: DEFAULT_ACCOUNT_ID,
  producer: '222222222222',
} as const;

export type LocalAwsAccounts = typeof LOCAL_AWS_ACCOUNTS;

export const PRODUCER_ROLE_NAME = 'DataMeshProducerAccess';
export const PRODUCER_ROLE_ARN = `arn:aws:iam::${LOCAL_AWS_ACCOUNTS.producer}:role/${PRODUCER_ROLE_NAME}`;

/** Any non-empty keys work against moto; these make it obvious in logs. */
export const DUMMY_CREDENTIALS = {
  accessKeyId: 'AKIALOCALAWSTESTING',
  secretAccessKey: 'local-aws-dummy-secret-key',
};
