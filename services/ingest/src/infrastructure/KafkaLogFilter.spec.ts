import { logLevel } from 'kafkajs';
import { KafkaLogFilter } from './KafkaLogFilter';

describe('KafkaLogFilter', () => {
  const entry = (level: logLevel, message: string, extra: Record<string, unknown> = {}) => ({ namespace: 'Connection', level, label: 'ERROR', log: { timestamp: 't', logger: 'kafkajs', message, ...extra } });

  it('holds back the transient errors of a young broker, counting them, and passes on everything else', () => {
    const sink = { error: jest.fn(), warn: jest.fn(), log: jest.fn(), debug: jest.fn() };
    const filter = new KafkaLogFilter(sink);
    const write = filter.logCreator(logLevel.WARN);
    write(entry(logLevel.ERROR, 'Response GroupCoordinator(key: 10, version: 2)', { error: 'The group coordinator is not available', correlationId: 3 }));
    write(entry(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)', { error: 'This server does not host this topic-partition' }));
    write(entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:19092', { stack: 'Error: …' }));
    write(entry(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available'));
    write(entry(logLevel.ERROR, 'Restarting the consumer in 300ms'));
    write(entry(logLevel.ERROR, 'SASL PLAIN authentication failed'));
    write(entry(logLevel.WARN, 'consumer#run was called, but the consumer is already running'));
    expect(filter.takeHeldBack()).toBe(5);
    expect(filter.takeHeldBack()).toBe(0);
    expect(sink.error).toHaveBeenCalledTimes(1);
    expect(sink.error).toHaveBeenCalledWith('[Connection] SASL PLAIN authentication failed');
    expect(sink.warn).toHaveBeenCalledTimes(1);
  });
});
