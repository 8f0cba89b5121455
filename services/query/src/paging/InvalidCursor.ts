/**
 * A cursor this service did not issue, or one that belongs to another list: the caller's mistake,
 * answered 400 with this message (never a silent restart from the beginning).
 */
export class InvalidCursor extends RangeError {
  override readonly name = 'InvalidCursor';

  constructor(reason = 'cursor is not one this service issued: start without it, then pass each page\'s nextCursor unchanged') {
    super(reason);
  }
}
