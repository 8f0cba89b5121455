/**
 * OCPI 2.2.1 status codes (status_codes.asciidoc) and the response envelope every OCPI answer
 * carries (transport_and_format.asciidoc: data, status_code, status_message, timestamp).
 */
export const OCPI_STATUS = {
  success: 1000,
  clientError: 2000,
  invalidParameters: 2001,
  unknownToken: 2004,
  serverError: 3000,
  unableToUseClientApi: 3001,
  noMatchingEndpoints: 3003,
} as const;

export interface OcpiEnvelope<T = unknown> {
  data?: T;
  status_code: number;
  status_message?: string;
  timestamp: string;
}

export function ocpiEnvelope<T>(data: T | undefined, statusCode: number = OCPI_STATUS.success, statusMessage?: string, now: Date = new Date()): OcpiEnvelope<T> {
  const e: OcpiEnvelope<T> = { status_code: statusCode, timestamp: now.toISOString() };
  if (data !== undefined) e.data = data;
  if (statusMessage !== undefined) e.status_message = statusMessage;
  return e;
}

/** A refusal an OCPI endpoint answers in the envelope: HTTP status, OCPI status, and a message a person can act on. */
export class OcpiError extends Error {
  override readonly name = 'OcpiError';
  constructor(
    readonly httpStatus: number,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The OCPI version this service speaks. */
export const OCPI_VERSION = '2.2.1';
