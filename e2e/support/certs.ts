// The same throw-away PKI as libs/rpc/test/certs.ts (e2e cannot import another project's tests).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** PEM files of a throw-away CA, a server certificate for 127.0.0.1/localhost and a client certificate. */
export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/** A leaf certificate signed by the CA in `dir` (ca.pem, ca.key); returns [cert, key] paths. */
export function issue(dir: string, name: string, extensions: string): [string, string] {
  fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`], dir);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-out',
      `${name}.pem`,
      '-extfile',
      `${name}.ext`,
    ],
    dir,
  );
  return [path.join(dir, `${name}.pem`), path.join(dir, `${name}.key`)];
}

/** Makes the CA and both certificates with Debian's openssl (as a deployment would). */
export function makeTestCerts(): TestCerts {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orbitmq-certs-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=OrbitMQ test CA'], dir);
  const [serverCert, serverKey] = issue(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  const [clientCert, clientKey] = issue(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  return { dir, ca: path.join(dir, 'ca.pem'), serverCert, serverKey, clientCert, clientKey };
}
