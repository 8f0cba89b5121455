import { quoteBounded, STATION_ID_RULE } from '@metrology-ledger/ledger';
import { OCPP_SUBPROTOCOLS } from './OcppVersion';
import type { SecurityProfile } from './SecurityProfile';

export type RefusalCode =
  | 'bad-identity'
  | 'no-subprotocol'
  | 'unknown-identity'
  | 'profile-not-allowed'
  | 'no-password'
  | 'wrong-password'
  | 'no-certificate'
  | 'certificate-invalid'
  | 'certificate-identity'
  | 'upstream-refused'
  | 'upstream-unreachable'
  | 'shutting-down';

/**
 * Why a station's WebSocket handshake is refused: `code` for programs and counters, `reason` for the
 * operator's log (the identity and anything else from outside quoted and bounded), `httpStatus` for
 * the station. The station learns only the status: the reason may say which identities exist.
 */
export class HandshakeRefusal {
  private constructor(
    readonly code: RefusalCode,
    readonly httpStatus: number,
    readonly reason: string,
  ) {}

  static badIdentity(identity: string): HandshakeRefusal {
    return new HandshakeRefusal('bad-identity', 400, `identity ${quoteBounded(identity)} is not a station id (${STATION_ID_RULE}); it is the last path segment of the URL`);
  }

  static noSubprotocol(offered: Iterable<string>): HandshakeRefusal {
    const list = [...offered];
    return new HandshakeRefusal(
      'no-subprotocol',
      400,
      `the station offers ${list.length === 0 ? 'no subprotocol' : `the subprotocol(s) ${quoteBounded(list.join(', '), 80)}`}; the edge speaks ${OCPP_SUBPROTOCOLS.join(' and ')} (Sec-WebSocket-Protocol)`,
    );
  }

  static unknownIdentity(identity: string): HandshakeRefusal {
    return new HandshakeRefusal('unknown-identity', 401, `station ${quoteBounded(identity)} is not in the stations file; add it with \`add-station\``);
  }

  static profileNotAllowed(identity: string, profile: SecurityProfile, allowed: Iterable<SecurityProfile>): HandshakeRefusal {
    return new HandshakeRefusal(
      'profile-not-allowed',
      401,
      `station ${quoteBounded(identity)} connects with security profile ${profile}; this edge accepts profile ${[...allowed].join(' or ')}`,
    );
  }

  static noPassword(identity: string, registered: boolean): HandshakeRefusal {
    return new HandshakeRefusal(
      'no-password',
      401,
      registered
        ? `station ${quoteBounded(identity)} sent no basic-auth password (the username must equal the identity) and no client certificate`
        : `station ${quoteBounded(identity)} has no password in the stations file, so it can only connect with a client certificate (profile 3)`,
    );
  }

  static wrongPassword(identity: string): HandshakeRefusal {
    return new HandshakeRefusal('wrong-password', 401, `station ${quoteBounded(identity)} sent a password that does not match its entry in the stations file`);
  }

  static noCertificate(identity: string): HandshakeRefusal {
    return new HandshakeRefusal('no-certificate', 401, `station ${quoteBounded(identity)} presented no client certificate; this edge accepts profile 3 only`);
  }

  static certificateInvalid(identity: string, tlsError: string | undefined): HandshakeRefusal {
    return new HandshakeRefusal(
      'certificate-invalid',
      401,
      `station ${quoteBounded(identity)} presented a client certificate that does not verify against the operator CA (${quoteBounded(tlsError ?? 'unknown TLS error', 80)})`,
    );
  }

  static certificateIdentity(identity: string, subjectCN: string | undefined): HandshakeRefusal {
    return new HandshakeRefusal(
      'certificate-identity',
      401,
      `station ${quoteBounded(identity)} presented a certificate whose subject CN is ${subjectCN === undefined ? 'missing' : quoteBounded(subjectCN)}; the CN must equal the identity`,
    );
  }

  static upstreamRefused(identity: string, status: number | undefined, detail: string): HandshakeRefusal {
    const s = status !== undefined && status >= 400 && status < 600 ? status : 502;
    return new HandshakeRefusal('upstream-refused', s, `the operator's CSMS refused station ${quoteBounded(identity)}: ${quoteBounded(detail, 120)}`);
  }

  static upstreamUnreachable(identity: string, detail: string): HandshakeRefusal {
    return new HandshakeRefusal('upstream-unreachable', 502, `the operator's CSMS cannot be reached for station ${quoteBounded(identity)}: ${quoteBounded(detail, 120)}`);
  }

  static shuttingDown(): HandshakeRefusal {
    return new HandshakeRefusal('shutting-down', 503, 'the edge is shutting down');
  }
}
