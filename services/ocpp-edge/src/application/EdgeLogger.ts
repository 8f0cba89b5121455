/** Where the edge says what happens (Nest's Logger in the service; a recorder in tests). */
export interface EdgeLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const EDGE_LOGGER = Symbol('EdgeLogger');
