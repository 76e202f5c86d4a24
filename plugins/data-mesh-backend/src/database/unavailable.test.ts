import express from 'express';
import request from 'supertest';
import { databaseUnavailableHandler, isDatabaseUnavailable } from './unavailable';

describe('databaseUnavailableHandler', () => {
  it('recognises a lost connection, not a failing query', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('relation "x" does not exist'), { code: '42P01' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    // The auth plugin's user info failing on its own database, as the caller sees it.
    const upstream = Object.assign(new Error('Request failed with 500 Internal Server Error'), {
      name: 'ResponseError',
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { name: 'Error' }),
    });
    expect(isDatabaseUnavailable(upstream)).toBe(true);
  });

  it('answers 503 without the driver message when the database is down, and passes other errors on', async () => {
    const app = express();
    app.get('/down', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' });
    });
    app.get('/bug', () => {
      throw new Error('boom');
    });
    app.use(databaseUnavailableHandler());
    // What Backstage's error middleware does with the error it receives.
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res
        .status(error.name === 'ServiceUnavailableError' ? 503 : 500)
        .json({ error: { name: error.name, message: error.message } });
    });

    const down = await request(app).get('/down');
    expect(down.status).toBe(503);
    expect(down.body.error.message).toBe('The portal database is unavailable; try again shortly');
    expect(JSON.stringify(down.body)).not.toContain('10.0.0.7');
    expect((await request(app).get('/bug')).status).toBe(500);
  });
});
