import type { GapFiller } from '../router';
import { GlueCrawlerFiller } from './glueCrawlers';
import { QuickSightFiller } from './quickSight';

export { GlueCrawlerFiller } from './glueCrawlers';
export {
  QuickSightFiller,
  EMBED_PATH,
  EMBED_URL_TTL_MS,
  PASS_THROUGH_HEADER,
} from './quickSight';

/** The gap fillers every local AWS runs: crawlers that finish, QuickSight data sets and embedding. */
export function defaultGapFillers(options: {
  endpoint: string;
  motoEndpoint: string;
  region: string;
  crawlStateFile?: string;
  quickSightStateFile?: string;
}): GapFiller[] {
  return [
    new GlueCrawlerFiller({
      endpoint: options.endpoint,
      motoEndpoint: options.motoEndpoint,
      region: options.region,
      stateFile: options.crawlStateFile,
    }),
    new QuickSightFiller({
      endpoint: options.endpoint,
      motoEndpoint: options.motoEndpoint,
      stateFile: options.quickSightStateFile,
    }),
  ];
}
