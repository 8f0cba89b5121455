import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import { authenticateStation, type ClientCertificate, type HandshakeFacts, type StationAdmission } from '../application/authenticateStation';
import { EDGE_LOGGER, type EdgeLogger } from '../application/EdgeLogger';
import { EdgeStats } from '../application/EdgeStats';
import { FRAME_PUBLISHER, type FramePublisher } from '../application/FramePublisher';
import { EDGE_CONFIG, type EdgeConfig } from '../config/EdgeConfig';
import { HandshakeRefusal } from '../domain/HandshakeRefusal';
import { OCPP_SUBPROTOCOLS } from '../domain/OcppVersion';
import { TransactionIdSequence } from '../domain/TransactionIdSequence';
import { Readiness } from '@metrology-ledger/service-runtime';
import { EdgeMetrics } from '../metrics/EdgeMetrics';
import { edgeValidators, schemaActions } from './edgeValidators';
import { StationLink } from './StationLink';
import { StationRegistryFile } from './StationRegistryFile';
import { TransactionIdFile } from './TransactionIdFile';
import { UpstreamLink, type UpstreamTls } from './UpstreamLink';

interface Session {
  admission: StationAdmission;
  upstream?: UpstreamLink;
}

/**
 * The listening side: a Node https server (TLS ends here, so the station's client certificate is
 * visible) or, for security profile 1 only, a plain http server, with ocpp-rpc's RPCServer on its
 * upgrade event. Admits stations (authenticateStation), keeps one live connection per identity (a
 * new one replaces the old) and, in proxy mode, opens each station's upstream connection before
 * accepting it.
 */
