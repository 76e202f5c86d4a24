import {
  ConflictError,
  ForwardedError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * What was being done when an AWS call failed, for the error message.
 *
 * @public
 */
export interface AwsErrorContext {
  /** The operation, e.g. `DataZone GetListing`. */
  operation?: string;
  /** The object it was about, e.g. `listing abc in domain dzd_1`. */
  resource?: string;
}

// Error names as the SDK reports them (the wire error code, or the modeled
// exception's name). Both spellings where they differ (IAM's `NoSuchEntity`
// code is modeled as `NoSuchEntityException`).
const VALIDATION = new Set([
  'ValidationException',
  'InvalidInputException',
  'InvalidParameterException',
  'InvalidParameterValueException',
  'InvalidParameterCombinationException',
  'InvalidRequestException',
  'InvalidArgument',
  'InvalidBucketName',
  'MalformedPolicyDocument',
  'MalformedPolicyDocumentException',
  'BadRequestException',
]);
const NOT_FOUND = new Set([
  'ResourceNotFoundException',
  'EntityNotFoundException',
  'NoSuchBucket',
  'NoSuchKey',
  'NotFound',
  'NoSuchEntity',
  'NoSuchEntityException',
  'QuickSightUserNotFoundException',
]);
const CONFLICT = new Set([
  'ConflictException',
  'AlreadyExistsException',
  'BucketAlreadyOwnedByYou',
  'BucketAlreadyExists',
  'EntityAlreadyExists',
  'EntityAlreadyExistsException',
  'ResourceExistsException',
  'ConcurrentModificationException',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedException',
  'UnauthorizedOperation',
  'NotAuthorized',
  // The backend's own credentials were refused.
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
]);
// What the SDK's retry strategy treats as throttling or transient, and so
// has already retried by the time the error reaches us.
const UNAVAILABLE = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'PriorRequestNotComplete',
  'TransactionInProgressException',
  'InternalServerException',
  'InternalServiceException',
  'InternalFailure',
  'InternalFailureException',
  'InternalError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailureException',
  'OperationTimeoutException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// Errors that already are Backstage's: they crossed this mapping before.
const BACKSTAGE_ERROR_NAMES = new Set([
  'InputError',
  'AuthenticationError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'NotModifiedError',
  'NotImplementedError',
  'ServiceUnavailableError',
]);

interface AwsErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

// Access key ids (AKIA…, ASIA…) and signature material must not reach a
// response body or a log line through our message.
function redactCredentials(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1****')
    .replace(
      /(Signature|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=[^&\s"']+/gi,
      '$1=****',
    );
}

function describe(
  error: AwsErrorShape,
  context: AwsErrorContext | undefined,
): string {
  const what = context?.operation ?? 'AWS call';
  const about = context?.resource ? ` (${context.resource})` : '';
  const name = typeof error.name === 'string' ? error.name : 'Error';
  const message = typeof error.message === 'string' ? error.message : '';
  // HEAD responses have no body, so the SDK's message is just "UnknownError".
  const detail =
    message && message !== 'UnknownError' ? `${name}: ${message}` : name;
  return redactCredentials(`${what}${about} failed: ${detail}`);
}

// The original is attached after construction, not passed to the
// constructor: CustomErrorBase would append the cause's unredacted message
// ("; caused by …", repeating ours), and an enumerable `cause` is serialized
// with every field the SDK put on it into HTTP error responses. As a
// non-enumerable property it stays available to code and debuggers.
function withCause<T extends Error>(mapped: T, original: unknown): T {
  Object.defineProperty(mapped, 'cause', {
    value: original,
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return mapped;
}

/**
 * Turns an error from an AWS SDK v3 call into the matching `@backstage/errors`
 * type, the one place where this happens:
 *
 * | AWS | Backstage |
 * |---|---|
 * | validation (`ValidationException`, `InvalidInputException`, …) | `InputError` (400) |
 * | access denied (`AccessDeniedException`, `AccessDenied`, `UnauthorizedException`, QuickSight's 401, refused credentials) | `NotAllowedError` (403) |
 * | not found (`ResourceNotFoundException`, `EntityNotFoundException`, `NoSuchBucket`, `NotFound`, `NoSuchEntity`, any 404) | `NotFoundError` (404) |
 * | conflict (`ConflictException`, `AlreadyExistsException`, `BucketAlreadyOwnedByYou`, `EntityAlreadyExists`, any 409) | `ConflictError` (409) |
 * | throttling, 5xx, timeouts and network failures (already retried by the SDK) | `ServiceUnavailableError` (503) |
 * | anything else | `ForwardedError` (keeps the original name; 500) |
 *
 * The original error is always kept as `cause` (non-enumerable, so HTTP error
 * responses carry only our message, not the SDK's raw fields). The message
 * names the operation and the AWS error, with access key ids and signatures
 * redacted.
 * Errors that already are `@backstage/errors` types are returned unchanged.
 * Returns the error; the caller throws it: `throw mapAwsError(e, { … })`.
 *
 * @public
 */
export function mapAwsError(error: unknown, context?: AwsErrorContext): Error {
  if (typeof error !== 'object' || error === null) {
    return withCause(
      new ForwardedError(
        redactCredentials(
          `${context?.operation ?? 'AWS call'} failed: ${String(error)}`,
        ),
        undefined,
      ),
      error,
    );
  }
  const shape = error as AwsErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const isSdkError =
    shape.$metadata !== undefined || shape.$fault !== undefined;
  if (BACKSTAGE_ERROR_NAMES.has(name) && !isSdkError) {
    return error as Error;
  }

  const status =
    typeof shape.$metadata?.httpStatusCode === 'number'
      ? shape.$metadata.httpStatusCode
      : undefined;
  const message = describe(shape, context);

  // Names first: Glue and STS throttle with a 400 and QuickSight denies with
  // a 401, so the status code alone would mislead.
  if (UNAVAILABLE.has(name) || shape.$retryable?.throttling === true) {
    return withCause(new ServiceUnavailableError(message), error);
  }
  if (VALIDATION.has(name)) {
    return withCause(new InputError(message), error);
  }
  if (NOT_FOUND.has(name)) {
    return withCause(new NotFoundError(message), error);
  }
  if (CONFLICT.has(name)) {
    return withCause(new ConflictError(message), error);
  }
  if (ACCESS_DENIED.has(name)) {
    return withCause(new NotAllowedError(message), error);
  }
  if (typeof shape.code === 'string' && NETWORK_ERROR_CODES.has(shape.code)) {
    return withCause(new ServiceUnavailableError(message), error);
  }
  if (status !== undefined) {
    if (status === 429 || status >= 500) {
      return withCause(new ServiceUnavailableError(message), error);
    }
    if (status === 404) {
      return withCause(new NotFoundError(message), error);
    }
    if (status === 409) {
      return withCause(new ConflictError(message), error);
    }
    if (status === 401 || status === 403) {
      return withCause(new NotAllowedError(message), error);
    }
  }
  // ForwardedError takes its name from the cause; keep the AWS error's name
  // so callers can still tell what AWS said.
  const forwarded = withCause(new ForwardedError(message, undefined), error);
  forwarded.name = name || 'Error';
  return forwarded;
}
