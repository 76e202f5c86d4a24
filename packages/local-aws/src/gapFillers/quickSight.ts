import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { GapFiller, ClaimRequest } from '../router';
import type { Caller } from '../datazone/context';
import { LOCAL_AWS_ACCOUNTS } from '../accounts';
import {
  JsonState,
  callMoto,
  readBody,
  sendError,
  sendJson,
  sendRaw,
} from './common';

/** Marks a request a filler passes on through the router, so it reaches moto (and its journal). */
export const PASS_THROUGH_HEADER = 'x-local-aws-pass-through';

/** Embed URLs hold a bearer token valid for 5 minutes and usable once (QuickSight's rule). */
export const EMBED_URL_TTL_MS = 5 * 60_000;
export const EMBED_PATH = '/_embed/quicksight/dashboards/';

interface InputColumn {
  Name: string;
  Type: string;
}

interface DataSetRecord {
  accountId: string;
  DataSetId: string;
  Name: string;
  Arn: string;
  ImportMode: string;
  PhysicalTableMap: Record<string, any>;
  LogicalTableMap?: Record<string, any>;
  CreatedTime: number;
  LastUpdatedTime: number;
}

/** A QuickSight resource permission: a principal (user or group ARN) and its actions. */
interface ResourcePermission {
  Principal: string;
  Actions: string[];
}

interface QuickSightState {
  dataSets: DataSetRecord[];
  /** Dashboard ARN → the data sets it was built on. */
  dashboardDataSets: Record<string, string[]>;
  /** Dashboard ARN → its permissions (CreateDashboard's, then UpdateDashboardPermissions'). */
  dashboardPermissions: Record<string, ResourcePermission[]>;
}

interface EmbedSession {
  accountId: string;
  dashboardId: string;
  userArn: string;
  expiresAt: number;
  used: boolean;
}

const ROUTES = {
  dataSets: /^\/accounts\/(\d{12})\/data-sets\/?$/,
  dataSet: /^\/accounts\/(\d{12})\/data-sets\/([^/]+)\/?$/,
  dashboards: /^\/accounts\/(\d{12})\/dashboards\/?$/,
  dashboard: /^\/accounts\/(\d{12})\/dashboards\/([^/]+)\/?$/,
  dashboardPermissions:
    /^\/accounts\/(\d{12})\/dashboards\/([^/]+)\/permissions\/?$/,
  embed: /^\/accounts\/(\d{12})\/embed-url\/registered-user\/?$/,
};

const notFound = (res: ServerResponse, message: string) =>
  sendError(res, 404, 'ResourceNotFoundException', message);

function outputColumns(ds: DataSetRecord) {
  const columns: InputColumn[] = [];
  for (const table of Object.values(ds.PhysicalTableMap)) {
    const t = table.RelationalTable ?? table.CustomSql ?? table.S3Source;
    for (const c of (t?.InputColumns ?? t?.Columns ?? []) as InputColumn[])
      if (!columns.some(x => x.Name === c.Name)) columns.push(c);
  }
  return columns.map(c => ({ Name: c.Name, Type: c.Type }));
}

const TIME_MEMBERS = ['CreatedTime', 'LastUpdatedTime', 'LastPublishedTime'];

/**
 * moto writes QuickSight times as Python date strings ("2026-11-21 07:47:30.842751",
 * its process's local time); QuickSight (restJson1) sends epoch seconds, and the SDK
 * refuses anything else. Rewrites those members of each object in place.
 */
function epochSecondsTimes(...holders: Array<Record<string, any>>) {
  for (const holder of holders)
    for (const key of TIME_MEMBERS)
      if (typeof holder?.[key] === 'string') {
        const ms = Date.parse(holder[key]);
        holder[key] = Number.isNaN(ms) ? undefined : ms / 1000;
      }
}

