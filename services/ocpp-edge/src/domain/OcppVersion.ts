/**
 * The OCPP-J subprotocols the edge speaks, in the order it prefers them when a station offers more
 * than one. OCPP 2.1 is not offered: ocpp-rpc 2.2.1's 2.1 schemas use other schema ids than its
 * strict-mode validator looks up, so every 2.1 call would be refused.
 */
export const OCPP_SUBPROTOCOLS = ['ocpp2.0.1', 'ocpp1.6'] as const;
export type OcppSubprotocol = (typeof OCPP_SUBPROTOCOLS)[number];

/** The version as the Kafka record and the README name it. */
export type OcppVersion = '1.6' | '2.0.1';

export function isOcppSubprotocol(value: unknown): value is OcppSubprotocol {
  return (OCPP_SUBPROTOCOLS as readonly unknown[]).includes(value);
}

export function versionOf(subprotocol: OcppSubprotocol): OcppVersion {
  return subprotocol === 'ocpp1.6' ? '1.6' : '2.0.1';
}

/** The subprotocols of `offered` that the edge speaks, in the edge's order of preference. */
export function supportedSubprotocols(offered: Iterable<string>): OcppSubprotocol[] {
  const set = new Set(offered);
  return OCPP_SUBPROTOCOLS.filter((p) => set.has(p));
}
