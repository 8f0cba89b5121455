/**
 * One log line with fields: `msg` and, where they apply, the station's `identity`, the OCPP message
 * id (`ocppMessageId`) and the `action`. Never a password, a key or a frame's full text.
 */
export interface LogLine {
  msg: string;
  identity?: string;
  ocppMessageId?: string;
  action?: string;
  [field: string]: unknown;
}

export type LogMessage = string | LogLine;

/** Where the edge says what happens (Nest's Logger on pino in the service; a recorder in tests). */
export interface EdgeLogger {
  log(message: LogMessage): void;
  warn(message: LogMessage): void;
  error(message: LogMessage): void;
  /** One line per stored frame (LOG_LEVEL=debug). */
  debug(message: LogMessage): void;
}

export const EDGE_LOGGER = Symbol('EdgeLogger');
