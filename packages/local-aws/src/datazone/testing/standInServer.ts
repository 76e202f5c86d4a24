import http from 'node:http';
import { DataZoneStandIn } from '../server';
import { DataZoneStore } from '../store';
import { CallerRegistry } from '../../callers';
import { sigV4Scope } from '../../sigv4';
import type { AwsEffects } from '../effects';

/**
 * The stand-in alone on a loopback port (no moto), for fast contract tests. `effects`
 * stands in for Glue and Lake Formation (see FakeAwsEffects); `callers` lets a test
 * register access keys for other principals.
 */
export async function startStandInServer(
  store = new DataZoneStore(),
  effects?: AwsEffects,
) {
  const standIn = new DataZoneStandIn(store, 'us-east-1', effects);
  const callers = new CallerRegistry();
  const server = http.createServer((req, res) => {
    void standIn.handle(
      req,
      res,
      callers.resolve(sigV4Scope(req.headers, req.url ?? '/')?.accessKeyId),
    );
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    standIn,
    store,
    callers,
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
