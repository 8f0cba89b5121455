import { isStationId } from '@metrology-ledger/ledger';
import { HandshakeRefusal } from '../domain/HandshakeRefusal';
import { supportedSubprotocols, type OcppSubprotocol } from '../domain/OcppVersion';
import type { SecurityProfile } from '../domain/SecurityProfile';
import type { StationEntry } from '../domain/StationRegistry';

/** What the edge knows about a station when its WebSocket upgrade arrives. */
export interface HandshakeFacts {
  identity: string;
  offeredSubprotocols: Iterable<string>;
  /** The basic-auth password, when the username equals the identity (ocpp-rpc parses it). */
  password?: Buffer;
  /** Absent on a plain connection (profile 1). */
  tls?: { clientCertificate?: ClientCertificate };
}

/** The client certificate as the TLS layer saw it. */
export interface ClientCertificate {
  /** Chains to the operator CA (Node's `socket.authorized`). */
  authorized: boolean;
  authorizationError?: string;
  subjectCN?: string;
  /** SHA-256 of the DER certificate, hex, lower case. */
  sha256: string;
}

export interface AdmissionPolicy {
  profiles: ReadonlySet<SecurityProfile>;
}

/** A station let in: who it is, what it speaks, how it proved it. */
export interface StationAdmission {
  identity: string;
  /** The subprotocols it offers that the edge speaks, most preferred first. */
  subprotocols: OcppSubprotocol[];
  securityProfile: SecurityProfile;
  clientCertSha256?: string;
  station: StationEntry;
}

/**
 * Decides whether a station may connect. With a client certificate (and profile 3 allowed) the
 * certificate must chain to the operator CA and name the identity in its subject CN; it is never
 * traded for a password. Without one, the basic-auth password is checked against the station's
 * salted scrypt hash. Every identity must be in the stations file.
 */
export async function authenticateStation(
  facts: HandshakeFacts,
  policy: AdmissionPolicy,
  lookup: (identity: string) => Promise<StationEntry | undefined>,
): Promise<StationAdmission | HandshakeRefusal> {
  const { identity } = facts;
  if (!isStationId(identity)) return HandshakeRefusal.badIdentity(identity);
  const subprotocols = supportedSubprotocols(facts.offeredSubprotocols);
  if (subprotocols.length === 0) return HandshakeRefusal.noSubprotocol(facts.offeredSubprotocols);
  const station = await lookup(identity);
  if (!station) return HandshakeRefusal.unknownIdentity(identity);

  const cert = facts.tls?.clientCertificate;
  if (facts.tls && cert && policy.profiles.has(3)) {
    if (!cert.authorized) return HandshakeRefusal.certificateInvalid(identity, cert.authorizationError);
    if (cert.subjectCN !== identity) return HandshakeRefusal.certificateIdentity(identity, cert.subjectCN);
    return { identity, subprotocols, securityProfile: 3, clientCertSha256: cert.sha256, station };
  }
  if (facts.tls && policy.profiles.has(3) && !policy.profiles.has(2)) return HandshakeRefusal.noCertificate(identity);
  const profile: SecurityProfile = facts.tls ? 2 : 1;
  if (!policy.profiles.has(profile)) return HandshakeRefusal.profileNotAllowed(identity, profile, policy.profiles);
  if (!station.password) return HandshakeRefusal.noPassword(identity, false);
  if (!facts.password) return HandshakeRefusal.noPassword(identity, true);
  if (!(await station.password.matches(facts.password))) return HandshakeRefusal.wrongPassword(identity);
  return { identity, subprotocols, securityProfile: profile, station };
}
