/**
 * DataZone's modeled errors, with the HTTP status each one carries on the wire. Handlers
 * throw these; the HTTP layer turns them into `x-amzn-errortype` + `{"message"}`.
 */
export type DataZoneErrorName =
  | 'AccessDeniedException'
  | 'ConflictException'
  | 'InternalServerException'
  | 'ResourceNotFoundException'
  | 'ServiceQuotaExceededException'
  | 'ThrottlingException'
  | 'UnauthorizedException'
  | 'ValidationException'
  // Not modeled by DataZone, but what a Smithy restJson1 server answers for a body it
  // cannot parse or a path that names no operation.
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'NotImplementedException';

const STATUS: Record<DataZoneErrorName, number> = {
  AccessDeniedException: 403,
  ConflictException: 409,
  InternalServerException: 500,
  ResourceNotFoundException: 404,
  ServiceQuotaExceededException: 402,
  ThrottlingException: 429,
  UnauthorizedException: 401,
  ValidationException: 400,
  SerializationException: 400,
  UnknownOperationException: 404,
  NotImplementedException: 501,
};

export class DataZoneError extends Error {
  readonly status: number;
  constructor(readonly errorName: DataZoneErrorName, message: string) {
    super(message);
    this.name = errorName;
    this.status = STATUS[errorName];
  }
}

export const validation = (message: string) =>
  new DataZoneError('ValidationException', message);

export const notFound = (message: string) =>
  new DataZoneError('ResourceNotFoundException', message);

export const conflict = (message: string) =>
  new DataZoneError('ConflictException', message);

export const accessDenied = (message: string) =>
  new DataZoneError('AccessDeniedException', message);