const escape = (text: unknown) =>
  String(text ?? '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

/**
 * Grants then revokes, per principal, as UpdateDashboardPermissions applies them: a
 * principal left with no action is gone. Sorted by principal, actions sorted.
 */
export function applyPermissionChanges(
  current: ResourcePermission[],
  grants: ResourcePermission[] = [],
  revokes: ResourcePermission[] = [],
): ResourcePermission[] {
  const byPrincipal = new Map<string, Set<string>>(
    current.map(p => [p.Principal, new Set(p.Actions)]),
  );
  for (const grant of grants) {
    const actions = byPrincipal.get(grant.Principal) ?? new Set<string>();
    for (const action of grant.Actions ?? []) actions.add(action);
    byPrincipal.set(grant.Principal, actions);
  }
  for (const revoke of revokes) {
    const actions = byPrincipal.get(revoke.Principal);
    for (const action of revoke.Actions ?? []) actions?.delete(action);
  }
  return [...byPrincipal.entries()]
    .filter(([, actions]) => actions.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Principal, actions]) => ({
      Principal,
      Actions: [...actions].sort(),
    }));
}

const validPermissions = (list: unknown): list is ResourcePermission[] =>
  list === undefined ||
  (Array.isArray(list) &&
    list.length <= 64 &&
    list.every(
      p =>
        typeof p?.Principal === 'string' &&
        p.Principal.length > 0 &&
        Array.isArray(p.Actions) &&
        p.Actions.length > 0 &&
        p.Actions.length <= 20 &&
        p.Actions.every((a: unknown) => typeof a === 'string'),
    ));

/**
 * What moto lacks of QuickSight: data sets (CreateDataSet, ListDataSets — a 500 in moto —
 * and DescribeDataSet), the DataSetArns and permissions of a dashboard (recorded from
 * CreateDashboard, which still goes to moto; DescribeDashboardPermissions and
 * UpdateDashboardPermissions have no route in moto), and GenerateEmbedUrlForRegisteredUser, whose single-use URL
 * opens a page served here that renders the dashboard from the demo data: its data sets,
 * their tables' columns and row counts from the Glue catalog.
 */
export class QuickSightFiller implements GapFiller {
  readonly name = 'quicksight';
  private readonly state: JsonState<QuickSightState>;
  private readonly sessions = new Map<string, EmbedSession>();

  constructor(
    private readonly options: {
      endpoint: string;
      motoEndpoint: string;
      stateFile?: string;
      now?: () => number;
    },
  ) {
    this.state = new JsonState(options.stateFile, () => ({
      dataSets: [],
      dashboardDataSets: {},
      dashboardPermissions: {},
    }));
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  claims(request: ClaimRequest) {
    const path = request.url.split('?')[0];
    if (request.method === 'GET' && path.startsWith(EMBED_PATH)) return true;
    if (
      request.service !== 'quicksight' ||
      request.headers[PASS_THROUGH_HEADER]
    )
      return false;
    if (ROUTES.dataSets.test(path))
      return ['GET', 'POST'].includes(request.method);
    if (ROUTES.dataSet.test(path)) return request.method === 'GET';
    if (ROUTES.dashboards.test(path)) return request.method === 'GET';
    if (ROUTES.dashboardPermissions.test(path))
      return ['GET', 'PUT'].includes(request.method);
    if (ROUTES.dashboard.test(path))
      return ['GET', 'POST'].includes(request.method);
    return ROUTES.embed.test(path) && request.method === 'POST';
  }

  async handle(req: IncomingMessage, res: ServerResponse, caller: Caller) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    try {
      if (path.startsWith(EMBED_PATH))
        return await this.embedPage(res, path, url);
      const body = await readBody(req);
      let m = ROUTES.dataSets.exec(path);
      if (m && req.method === 'POST')
        return this.createDataSet(res, m[1], body);
      if (m) return this.listDataSets(res, m[1], url);
      m = ROUTES.dataSet.exec(path);
      if (m) return this.describeDataSet(res, m[1], decodeURIComponent(m[2]));
      m = ROUTES.dashboards.exec(path);
      if (m) return await this.listDashboards(req, res, caller, m[1], url);
      m = ROUTES.dashboardPermissions.exec(path);
      if (m)
        return await this.dashboardPermissions(
          req,
          res,
          caller,
          m[1],
          decodeURIComponent(m[2]),
          req.method === 'PUT' ? body : undefined,
        );
      m = ROUTES.dashboard.exec(path);
      if (m && req.method === 'POST')
        return await this.createDashboard(
          req,
          res,
          m[1],
          decodeURIComponent(m[2]),
          body,
        );
      if (m)
        return await this.describeDashboard(
          req,
          res,
          caller,
          path + url.search,
        );
      m = ROUTES.embed.exec(path);
      if (m) return await this.embedUrl(req, res, caller, m[1], body);
      return notFound(res, `No QuickSight operation at ${path}`);
    } catch (error) {
      return sendError(
        res,
        500,
        'InternalFailureException',
        (error as Error).message,
      );
    }
  }

