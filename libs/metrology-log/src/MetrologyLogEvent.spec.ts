import { isMetrologyLogEvent, METROLOGY_LOG_EVENTS } from './MetrologyLogEvent';

describe('METROLOGY_LOG_EVENTS', () => {
  it("lists the manual's twenty events once each", () => {
    expect(new Set(METROLOGY_LOG_EVENTS).size).toBe(20);
    expect(METROLOGY_LOG_EVENTS).toContain('MeterReplaced');
  });

  it('tells events from other values', () => {
    expect(isMetrologyLogEvent('ClockSync')).toBe(true);
    expect(isMetrologyLogEvent('clocksync')).toBe(false);
    expect(isMetrologyLogEvent(7)).toBe(false);
  });
});
