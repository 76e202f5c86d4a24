import type { AwsEffects } from './effects';

/** Who is calling, as far as the stand-in can tell from the SigV4 access key. */
export interface Caller {
  accessKeyId?: string;
  accountId: string;
  /** The principal's ARN: an IAM user/role, or an STS assumed-role session. */
  arn: string;
}

export interface RequestContext {
  operation: string;
  caller: Caller;
  requestId: string;
  region: string;
  /** Lake Formation grants and Glue reads, as DataZone makes them in your accounts. */
  effects: AwsEffects;
}