  private createDataSet(res: ServerResponse, accountId: string, body: Buffer) {
    const input = JSON.parse(body.toString('utf8') || '{}');
    if (
      !input.DataSetId ||
      !input.Name ||
      !input.PhysicalTableMap ||
      !input.ImportMode
    )
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'DataSetId, Name, PhysicalTableMap and ImportMode are required.',
      );
    if (
      this.state.data.dataSets.some(
        d => d.accountId === accountId && d.DataSetId === input.DataSetId,
      )
    )
      return sendError(
        res,
        409,
        'ResourceExistsException',
        `Data set ${input.DataSetId} already exists.`,
      );
    const now = this.now() / 1000;
    const record: DataSetRecord = {
      accountId,
      DataSetId: input.DataSetId,
      Name: input.Name,
      Arn: `arn:aws:quicksight:us-east-1:${accountId}:dataset/${input.DataSetId}`,
      ImportMode: input.ImportMode,
      PhysicalTableMap: input.PhysicalTableMap,
      LogicalTableMap: input.LogicalTableMap,
      CreatedTime: now,
      LastUpdatedTime: now,
    };
    this.state.data.dataSets.push(record);
    this.state.save();
    const ingestion = input.ImportMode === 'SPICE' ? randomUUID() : undefined;
    return sendJson(res, 200, {
      Arn: record.Arn,
      DataSetId: record.DataSetId,
      IngestionArn: ingestion
        ? `${record.Arn}/ingestion/${ingestion}`
        : undefined,
      IngestionId: ingestion,
      RequestId: randomUUID(),
    });
  }

  private listDataSets(res: ServerResponse, accountId: string, url: URL) {
    const all = this.state.data.dataSets.filter(d => d.accountId === accountId);
    const max = Number(url.searchParams.get('max-results') ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'max-results must be between 1 and 100.',
      );
    const start = Number(url.searchParams.get('next-token') ?? 0) || 0;
    const page = all.slice(start, start + max);
    return sendJson(res, 200, {
      DataSetSummaries: page.map(d => ({
        Arn: d.Arn,
        DataSetId: d.DataSetId,
        Name: d.Name,
        CreatedTime: d.CreatedTime,
        LastUpdatedTime: d.LastUpdatedTime,
        ImportMode: d.ImportMode,
        RowLevelPermissionTagConfigurationApplied: false,
        ColumnLevelPermissionRulesApplied: false,
      })),
      NextToken: start + max < all.length ? String(start + max) : undefined,
      RequestId: randomUUID(),
    });
  }

  private describeDataSet(res: ServerResponse, accountId: string, id: string) {
    const d = this.state.data.dataSets.find(
      x => x.accountId === accountId && x.DataSetId === id,
    );
    if (!d) return notFound(res, `Data set ${id} not found.`);
    return sendJson(res, 200, {
      DataSet: {
        Arn: d.Arn,
        DataSetId: d.DataSetId,
        Name: d.Name,
        CreatedTime: d.CreatedTime,
        LastUpdatedTime: d.LastUpdatedTime,
        PhysicalTableMap: d.PhysicalTableMap,
        LogicalTableMap: d.LogicalTableMap,
        OutputColumns: outputColumns(d),
        ImportMode: d.ImportMode,
        ConsumedSpiceCapacityInBytes: 0,
      },
      RequestId: randomUUID(),
    });
  }

  /** Sends the request on through the router (so moto's journal keeps it), marked as passed. */
  private passThrough(req: IncomingMessage, body: Buffer) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(this.options.endpoint);
      const forward = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: {
            ...req.headers,
            [PASS_THROUGH_HEADER]: '1',
            'content-length': body.length,
          },
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', c => chunks.push(c));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 502,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      forward.on('error', reject);
      forward.end(body);
    });
  }

  private async createDashboard(
    req: IncomingMessage,
    res: ServerResponse,
    accountId: string,
    dashboardId: string,
    body: Buffer,
  ) {
    const input = JSON.parse(body.toString('utf8') || '{}');
    const arns: string[] = [
      ...(input.SourceEntity?.SourceTemplate?.DataSetReferences ?? []).map(
        (r: any) => r.DataSetArn,
      ),
      ...(input.Definition?.DataSetIdentifierDeclarations ?? []).map(
        (d: any) => d.DataSetArn,
      ),
    ].filter(Boolean);
    if (!validPermissions(input.Permissions))
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'Permissions must be 1–64 entries of { Principal, Actions (1–20) }.',
      );
    const unknown = arns.filter(
      a => !this.state.data.dataSets.some(d => d.Arn === a),
    );
    if (unknown.length)
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        `Unknown data sets: ${unknown.join(', ')}`,
      );
    const answer = await this.passThrough(req, body);
    if (answer.status < 300) {
      const arn = `arn:aws:quicksight:us-east-1:${accountId}:dashboard/${dashboardId}`;
      this.state.data.dashboardDataSets[arn] = arns;
      this.state.data.dashboardPermissions[arn] = applyPermissionChanges(
        [],
        input.Permissions,
      );
      this.state.save();
    }
    return sendRaw(res, answer.status, 'application/json', answer.body);
  }

  /**
   * ListDashboards from moto's dashboards, with epoch-second times and QuickSight's
   * paging (moto ignores max-results and next-token and answers everything at once).
   */
  private async listDashboards(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
    accountId: string,
    url: URL,
  ) {
    const max = Number(url.searchParams.get('max-results') ?? 100);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'max-results must be between 1 and 100.',
      );
    const token = url.searchParams.get('next-token');
    const start = token === null ? 0 : Number(token);
    if (!Number.isInteger(start) || start < 0)
      return sendError(
        res,
        400,
        'InvalidNextTokenException',
        'The next token is not valid.',
      );
    const answer = await callMoto(this.options.motoEndpoint, caller, {
      method: 'GET',
      path: `/accounts/${accountId}/dashboards`,
      headers: { authorization: String(req.headers.authorization ?? '') },
    });
    if (answer.status >= 300) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
      return undefined;
    }
    const all: Record<string, any>[] = (
      JSON.parse(answer.body).DashboardSummaryList ?? []
    ).sort((a: any, b: any) =>
      String(a.DashboardId).localeCompare(String(b.DashboardId)),
    );
    const page = all.slice(start, start + max);
    epochSecondsTimes(...page);
    return sendJson(res, 200, {
      DashboardSummaryList: page,
      NextToken: start + max < all.length ? String(start + max) : undefined,
      RequestId: randomUUID(),
    });
  }

  /**
   * DescribeDashboardPermissions (GET) and UpdateDashboardPermissions (PUT, grants then
   * revokes) of a dashboard moto knows; the permissions are the filler's own record.
   */
  private async dashboardPermissions(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
    accountId: string,
    dashboardId: string,
    update: Buffer | undefined,
  ) {
    const exists = await callMoto(this.options.motoEndpoint, caller, {
      method: 'GET',
      path: `/accounts/${accountId}/dashboards/${encodeURIComponent(
        dashboardId,
      )}`,
      headers: { authorization: String(req.headers.authorization ?? '') },
    });
    if (exists.status >= 300)
      return notFound(res, `Dashboard ${dashboardId} not found.`);
    const arn =
      JSON.parse(exists.body).Dashboard?.Arn ??
      `arn:aws:quicksight:us-east-1:${accountId}:dashboard/${dashboardId}`;
    const permissions = this.state.data.dashboardPermissions;
    if (update) {
      const input = JSON.parse(update.toString('utf8') || '{}');
      if (
        !validPermissions(input.GrantPermissions) ||
        !validPermissions(input.RevokePermissions)
      )
        return sendError(
          res,
          400,
          'InvalidParameterValueException',
          'GrantPermissions and RevokePermissions must be lists of { Principal, Actions }.',
        );
      permissions[arn] = applyPermissionChanges(
        permissions[arn] ?? [],
        input.GrantPermissions,
        input.RevokePermissions,
      );
      this.state.save();
    }
    return sendJson(res, 200, {
      DashboardId: dashboardId,
      DashboardArn: arn,
      Permissions: permissions[arn] ?? [],
      RequestId: randomUUID(),
    });
  }

  private async describeDashboard(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
    pathAndQuery: string,
  ) {
    const answer = await callMoto(this.options.motoEndpoint, caller, {
      method: 'GET',
      path: pathAndQuery,
      headers: { authorization: String(req.headers.authorization ?? '') },
    });
    if (answer.status >= 300) {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
      return;
    }
    const parsed = JSON.parse(answer.body);
    const dashboard = parsed.Dashboard ?? {};
    // moto writes these as date strings; QuickSight (and the SDK) use epoch seconds.
    epochSecondsTimes(dashboard, dashboard.Version ?? {});
    dashboard.Version = {
      ...dashboard.Version,
      DataSetArns: this.state.data.dashboardDataSets[dashboard.Arn] ?? [],
    };
    sendJson(res, 200, { ...parsed, Dashboard: dashboard, Status: undefined });
  }

  private async embedUrl(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
    accountId: string,
    body: Buffer,
  ) {
    const input = JSON.parse(body.toString('utf8') || '{}');
    const dashboardId =
      input.ExperienceConfiguration?.Dashboard?.InitialDashboardId;
    if (!input.UserArn || !dashboardId)
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'UserArn and ExperienceConfiguration.Dashboard.InitialDashboardId are required (only dashboard embedding is served locally).',
      );
    const lifetime = input.SessionLifetimeInMinutes ?? 600;
    if (lifetime < 15 || lifetime > 600)
      return sendError(
        res,
        400,
        'InvalidParameterValueException',
        'SessionLifetimeInMinutes must be 15–600.',
      );
    const user =
      /^arn:aws:quicksight:[\w-]+:(\d{12}):user\/([^/]+)\/(.+)$/.exec(
        input.UserArn,
      );
    const auth = { authorization: String(req.headers.authorization ?? '') };
    const userAnswer = user
      ? await callMoto(this.options.motoEndpoint, caller, {
          method: 'GET',
          path: `/accounts/${accountId}/namespaces/${
            user[2]
          }/users/${encodeURIComponent(user[3])}`,
          headers: auth,
        })
      : { status: 404, body: '' };
    if (userAnswer.status >= 300)
      return notFound(
        res,
        `User ${input.UserArn} is not a registered QuickSight user.`,
      );
    const dashboard = await callMoto(this.options.motoEndpoint, caller, {
      method: 'GET',
      path: `/accounts/${accountId}/dashboards/${encodeURIComponent(
        dashboardId,
      )}`,
      headers: auth,
    });
    if (dashboard.status >= 300)
      return notFound(res, `Dashboard ${dashboardId} not found.`);
    const code = randomBytes(24).toString('base64url');
    this.sessions.set(code, {
      accountId,
      dashboardId,
      userArn: input.UserArn,
      expiresAt: this.now() + EMBED_URL_TTL_MS,
      used: false,
    });
    return sendJson(res, 200, {
      EmbedUrl: `${this.options.endpoint}${EMBED_PATH}${encodeURIComponent(
        dashboardId,
      )}?code=${code}`,
      RequestId: randomUUID(),
    });
  }

  private async embedPage(res: ServerResponse, path: string, url: URL) {
    const code = url.searchParams.get('code') ?? '';
    const session = this.sessions.get(code);
    const dashboardId = decodeURIComponent(path.slice(EMBED_PATH.length));
    const refuse = (why: string) => {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><title>Embedding refused</title><p>${escape(why)}</p>`,
      );
    };
    if (!session || session.dashboardId !== dashboardId)
      return refuse('This embed URL is not valid.');
    if (session.used)
      return refuse('This embed URL was already used: ask for a new one.');
    if (this.now() > session.expiresAt)
      return refuse('This embed URL has expired: ask for a new one.');
    session.used = true;
    const caller: Caller = {
      accountId: session.accountId,
      arn: `arn:aws:iam::${session.accountId}:root`,
    };
    const auth = {
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIALOCALAWSTESTING/20260101/us-east-1/quicksight/aws4_request, SignedHeaders=host, Signature=0',
    };
    const got = await callMoto(this.options.motoEndpoint, caller, {
      method: 'GET',
      path: `/accounts/${session.accountId}/dashboards/${encodeURIComponent(
        dashboardId,
      )}`,
      headers: auth,
    });
    const dashboard =
      got.status < 300 ? JSON.parse(got.body).Dashboard ?? {} : {};
    const dataSets = (this.state.data.dashboardDataSets[dashboard.Arn] ?? [])
      .map(arn => this.state.data.dataSets.find(d => d.Arn === arn))
      .filter((d): d is DataSetRecord => !!d);
    const sections: string[] = [];
    const bars: { label: string; value: number }[] = [];
    for (const ds of dataSets) {
      for (const table of Object.values(ds.PhysicalTableMap)) {
        const t = table.RelationalTable;
        if (!t) continue;
        const rows = await this.recordCount(t.Schema, t.Name);
        if (rows !== undefined)
          bars.push({ label: `${t.Schema}.${t.Name}`, value: rows });
      }
      sections.push(
        `<section><h2>${escape(
          ds.Name,
        )}</h2><table><tr><th>Column</th><th>Type</th></tr>${outputColumns(ds)
          .map(
            c =>
              `<tr><td>${escape(c.Name)}</td><td>${escape(c.Type)}</td></tr>`,
          )
          .join('')}</table></section>`,
      );
    }
    const max = Math.max(1, ...bars.map(b => b.value));
    const chart = bars.length
      ? `<svg role="img" aria-label="Rows per table" width="760" height="${
          bars.length * 28 + 10
        }">${bars
          .map(
            (b, i) =>
              `<g transform="translate(0,${
                i * 28 + 5
              })"><text x="0" y="16" font-size="12">${escape(b.label)}</text>` +
              `<rect x="220" y="2" height="18" width="${Math.max(
                2,
                (b.value / max) * 400,
              )}" fill="#4a7ebb"></rect>` +
              `<text x="${
                226 + (b.value / max) * 400
              }" y="16" font-size="12">${b.value.toLocaleString(
                'en',
              )}</text></g>`,
          )
          .join('')}</svg>`
      : '<p>No row counts recorded for these tables.</p>';
    return sendRaw(
      res,
      200,
      'text/html; charset=utf-8',
      `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(
        dashboard.Name ?? dashboardId,
      )}</title>
