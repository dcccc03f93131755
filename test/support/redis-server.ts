import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A self-signed certificate for 127.0.0.1 and its key, as PEM files. */
export interface Certificate {
  certFile: string;
  keyFile: string;
}

/** Makes a self-signed certificate for 127.0.0.1, valid for a day, in `dir` (with openssl). */
export function selfSignedCertificate(dir: string): Certificate {
  const certificate = { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') };
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      certificate.keyFile,
      '-out',
      certificate.certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return certificate;
}

/** `redis-server` options to listen for TLS on `tlsPort` with `certificate`, clients needing no certificate of their own. */
export function tlsServerArgs(certificate: Certificate, tlsPort: number): string[] {
  return [
    '--tls-port',
    String(tlsPort),
    '--tls-cert-file',
    certificate.certFile,
    '--tls-key-file',
    certificate.keyFile,
    '--tls-ca-cert-file',
    certificate.certFile,
    '--tls-auth-clients',
    'no',
  ];
}

/** What a private server wants of its clients. */
export interface PrivateRedisOptions {
  /** The server requires it (`requirepass`). */
  password?: string;
  /** The server speaks TLS only, with a self-signed certificate for 127.0.0.1 (`caFile`). */
  tls?: boolean;
}

/** A private redis-server for tests that stop, restart or persist Redis. */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'jobgate-redis-'));
  private readonly certificate: Certificate | undefined;

  private constructor(
    readonly port: number,
    private readonly options: PrivateRedisOptions,
  ) {
    this.certificate = options.tls ? selfSignedCertificate(this.dir) : undefined;
  }

  static async start(options: PrivateRedisOptions = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), options);
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `${this.options.tls ? 'rediss' : 'redis'}://127.0.0.1:${this.port}`;
  }

  /** The certificate of a TLS server, which is also the authority that signed it. */
  get caFile(): string {
    if (!this.certificate) throw new Error('expected a TLS server, got a plain one');
    return this.certificate.certFile;
  }

  /** Starts (again) on the same port and data directory; the append-only file keeps the data. */
  async resume(): Promise<void> {
    const { password } = this.options;
    const { certificate } = this;
    const auth = password ? ['--requirepass', password] : [];
    const listen = certificate ? ['--port', '0', ...tlsServerArgs(certificate, this.port)] : ['--port', String(this.port)];
    this.child = spawn(
      'redis-server',
      [...listen, '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', ...auth],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const client = new IORedis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        password,
        ...(certificate && { tls: { ca: readFileSync(certificate.certFile) } }),
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** Stops the server (SIGKILL: like a crash; the append-only file is fsynced on every write). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
