// A QuickSight wire stub (restJson1, the paths and shapes of the SDK's
// operation schemas) for what the local AWS does not serve yet: the real
// QuickSight client talks to it over HTTP.

import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface StubDashboard {
  id: string;
  name: string;
  lastUpdated: Date;
  dataSetIds: string[];
  owners: string[];
}

export interface QuickSightStubState {
  accountId: string;
  dashboards: StubDashboard[];
  dataSets: Record<
    string,
    { name: string; physicalTableMap: Record<string, unknown> }
  >;
  users: Array<{ userName: string; email: string; active?: boolean }>;
  /** Every call: `<METHOD> <path>`. */
  calls: string[];
  /** Embed URL requests as received (bodies). */
  embedRequests: Array<Record<string, unknown>>;
  /** Answer every call with this status (an outage). */
  failWith?: number;
  pageSize: number;
}

export async function startQuickSightStub(
  state: Omit<QuickSightStubState, 'calls' | 'embedRequests' | 'pageSize'> & {
    pageSize?: number;
  },
) {
  const s: QuickSightStubState = {
    calls: [],
    embedRequests: [],
    pageSize: 2,
    ...state,
  };
  const region = 'us-east-1';
  const arn = (what: string) =>
    `arn:aws:quicksight:${region}:${s.accountId}:${what}`;
  const epoch = (d: Date) => d.getTime() / 1000;
  let embedCount = 0;

  const page = <T>(items: T[], url: URL) => {
    const size = Math.min(
      Number(url.searchParams.get('max-results') ?? 100),
      s.pageSize,
    );
    const start = Number(url.searchParams.get('next-token') ?? 0);
    const next = start + size < items.length ? String(start + size) : undefined;
    return { items: items.slice(start, start + size), next };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const path = url.pathname;
      s.calls.push(`${req.method} ${path}`);
      const send = (status: number, body: unknown, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': 'stub-request',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(JSON.stringify(body));
      };
      const notFound = (what: string) =>
        send(
          404,
          { Message: `${what} not found`, RequestId: 'stub-request' },
          'ResourceNotFoundException',
        );
      if (s.failWith) {
        send(
          s.failWith,
          { Message: 'We encountered an internal error. Please try again.' },
          'InternalFailureException',
        );
        return;
      }
      const prefix = `/accounts/${s.accountId}`;
      const match = (pattern: string) =>
        new RegExp(`^${prefix}${pattern}$`).exec(path);
      const permissions = match('/dashboards/([\\w-]+)/permissions');
      const dashboard = match('/dashboards/([\\w-]+)');
      const dataSet = match('/data-sets/([\\w-]+)');
      const userByName = match('/namespaces/default/users/([^/]+)');
      if (req.method === 'GET' && path === `${prefix}/dashboards`) {
        const { items, next } = page(s.dashboards, url);
        send(200, {
          DashboardSummaryList: items.map(d => ({
            Arn: arn(`dashboard/${d.id}`),
            DashboardId: d.id,
            Name: d.name,
            CreatedTime: epoch(d.lastUpdated),
            LastUpdatedTime: epoch(d.lastUpdated),
            LastPublishedTime: epoch(d.lastUpdated),
            PublishedVersionNumber: 1,
          })),
          NextToken: next,
          RequestId: 'stub-request',
        });
      } else if (req.method === 'GET' && permissions) {
        const d = s.dashboards.find(x => x.id === permissions[1]);
        if (!d) {
          notFound('Dashboard');
          return;
        }
        send(200, {
          DashboardId: d.id,
          DashboardArn: arn(`dashboard/${d.id}`),
          Permissions: [
            ...d.owners.map(o => ({
              Principal: arn(`user/default/${o}`),
              Actions: [
                'quicksight:DescribeDashboard',
                'quicksight:UpdateDashboardPermissions',
                'quicksight:DeleteDashboard',
              ],
            })),
            {
              Principal: arn('group/default/viewers'),
              Actions: ['quicksight:DescribeDashboard'],
            },
          ],
          RequestId: 'stub-request',
        });
      } else if (req.method === 'GET' && dashboard) {
        const d = s.dashboards.find(x => x.id === dashboard[1]);
        if (!d) {
          notFound('Dashboard');
          return;
        }
        send(200, {
          Dashboard: {
            DashboardId: d.id,
            Arn: arn(`dashboard/${d.id}`),
            Name: d.name,
            Version: {
              VersionNumber: 1,
              Status: 'CREATION_SUCCESSFUL',
              DataSetArns: d.dataSetIds.map(id => arn(`dataset/${id}`)),
            },
            LastUpdatedTime: epoch(d.lastUpdated),
          },
          RequestId: 'stub-request',
        });
      } else if (req.method === 'GET' && dataSet) {
        const ds = s.dataSets[dataSet[1]];
        if (!ds) {
          notFound('Data set');
          return;
        }
        send(200, {
          DataSet: {
            DataSetId: dataSet[1],
            Arn: arn(`dataset/${dataSet[1]}`),
            Name: ds.name,
            PhysicalTableMap: ds.physicalTableMap,
            ImportMode: 'DIRECT_QUERY',
          },
          RequestId: 'stub-request',
        });
      } else if (req.method === 'GET' && userByName) {
        const name = decodeURIComponent(userByName[1]);
        const user = s.users.find(u => u.userName === name);
        if (!user) {
          notFound('User');
          return;
        }
        send(200, { User: toUser(user), RequestId: 'stub-request' });
      } else if (
        req.method === 'GET' &&
        path === `${prefix}/namespaces/default/users`
      ) {
        const { items, next } = page(s.users, url);
        send(200, {
          UserList: items.map(toUser),
          NextToken: next,
          RequestId: 'stub-request',
        });
      } else if (
        req.method === 'POST' &&
        path === `${prefix}/embed-url/registered-user`
      ) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        s.embedRequests.push(body);
        embedCount++;
        send(200, {
          EmbedUrl: `https://us-east-1.quicksight.aws.amazon.com/embed/stub${embedCount}/dashboards/${body.ExperienceConfiguration.Dashboard.InitialDashboardId}?code=secret-${embedCount}`,
          RequestId: 'stub-request',
        });
      } else {
        send(
          404,
          { Message: `stub: no route ${req.method} ${path}` },
          'UnknownOperationException',
        );
      }
    });
  });
  function toUser(u: QuickSightStubState['users'][number]) {
    return {
      Arn: arn(`user/default/${u.userName}`),
      UserName: u.userName,
      Email: u.email,
      Role: 'READER',
      IdentityType: 'QUICKSIGHT',
      Active: u.active ?? true,
      PrincipalId: `federated/iam/${u.userName}`,
    };
  }
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    state: s,
    stop: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
