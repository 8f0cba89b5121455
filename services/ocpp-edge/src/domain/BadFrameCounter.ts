/**
 * Counts a connection's bad frames (not OCPP-J, or a CALL that breaks its schema). The connection is
 * closed when `limit` bad frames come in a row; a good frame starts the count again, so a station
 * with one odd message now and then stays connected while one that sends nothing usable does not.
 */
export class BadFrameCounter {
  private inARow = 0;
  private total = 0;

  constructor(readonly limit: number) {}

  /** Records a bad frame; true when the connection must now be closed. */
  bad(): boolean {
    this.inARow++;
    this.total++;
    return this.inARow >= this.limit;
  }

  good(): void {
    this.inARow = 0;
  }

  get count(): number {
    return this.total;
  }
}
