import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM key and certificate as files and as text. */
export interface Issued {
  keyFile: string;
  certFile: string;
  key: string;
  cert: string;
}

/**
 * Certificates made on the fly with the machine's openssl, in a temporary directory that `dispose`
 * removes: an operator CA, a server certificate for localhost/127.0.0.1, station certificates
 * (subject CN = identity), and a second CA that the edge does not trust. No key material is committed.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'ocpp-edge-pki-'));
  readonly ca: Issued;
  readonly rogueCa: Issued;
  readonly server: Issued;

  constructor() {
    this.ca = this.makeCa('ca', 'Test Operator CA');
    this.rogueCa = this.makeCa('rogue-ca', 'Someone Else CA');
    this.server = this.issue('server', 'localhost', this.ca, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  }

  /** A station certificate whose subject CN is `cn`, from the operator CA (or the rogue one). */
  station(cn: string, from: 'ca' | 'rogue' = 'ca'): Issued {
    return this.issue(`station-${cn}-${from}`, cn, from === 'ca' ? this.ca : this.rogueCa, 'extendedKeyUsage=clientAuth\n');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private makeCa(name: string, cn: string): Issued {
    const keyFile = this.key(name);
    const certFile = join(this.dir, `${name}.crt`);
    openssl(['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${cn}`, '-days', '2', '-out', certFile,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    return this.read(keyFile, certFile);
  }

  private issue(name: string, cn: string, ca: Issued, extensions: string): Issued {
    const keyFile = this.key(name);
    const csr = join(this.dir, `${name}.csr`);
    const ext = join(this.dir, `${name}.ext`);
    const certFile = join(this.dir, `${name}.crt`);
    writeFileSync(ext, extensions);
    openssl(['req', '-new', '-key', keyFile, '-subj', `/CN=${cn}`, '-out', csr]);
    openssl(['x509', '-req', '-in', csr, '-CA', ca.certFile, '-CAkey', ca.keyFile, '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 1e6).toString(16)}`,
      '-days', '2', '-extfile', ext, '-out', certFile]);
    return this.read(keyFile, certFile);
  }

  private key(name: string): string {
    const keyFile = join(this.dir, `${name}.key`);
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyFile]);
    return keyFile;
  }

  private read(keyFile: string, certFile: string): Issued {
    return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