@Injectable()
export class OcppEdgeServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private server: Server | undefined;
  private rpc: RPCServer | undefined;
  private readonly links = new Map<string, StationLink>();
  private readonly transactionIds: TransactionIdSequence;
  private readonly proxiedActions = new Map(OCPP_SUBPROTOCOLS.map((p) => [p, schemaActions(p)] as const));
  private upstreamTls: UpstreamTls = {};
  private closing = false;

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(FRAME_PUBLISHER) private readonly publisher: FramePublisher,
    @Inject(StationRegistryFile) private readonly stations: StationRegistryFile,
    @Inject(EdgeStats) readonly stats: EdgeStats,
    @Inject(EDGE_LOGGER) private readonly log: EdgeLogger,
    @Inject(EdgeMetrics) readonly metrics: EdgeMetrics,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    readiness.fail('listener', 'not listening yet');
    this.transactionIds = new TransactionIdSequence(new Date(), config.transactionIdFile === undefined ? undefined : new TransactionIdFile(config.transactionIdFile));
  }

  async onApplicationBootstrap(): Promise<void> {
    const c = this.config;
    const rpc = new RPCServer({
      protocols: [...OCPP_SUBPROTOCOLS],
      strictMode: true,
      strictModeValidators: edgeValidators(),
      // Bad frames are counted by StationLink (schema violations too, which ocpp-rpc does not count).
      maxBadMessages: Infinity,
      wssOptions: { maxPayload: c.maxFrameBytes },
    } as never);
    rpc.auth((accept, reject, handshake, signal) => void this.admit(accept, reject, handshake, signal));
    rpc.on('client', (client: RPCServerClient) => this.onClient(client));
    rpc.on('error', (e: Error) => this.log.error(`WebSocket server error: ${quoteBounded(e.message, 200)}`));
    this.rpc = rpc;

    if (c.upstream) {
      const read = (f?: string) => (f ? readFileSync(f, 'utf8') : undefined);
      this.upstreamTls = Object.fromEntries(
        Object.entries({ ca: read(c.upstream.caFile), cert: read(c.upstream.certFile), key: read(c.upstream.keyFile) }).filter(([, v]) => v !== undefined),
      );
    }
    const notFound = (_req: IncomingMessage, res: import('node:http').ServerResponse) => {
      res.statusCode = 404;
      res.end();
    };
    const server = c.tls
      ? createHttpsServer(
          {
            cert: readFileSync(c.tls.certFile, 'utf8'),
            key: readFileSync(c.tls.keyFile, 'utf8'),
            ...(c.tls.caFile ? { ca: readFileSync(c.tls.caFile, 'utf8'), requestCert: true } : {}),
            // Unverified certificates are refused in the upgrade, where the identity is known and logged.
            rejectUnauthorized: false,
            minVersion: 'TLSv1.2',
          },
          notFound,
        )
      : createHttpServer(notFound);
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(req, socket, head));
    server.on('tlsClientError', (e: Error, socket: TLSSocket) => this.log.warn(`TLS handshake from ${socket.remoteAddress ?? '?'} failed: ${quoteBounded(e.message, 200)}`));
    server.on('clientError', (e: Error, socket: Socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(c.listen.port, c.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e: Error) => this.log.error(`server error: ${quoteBounded(e.message, 200)}`));
    this.server = server;
    this.readiness.ok('listener');
    const a = this.address();
    this.log.log(
      `listening on ${c.tls ? 'wss' : 'ws'}://${a.host}:${a.port}/<identity> (${c.mode}, security profile ${[...c.securityProfiles].join(', ')}, ` +
        `${OCPP_SUBPROTOCOLS.join(' and ')}${c.upstream ? `, upstream ${c.upstream.url}` : ''})`,
    );
    if (!c.upstream && c.transactionIdFile === undefined) {
      this.log.warn('standalone without EDGE_TRANSACTION_ID_FILE: 1.6 transaction ids restart from the seconds since 2025-01-01 and repeat after a restart if more ids than seconds were handed out');
    }
  }

  /** Stops accepting, lets in-flight calls finish (their Kafka sends included) up to the shutdown timeout, closes every connection. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.readiness.fail('listener', 'shutting down: no new connections');
    this.server?.close();
    const links = [...this.links.values()];
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(links.map((l) => l.close(1001, 'the edge is shutting down', true))).then(() => false),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(true), this.config.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.log.warn(`shutdown: ${this.links.size} connection(s) still busy after ${this.config.shutdownTimeoutMs} ms (EDGE_SHUTDOWN_TIMEOUT_MS); closing them now`);
      for (const l of this.links.values()) l.terminate();
    }
    await this.rpc?.close({ force: true }).catch(() => undefined);
    this.server?.closeAllConnections();
  }

  address(): { host: string; port: number } {
    const a = this.server?.address() as AddressInfo | null;
    return { host: a?.address ?? this.config.listen.host, port: a?.port ?? this.config.listen.port };
  }

  /** The live connection of a station, if any. */
  link(identity: string): StationLink | undefined {
    return this.links.get(identity);
  }

  get connections(): number {
    return this.links.size;
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    // ocpp-rpc decodes the identity outside its own error handling; a malformed one must not crash the edge.
    try {
      decodeURIComponent(new URL(`http://localhost${req.url ?? '/'}`).pathname.split('/').pop() ?? '');
    } catch {
      this.refuseRaw(socket, HandshakeRefusal.badIdentity(String(req.url ?? '').split('/').pop() ?? ''));
      return;
    }
    this.rpc!.handleUpgrade(req, socket, head).catch((e: Error) => {
      this.log.warn(`upgrade failed: ${quoteBounded(e.message, 200)}`);
      socket.destroy();
    });
  }

  private refuseRaw(socket: Socket, refusal: HandshakeRefusal): void {
    this.refused(refusal);
    if (socket.writable) socket.end(`HTTP/1.1 ${refusal.httpStatus} ${STATUS_CODES[refusal.httpStatus]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  }

  private refused(refusal: HandshakeRefusal, identity?: string): void {
    this.stats.refusal(refusal.code);
    this.metrics.refused(refusal.code);
    this.log.warn({
      msg: `handshake refused (${refusal.code}, HTTP ${refusal.httpStatus}): ${refusal.reason}`,
      ...(identity !== undefined ? { identity: identity.slice(0, 200) } : {}),
      reason: refusal.code,
      httpStatus: refusal.httpStatus,
    });
  }

  private async admit(
    accept: (session?: Record<string, unknown>, protocol?: string | false) => void,
    reject: (code: number, message: string) => void,
    handshake: IHandshakeInterface,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const refuse = (r: HandshakeRefusal) => {
      this.refused(r, handshake.identity);
      reject(r.httpStatus, STATUS_CODES[r.httpStatus] ?? '');
    };
    try {
      if (this.closing) return refuse(HandshakeRefusal.shuttingDown());
      const result = await authenticateStation(handshakeFacts(handshake), { profiles: this.config.securityProfiles }, (id) => this.stations.lookup(id));
      if (result instanceof HandshakeRefusal) return refuse(result);
      if (signal?.aborted) return;
      const session: Session = { admission: result };
      let protocol: string = result.subprotocols[0];
      if (this.config.upstream) {
        // The old connection goes before the new one is opened upstream, so the CSMS sees one at a time.
        await this.links.get(result.identity)?.close(1000, 'replaced by a new connection of the same identity');
        try {
          session.upstream = await UpstreamLink.open(this.config.upstream, this.upstreamTls, result, handshake.password, this.log);
        } catch (e) {
          if (e instanceof HandshakeRefusal) return refuse(e);
          throw e;
        }
        if (signal?.aborted || this.closing) {
          void session.upstream.close(1001, 'the station went away during the handshake');
          return;
        }
        protocol = session.upstream.protocol;
      }
      accept(session as unknown as Record<string, unknown>, protocol);
    } catch (e) {
      this.log.error({ msg: `handshake of ${quoteBounded(handshake.identity)} failed: ${quoteBounded((e as Error).message, 200)}`, identity: handshake.identity });
      reject(500, STATUS_CODES[500] ?? '');
    }
  }

  private onClient(client: RPCServerClient): void {
    const { admission, upstream } = client.session as unknown as Session;
    if (this.closing) {
      void client.close({ code: 1001, reason: 'the edge is shutting down' });
      void upstream?.close(1001);
      return;
    }
    const link = new StationLink(client, admission, upstream, {
      publisher: this.publisher,
      log: this.log,
      stats: this.stats,
      metrics: this.metrics,
      edgeInstance: this.config.edgeInstance,
      maxBadFrames: this.config.maxBadFrames,
      maxFrameBytes: this.config.maxFrameBytes,
      heartbeatIntervalS: this.config.heartbeatIntervalS,
      transactionIds: this.transactionIds,
      proxiedActions: (p) => this.proxiedActions.get(p) ?? [],
      onClosed: (l) => {
        if (this.links.get(l.identity) === l) this.links.delete(l.identity);
      },
    });
    const previous = this.links.get(admission.identity);
    this.links.set(admission.identity, link);
    this.stats.connected++;
    if (previous) {
      this.stats.replacedConnections++;
      this.log.log({ msg: `station ${quoteBounded(admission.identity)}: a new connection replaces the live one`, identity: admission.identity });
      void previous.close(1000, 'replaced by a new connection of the same identity');
    }
    this.log.log({
      msg:
        `station ${quoteBounded(admission.identity)} connected: ${link.subprotocol}, security profile ${admission.securityProfile}` +
        `${admission.clientCertSha256 ? `, certificate sha256 ${admission.clientCertSha256.slice(0, 16)}…` : ''}${upstream ? ', proxied' : ''}`,
      identity: admission.identity,
      ocppVersion: link.version,
      securityProfile: admission.securityProfile,
    });
  }
}

/** What the handshake tells about the station (identity, subprotocols, password, TLS client certificate). */
function handshakeFacts(h: IHandshakeInterface): HandshakeFacts {
  const socket = h.request.socket as TLSSocket;
  const facts: HandshakeFacts = { identity: h.identity, offeredSubprotocols: h.protocols, ...(h.password ? { password: h.password } : {}) };
  if (socket.encrypted) {
    const cert = clientCertificate(socket);
    facts.tls = cert ? { clientCertificate: cert } : {};
  }
  return facts;
}

function clientCertificate(socket: TLSSocket): ClientCertificate | undefined {
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return undefined;
  const cn = peer.subject?.CN as unknown;
  const err = socket.authorizationError as unknown;
  return {
    authorized: socket.authorized,
    ...(err ? { authorizationError: String(err) } : {}),
    ...(typeof cn === 'string' ? { subjectCN: cn } : {}),
    sha256: createHash('sha256').update(peer.raw).digest('hex'),
  };
}
