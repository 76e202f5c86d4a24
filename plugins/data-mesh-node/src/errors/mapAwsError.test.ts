import {
  AccessDeniedException,
  ConflictException,
  DataZoneServiceException,
  InternalServerException,
  ResourceNotFoundException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-datazone';
import {
  AlreadyExistsException,
  EntityNotFoundException,
  ThrottlingException as GlueThrottlingException,
} from '@aws-sdk/client-glue';
import {
  EntityAlreadyExistsException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import {
  AccessDeniedException as QuickSightAccessDeniedException,
  LimitExceededException,
} from '@aws-sdk/client-quicksight';
import {
  BucketAlreadyOwnedByYou,
  NoSuchBucket,
  NotFound,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { ThrottledException } from '@aws-sdk/client-lakeformation';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  serializeError,
} from '@backstage/errors';
import { mapAwsError } from './mapAwsError';

const meta = (httpStatusCode: number) => ({
  $metadata: { httpStatusCode, requestId: 'req-1' },
});

describe('mapAwsError', () => {
  it.each([
    [
      'DataZone ValidationException',
      new ValidationException({ message: 'bad id', ...meta(400) }),
      InputError,
    ],
    [
      'DataZone ResourceNotFoundException',
      new ResourceNotFoundException({ message: 'no listing', ...meta(404) }),
      NotFoundError,
    ],
    [
      'Glue EntityNotFoundException',
      new EntityNotFoundException({ Message: 'no table', ...meta(400) } as any),
      NotFoundError,
    ],
    [
      'S3 NoSuchBucket',
      new NoSuchBucket({ message: 'no bucket', ...meta(404) }),
      NotFoundError,
    ],
    [
      'S3 HEAD NotFound',
      new NotFound({ message: 'UnknownError', ...meta(404) }),
      NotFoundError,
    ],
    [
      'IAM NoSuchEntity',
      new NoSuchEntityException({ message: 'no role', ...meta(404) }),
      NotFoundError,
    ],
    [
      'DataZone ConflictException',
      new ConflictException({ message: 'exists', ...meta(409) }),
      ConflictError,
    ],
    [
      'Glue AlreadyExistsException',
      new AlreadyExistsException({ Message: 'db exists', ...meta(400) } as any),
      ConflictError,
    ],
    [
      'S3 BucketAlreadyOwnedByYou',
      new BucketAlreadyOwnedByYou({ message: 'yours', ...meta(409) }),
      ConflictError,
    ],
    [
      'IAM EntityAlreadyExists',
      new EntityAlreadyExistsException({
        message: 'role exists',
        ...meta(409),
      }),
      ConflictError,
    ],
    [
      'DataZone AccessDeniedException',
      new AccessDeniedException({ message: 'denied', ...meta(403) }),
      NotAllowedError,
    ],
    [
      'QuickSight 401 AccessDeniedException',
      new QuickSightAccessDeniedException({
        Message: 'denied',
        ...meta(401),
      } as any),
      NotAllowedError,
    ],
    [
      'DataZone ThrottlingException',
      new ThrottlingException({ message: 'slow down', ...meta(429) }),
      ServiceUnavailableError,
    ],
    [
      'Glue ThrottlingException (HTTP 400)',
      new GlueThrottlingException({ Message: 'rate', ...meta(400) } as any),
      ServiceUnavailableError,
    ],
    [
      'Lake Formation ThrottledException',
      new ThrottledException({ Message: 'rate', ...meta(429) } as any),
      ServiceUnavailableError,
    ],
    [
      'DataZone InternalServerException',
      new InternalServerException({ message: 'oops', ...meta(500) }),
      ServiceUnavailableError,
    ],
  ])('%s', (_label, awsError, expectedType) => {
    const mapped = mapAwsError(awsError, { operation: 'Test call' });
    expect(mapped).toBeInstanceOf(expectedType);
    expect(mapped.cause).toBe(awsError);
    expect(
      mapped.message.startsWith(`Test call failed: ${awsError.name}`),
    ).toBe(true);
  });

  it('recognises unmodeled errors by name (STS and S3 AccessDenied)', () => {
    const accessDenied = new S3ServiceException({
      name: 'AccessDenied',
      $fault: 'client',
      message: 'Access Denied',
      ...meta(403),
    });
    expect(mapAwsError(accessDenied)).toBeInstanceOf(NotAllowedError);
  });

  it('falls back to the HTTP status for error names it does not know', () => {
    const unknownOf = (status: number) =>
      new DataZoneServiceException({
        name: 'SomethingNewException',
        $fault: status >= 500 ? 'server' : 'client',
        message: 'UnknownError',
        ...meta(status),
      });
    expect(mapAwsError(unknownOf(404))).toBeInstanceOf(NotFoundError);
    expect(mapAwsError(unknownOf(409))).toBeInstanceOf(ConflictError);
    expect(mapAwsError(unknownOf(403))).toBeInstanceOf(NotAllowedError);
    expect(mapAwsError(unknownOf(502))).toBeInstanceOf(ServiceUnavailableError);
    expect(mapAwsError(unknownOf(429))).toBeInstanceOf(ServiceUnavailableError);
  });

  it('treats a 5xx whose body could not be parsed as unavailable', () => {
    // What the SDK throws for an HTML 502 page from a proxy.
    const syntaxError = Object.assign(new SyntaxError('Unexpected token <'), {
      $metadata: { httpStatusCode: 502 },
    });
    expect(mapAwsError(syntaxError)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('treats network failures after retries as unavailable', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:4566'),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(mapAwsError(refused)).toBeInstanceOf(ServiceUnavailableError);
    const timeout = Object.assign(new Error('socket timed out'), {
      name: 'TimeoutError',
    });
    expect(mapAwsError(timeout)).toBeInstanceOf(ServiceUnavailableError);
  });

  it('wraps anything else, keeping the original name and cause', () => {
    const quota = new LimitExceededException({
      Message: 'too many users',
      ...meta(409),
    } as any);
    const mapped = mapAwsError(quota, { operation: 'QuickSight RegisterUser' });
    // 409 by status: QuickSight's quota error is a conflict with account state.
    expect(mapped).toBeInstanceOf(ConflictError);

    const odd = new DataZoneServiceException({
      name: 'ServiceQuotaExceededException',
      $fault: 'client',
      message: 'quota',
      ...meta(402),
    });
    const forwarded = mapAwsError(odd, { operation: 'DataZone CreateAsset' });
    expect(forwarded.name).toBe('ServiceQuotaExceededException');
    expect(forwarded.cause).toBe(odd);
    expect(forwarded.message).toBe(
      'DataZone CreateAsset failed: ServiceQuotaExceededException: quota',
    );

    const notAnError = mapAwsError('boom', { operation: 'Glue GetTable' });
    expect(notAnError.message).toBe('Glue GetTable failed: boom');
    expect(notAnError.cause).toBe('boom');
  });

  it('says which operation and object failed, without repeating itself', () => {
    const mapped = mapAwsError(
      new ResourceNotFoundException({
        message: 'Listing not found',
        ...meta(404),
      }),
      {
        operation: 'DataZone GetListing',
        resource: 'listing l1 in domain dzd_1',
      },
    );
    expect(mapped.message).toBe(
      'DataZone GetListing (listing l1 in domain dzd_1) failed: ResourceNotFoundException: Listing not found',
    );
    // A HEAD 404 has no body; "UnknownError" would only confuse.
    expect(
      mapAwsError(new NotFound({ message: 'UnknownError', ...meta(404) }), {
        operation: 'S3 HeadBucket',
      }).message,
    ).toBe('S3 HeadBucket failed: NotFound');
  });

  it('keeps credentials out of messages and serialized responses', () => {
    const s3Error = new S3ServiceException({
      name: 'SignatureDoesNotMatch',
      $fault: 'client',
      message:
        'The request signature we calculated does not match. Key AKIAIOSFODNN7EXAMPLE, url ?X-Amz-Signature=abcdef0123&X-Amz-Security-Token=FQoGZXIvYXdzEJr',
      ...meta(403),
    });
    // S3 copies the XML error's extra fields onto the exception.
    Object.assign(s3Error, {
      AWSAccessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      StringToSign: 'AWS4-HMAC-SHA256\n...',
    });
    const mapped = mapAwsError(s3Error, { operation: 'S3 PutObject' });
    expect(mapped).toBeInstanceOf(NotAllowedError);
    const serialized = JSON.stringify(
      serializeError(mapped, { includeStack: true }),
    );
    expect(serialized).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(serialized).not.toContain('abcdef0123');
    expect(serialized).not.toContain('FQoGZXIvYXdzEJr');
    expect(serialized).not.toContain('StringToSign');
    expect(mapped.message).toContain('AKIA****');
    // …while the original stays reachable for debugging.
    expect((mapped.cause as any).AWSAccessKeyId).toBe('AKIAIOSFODNN7EXAMPLE');
  });

  it('returns errors that are already Backstage errors unchanged', () => {
    const alreadyMapped = new NotFoundError('no such product');
    expect(mapAwsError(alreadyMapped)).toBe(alreadyMapped);
  });
});
