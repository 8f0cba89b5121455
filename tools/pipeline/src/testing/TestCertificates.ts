import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An operator CA, a server certificate for 127.0.0.1 / localhost and station client certificates
 * (subject CN = the identity, as security profile 3 wants), made with the machine's openssl in a
 * directory the test owns; no key material is committed.
 */
export class TestCertificates {
  readonly caFile: string;
  readonly ca: string;
  readonly certFile: string;
  readonly keyFile: string;

  constructor(private readonly dir: string) {
    const f = (name: string) => join(dir, name);
    this.newKey('ca.key');
    this.run(['req', '-x509', '-new', '-key', f('ca.key'), '-subj', '/CN=E2E Operator CA', '-days', '2', '-out', f('ca.crt'), '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.issue('server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    this.caFile = f('ca.crt');
    this.ca = readFileSync(this.caFile, 'utf8');
    this.certFile = f('server.crt');
    this.keyFile = f('server.key');
  }

  /** A client certificate for `identity` from the CA: `<dir>/<identity>.crt` and `.key`. */
  station(identity: string): { certFile: string; keyFile: string } {
    this.issue(identity, `/CN=${identity}`, 'extendedKeyUsage=clientAuth\n');
    return { certFile: join(this.dir, `${identity}.crt`), keyFile: join(this.dir, `${identity}.key`) };
  }

  private issue(name: string, subject: string, extensions: string): void {
    const f = (suffix: string) => join(this.dir, `${name}${suffix}`);
    this.newKey(`${name}.key`);
    this.run(['req', '-new', '-key', f('.key'), '-subj', subject, '-out', f('.csr')]);
    writeFileSync(f('.ext'), extensions);
    this.run(['x509', '-req', '-in', f('.csr'), '-CA', join(this.dir, 'ca.crt'), '-CAkey', join(this.dir, 'ca.key'), '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-extfile', f('.ext'), '-out', f('.crt')]);
  }

  private newKey(name: string): void {
    this.run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(this.dir, name)]);
  }

  private run(args: string[]): void {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
