import {
  existsSync,
  readFileSync,
  writeFileSync,
  renameSync,
  mkdirSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { Caller } from './datazone/context';

/** moto's default account: what every request with an unknown access key acts as. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/**
 * Maps access keys to the principal behind them. moto hands out keys on AssumeRole; the
 * router reads those responses and records here which account and assumed-role ARN each
 * key stands for. The DataZone stand-in uses it to know its caller, and the router tells
 * moto the account of a known key (`x-moto-account-id`), so cross-account state survives
 * a restart in which moto forgot the keys it issued.
 */
export class CallerRegistry {
  private readonly keys = new Map<string, { accountId: string; arn: string }>();

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<
        string,
        { accountId: string; arn: string }
      >;
      for (const [k, v] of Object.entries(saved)) this.keys.set(k, v);
    }
  }

  resolve(accessKeyId: string | undefined): Caller {
    const known = accessKeyId ? this.keys.get(accessKeyId) : undefined;
    if (known) return { accessKeyId, ...known };
    // moto's answer to GetCallerIdentity for keys it did not issue.
    return {
      accessKeyId,
      accountId: DEFAULT_ACCOUNT_ID,
      arn: `arn:aws:sts::${DEFAULT_ACCOUNT_ID}:user/moto`,
    };
  }

  knows(accessKeyId: string | undefined): boolean {
    return !!accessKeyId && this.keys.has(accessKeyId);
  }

  /** Records the credentials in an STS AssumeRole(WithWebIdentity|WithSAML) XML response. */
  learnFromStsResponse(xml: string) {
    const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
    const arn =
      /<AssumedRoleUser>[\s\S]*?<Arn>([^<]+)<\/Arn>[\s\S]*?<\/AssumedRoleUser>/.exec(
        xml,
      )?.[1];
    const account = arn ? /^arn:aws:sts::(\d{12}):/.exec(arn)?.[1] : undefined;
    if (!key || !arn || !account) return;
    this.keys.set(key, { accountId: account, arn });
    this.save();
  }

  private save() {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.keys)));
    renameSync(tmp, this.file);
  }
}
