import { DataZoneClient } from '@aws-sdk/client-datazone';
import { GlueClient } from '@aws-sdk/client-glue';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DUMMY_CREDENTIALS } from '../accounts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SDK client settings for the local endpoint (path-style S3: `localhost` hosts do not resolve buckets). */
export function localClientConfig(
  endpoint: string,
  region: string,
  credentials: Credentials = DUMMY_CREDENTIALS,
) {
  return {
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    maxAttempts: 2,
  };
}

export interface AccountClients {
  glue: GlueClient;
  s3: S3Client;
  iam: IAMClient;
}

export function accountClients(
  endpoint: string,
  region: string,
  credentials?: Credentials,
): AccountClients {
  const config = localClientConfig(endpoint, region, credentials);
  return {
    glue: new GlueClient(config),
    s3: new S3Client(config),
    iam: new IAMClient(config),
  };
}

export function dataZoneClient(endpoint: string, region: string) {
  return new DataZoneClient(localClientConfig(endpoint, region));
}

/** Credentials in another account, as AWS's data-mesh pattern reaches it: STS AssumeRole. */
export async function assumeRole(
  endpoint: string,
  region: string,
  roleArn: string,
  sessionName: string,
): Promise<Credentials> {
  const sts = new STSClient(localClientConfig(endpoint, region));
  try {
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionName }),
    );
    if (!c?.AccessKeyId || !c.SecretAccessKey)
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
  } finally {
    sts.destroy();
  }
}

export function destroyAll(clients: AccountClients) {
  clients.glue.destroy();
  clients.s3.destroy();
  clients.iam.destroy();
}