<style>body{font-family:sans-serif;margin:1.5rem}table{border-collapse:collapse;margin-bottom:1rem}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}</style></head>
<body data-dashboard-id="${escape(dashboardId)}">
<h1>${escape(dashboard.Name ?? dashboardId)}</h1>
<p>Local QuickSight dashboard (Data Mesh Portal local AWS), shown to ${escape(
        session.userArn,
      )}.</p>
<h2>Rows per table</h2>${chart}
${sections.join('\n')}
</body></html>`,
      { 'cache-control': 'no-store' },
    );
  }

  /** The recordCount the Glue catalog holds for a table (product data sits in the producer account). */
  private async recordCount(database: string | undefined, table: string) {
    if (!database) return undefined;
    for (const accountId of [
      LOCAL_AWS_ACCOUNTS.producer,
      LOCAL_AWS_ACCOUNTS.governance,
    ]) {
      const got = await callMoto(
        this.options.motoEndpoint,
        { accountId, arn: '' },
        {
          method: 'POST',
          path: '/',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': 'AWSGlue.GetTable',
            authorization:
              'AWS4-HMAC-SHA256 Credential=AKIALOCALAWSTESTING/20260101/us-east-1/glue/aws4_request, SignedHeaders=host, Signature=0',
          },
          body: JSON.stringify({ DatabaseName: database, Name: table }),
        },
      );
      if (got.status < 300) {
        const count = Number(
          JSON.parse(got.body).Table?.Parameters?.recordCount,
        );
        return Number.isFinite(count) ? count : undefined;
      }
    }
    return undefined;
  }
}
