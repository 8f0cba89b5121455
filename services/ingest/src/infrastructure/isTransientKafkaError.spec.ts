import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError } from 'kafkajs';
import { isTransientKafkaError } from './isTransientKafkaError';

// kafkajs's typings declare no constructor arguments for this error; at run time it takes the message.
const saslFailure = (message: string) => new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)(message);

describe('isTransientKafkaError', () => {
  const notHosted = new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' } as never);

  it.each([
    ['a young broker not hosting the partition yet', notHosted],
    ['the group coordinator not available', new KafkaJSProtocolError({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE', code: 15, retriable: true, message: 'The group coordinator is not available' } as never)],
    ['a refused connection', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:19092', { code: 'ECONNREFUSED' })],
    ['kafkajs giving up its own retries of something retriable', new KafkaJSNumberOfRetriesExceeded(notHosted, { retryCount: 5, retryTime: 1000 })],
    ['a socket error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
  ])('waits out %s', (_what, error) => {
    expect(isTransientKafkaError(error)).toBe(true);
  });

  it.each([
    ['failed authentication', saslFailure('SASL PLAIN authentication failed')],
    ['an invalid subscription', new KafkaJSNonRetriableError('Invalid topic 42')],
    ['a programming error', new TypeError('x is not a function')],
    ['not an error at all', 'down'],
  ])('does not wait out %s', (_what, error) => {
    expect(isTransientKafkaError(error)).toBe(false);
  });
});
