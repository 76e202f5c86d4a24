import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';

export interface JournalEntry {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The account moto should act as on replay (`x-moto-account-id`). */
  accountId?: string;
  body: string; // base64
}

const READ_ONLY =
  /^(Get|List|Describe|Search|BatchGet|Query|Scan|Lookup|Simulate|Head|Select)/;
const DROP_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'expect',
  'keep-alive',
]);

/**
 * moto keeps state in memory only. The router appends every successful state-changing
 * request it forwards to moto to a JSON-lines journal in the data dir, and `replay`
 * sends them to a fresh moto in order on the next start: the same idea as moto's own
 * recorder, but without recording reads (a polling backend would grow moto's recording
 * without bound) and with the account each request acted as, so role-assumed writes
 * land in the producer account again.
 */
export class MotoJournal {
  constructor(readonly file: string) {}

  /**
   * Whether a request may change moto's state. `body` is only consulted for the query
   * protocol (IAM), whose operation name travels in the form body.
   */
  static isMutation(
    service: string | undefined,
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body?: Buffer,
  ): boolean {
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS')
      return false;
    // STS sessions are not state worth restoring: the router remembers which account a
    // key belongs to and tells moto on every request.
    if (service === 'sts' || service === undefined) return false;
    const target = headers['x-amz-target'];
    if (typeof target === 'string')
      return !READ_ONLY.test(target.split('.').pop() ?? '');
    if (service === 'iam' && body) {
      const action =
        new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      return !READ_ONLY.test(action);
    }
    if (service === 's3') return true;
    if (/\/search(\/|$)/.test(path)) return false;
    const last = path.split('?')[0].split('/').filter(Boolean).pop() ?? '';
    return !READ_ONLY.test(last);
  }

  /** Query-protocol services need their body to tell reads from writes. */
  static needsBodyToDecide(service: string | undefined): boolean {
    return service === 'iam';
  }

  append(entry: {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    accountId?: string;
    body: Buffer;
  }) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.headers)) {
      if (v === undefined || DROP_HEADERS.has(k)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const line: JournalEntry = {
      method: entry.method,
      url: entry.url,
      headers,
      accountId: entry.accountId,
      body: entry.body.toString('base64'),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }

  entries(): JournalEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(line => JSON.parse(line) as JournalEntry);
  }

  /** Sends the journal to moto in order; returns how many requests failed on replay. */
  async replay(
    motoEndpoint: string,
  ): Promise<{ replayed: number; failed: number }> {
    let failed = 0;
    const entries = this.entries();
    for (const entry of entries) {
      const headers: Record<string, string> = { ...entry.headers };
      if (entry.accountId) headers['x-moto-account-id'] = entry.accountId;
      const body = Buffer.from(entry.body, 'base64');
      const res = await fetch(`${motoEndpoint}${entry.url}`, {
        method: entry.method,
        headers,
        body: body.length > 0 ? body : undefined,
      });
      await res.arrayBuffer();
      if (res.status >= 300) failed += 1;
    }
    return { replayed: entries.length, failed };
  }
}
