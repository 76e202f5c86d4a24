import fs from 'node:fs';
import path from 'node:path';
import { startPortal } from './portal';

export const stateFile = path.join(__dirname, '..', 'node_modules', '.cache', 'dmp-e2e-portal.json');

export default async function globalSetup() {
  const portal = await startPortal();
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(stateFile, JSON.stringify({ ...portal, stop: undefined }));
  process.env.DMP_E2E_APP_URL = portal.appUrl;
  process.env.DMP_E2E_BACKEND_URL = portal.backendUrl;
  process.env.DMP_E2E_AWS_ENDPOINT = portal.awsEndpoint;
  process.env.DMP_E2E_DATAZONE_DOMAIN_ID = portal.dataZoneDomainId;
  return async () => {
    await portal.stop();
    fs.rmSync(portal.dataDir, { recursive: true, force: true });
  };
}
