import type { IncomingHttpHeaders } from 'node:http';

/**
 * Names the operation of a request the router sends past the DataZone stand-in (moto or
 * a gap filler), as far as the request line and headers tell it without reading the
 * body: awsJson targets (`X-Amz-Target: AWSGlue.GetTables` → `GetTables`), Lake
 * Formation's `POST /<Operation>`, awsQuery `Action=` in the query string, and the S3
 * operations the suite uses. Anything else is named by method and first path segment,
 * so it still counts and can still be faulted.
 */
export function operationOf(
  service: string | undefined,
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) {
    return target.slice(target.lastIndexOf('.') + 1);
  }
  const parsed = new URL(url, 'http://localhost');
  const action = parsed.searchParams.get('Action');
  if (action) return action;
  const segments = parsed.pathname.split('/').filter(Boolean);
  if (service === 'lakeformation' && segments.length === 1) return segments[0];
  if (service === 's3')
    return s3Operation(method, segments, parsed.searchParams);
  if (segments.length === 0) return method;
  return `${method} /${segments[0]}`;
}

const S3_BUCKET_SUBRESOURCES: Record<string, [string, string, string]> = {
  // query key: [GET, PUT, DELETE] operation names
  encryption: [
    'GetBucketEncryption',
    'PutBucketEncryption',
    'DeleteBucketEncryption',
  ],
  versioning: ['GetBucketVersioning', 'PutBucketVersioning', ''],
  tagging: ['GetBucketTagging', 'PutBucketTagging', 'DeleteBucketTagging'],
  publicAccessBlock: [
    'GetPublicAccessBlock',
    'PutPublicAccessBlock',
    'DeletePublicAccessBlock',
  ],
  policy: ['GetBucketPolicy', 'PutBucketPolicy', 'DeleteBucketPolicy'],
  location: ['GetBucketLocation', '', ''],
};

function s3Operation(
  method: string,
  segments: string[],
  query: URLSearchParams,
): string {
  if (segments.length === 0) return method === 'GET' ? 'ListBuckets' : method;
  if (segments.length === 1) {
    for (const [key, names] of Object.entries(S3_BUCKET_SUBRESOURCES)) {
      if (query.has(key)) {
        const index = ['GET', 'PUT', 'DELETE'].indexOf(method);
        if (index >= 0 && names[index]) return names[index];
      }
    }
    if (method === 'GET')
      return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    return `${method} bucket`;
  }
  if (query.has('tagging'))
    return method === 'GET' ? 'GetObjectTagging' : 'PutObjectTagging';
  switch (method) {
    case 'GET':
      return 'GetObject';
    case 'PUT':
      return 'PutObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return `${method} object`;
  }
}

/** An error answer in the wire encoding of one service's protocol. */
export interface ErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type Protocol = 'restJson1' | 'awsJson1_1' | 'restXml' | 'awsQuery';

const PROTOCOL: Record<string, Protocol> = {
  datazone: 'restJson1',
  lakeformation: 'restJson1',
  quicksight: 'restJson1',
  glue: 'awsJson1_1',
  athena: 'awsJson1_1',
  s3: 'restXml',
  sts: 'awsQuery',
  iam: 'awsQuery',
};

/**
 * What each service answers when it throttles, as the SDKs recognise it
 * (aws-api-notes §2.2, §4.3): DataZone and QuickSight `ThrottlingException` 429, Lake
 * Formation `ThrottledException` 429, Glue `ThrottlingException` 400, Athena
 * `TooManyRequestsException` 400, S3 `SlowDown` 503, STS/IAM `Throttling` 400.
 */
const THROTTLE: Record<string, { name: string; status: number }> = {
  datazone: { name: 'ThrottlingException', status: 429 },
  quicksight: { name: 'ThrottlingException', status: 429 },
  lakeformation: { name: 'ThrottledException', status: 429 },
  glue: { name: 'ThrottlingException', status: 400 },
  athena: { name: 'TooManyRequestsException', status: 400 },
  s3: { name: 'SlowDown', status: 503 },
  sts: { name: 'Throttling', status: 400 },
  iam: { name: 'Throttling', status: 400 },
};

/** Each service's name for an internal error. */
const INTERNAL: Record<string, string> = {
  datazone: 'InternalServerException',
  quicksight: 'InternalFailureException',
  lakeformation: 'InternalServiceException',
  glue: 'InternalServiceException',
  athena: 'InternalServerException',
  s3: 'InternalError',
  sts: 'InternalFailure',
  iam: 'ServiceFailure',
};

export function throttleAnswer(
  service: string | undefined,
  requestId: string,
): ErrorAnswer {
  const t = THROTTLE[service ?? ''] ?? {
    name: 'ThrottlingException',
    status: 429,
  };
  const message =
    service === 's3' ? 'Please reduce your request rate.' : 'Rate exceeded';
  return errorAnswer(service, t.status, t.name, message, requestId);
}

export function serverErrorAnswer(
  service: string | undefined,
  status: number,
  requestId: string,
): ErrorAnswer {
  let name = INTERNAL[service ?? ''] ?? 'InternalFailure';
  if (status === 503) {
    name =
      service === 's3' ? 'ServiceUnavailable' : 'ServiceUnavailableException';
  }
  return errorAnswer(
    service,
    status,
    name,
    'Injected by the local AWS fault injection.',
    requestId,
  );
}

export function errorAnswer(
  service: string | undefined,
  status: number,
  name: string,
  message: string,
  requestId: string,
): ErrorAnswer {
  const protocol = PROTOCOL[service ?? ''] ?? 'restJson1';
  switch (protocol) {
    case 'awsJson1_1':
      return {
        status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ __type: name, Message: message }),
      };
    case 'restXml':
      return {
        status,
        headers: {
          'content-type': 'application/xml',
          'x-amz-request-id': requestId,
        },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${name}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId><HostId>local-aws</HostId></Error>`,
      };
    case 'awsQuery':
      return {
        status,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>${
          status >= 500 ? 'Receiver' : 'Sender'
        }</Type><Code>${name}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    default:
      return {
        status,
        headers: {
          'content-type': 'application/json',
          'x-amzn-errortype': name,
          'x-amzn-requestid': requestId,
        },
        body: JSON.stringify({ message }),
      };
  }
}
