import { X509Certificate } from 'node:crypto';

/** The SASL mechanisms the Kafka clients accept (KAFKA_SASL_MECHANISM); Strimzi's TLS listener uses scram-sha-512. */
export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How every kafkajs client of the service reaches the brokers: TLS with the cluster CA and SASL
 * credentials, each when configured. ONE such object per service, spread into every client's
 * configuration (`{ ...connection, clientId, brokers, … }`). Holds the password: never log it.
 */
export interface KafkaConnectionOptions {
  ssl?: { ca: string[]; rejectUnauthorized: true };
  sasl?: KafkaSasl;
}

/** SASL credentials, one type per mechanism (as kafkajs declares them). */
export type KafkaSasl = { [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string } }[KafkaSaslMechanism];

/** The four variables, as validated by the environment class (unset and empty are the same). */
export interface KafkaConnectionVariables {
  KAFKA_SASL_MECHANISM?: string;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SSL_CA_FILE?: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

/** Quotes a path for a message, bounded (a path is not a secret, but may be long). */
const quotePath = (path: string) => JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);

/**
 * The connection options from the variables, or the problems with them: the mechanism, user name and
 * password go together; the CA file must be readable and hold a PEM certificate. No problem text
 * holds the password (nor any file's content).
 */
export function kafkaConnectionOf(
  env: KafkaConnectionVariables,
  readText: (path: string) => string,
): { connection: KafkaConnectionOptions; problems: string[] } {
  const problems: string[] = [];
  const connection: KafkaConnectionOptions = {};
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const { KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = env;

  if (mechanism !== undefined && !(KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    problems.push(`KAFKA_SASL_MECHANISM must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}; got ${JSON.stringify(mechanism.slice(0, 40))}`);
  }
  if ((username === undefined) !== (password === undefined)) {
    problems.push(
      username === undefined
        ? 'KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is set without KAFKA_SASL_USERNAME: set both or neither'
        : 'KAFKA_SASL_USERNAME is set without KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE): set both or neither',
    );
  } else if (username !== undefined && mechanism === undefined) {
    problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are set without KAFKA_SASL_MECHANISM: set it (scram-sha-512 for Strimzi)');
  } else if (username === undefined && mechanism !== undefined) {
    problems.push('KAFKA_SASL_MECHANISM is set without KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: set them, or unset it');
  }
  if (problems.length === 0 && mechanism !== undefined && username !== undefined && password !== undefined) {
    connection.sasl = { mechanism, username, password } as KafkaSasl;
  }

  const caFile = env.KAFKA_SSL_CA_FILE;
  if (caFile !== undefined) {
    let pem: string | undefined;
    try {
      pem = readText(caFile);
    } catch (e) {
      problems.push(`KAFKA_SSL_CA_FILE: cannot read ${quotePath(caFile)} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (pem !== undefined) {
      const block = PEM_CERTIFICATE.exec(pem);
      let valid = false;
      try {
        valid = block !== null && new X509Certificate(block[0]) !== undefined;
      } catch {
        valid = false;
      }
      if (valid) connection.ssl = { ca: [pem], rejectUnauthorized: true };
      else problems.push(`KAFKA_SSL_CA_FILE: ${quotePath(caFile)} holds no PEM certificate (the Kafka cluster CA, e.g. Strimzi's <cluster>-cluster-ca-cert ca.crt)`);
    }
  }
  return { connection: problems.length === 0 ? connection : {}, problems };
}
