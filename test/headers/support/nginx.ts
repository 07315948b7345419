import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type NginxLocation, nginxConfig } from '@galaxy-harden/headers';
import { selfSignedCertificate } from '../../../packages/headers/test/support/http.js';
import { freePort, portOpens } from '../../support/ports.js';

/** True when Debian's nginx binary is installed (CI always installs it). */
export function nginxInstalled(): boolean {
  return existsSync('/usr/sbin/nginx') || spawnSync('nginx', ['-v']).status === 0;
}

/** A private nginx, run as a non-daemon child with everything inside one temp directory. */
export class TestNginx {
  readonly dir: string;
  readonly configPath: string;
  private child: ChildProcess | undefined;

  private constructor(dir: string, configPath: string) {
    this.dir = dir;
    this.configPath = configPath;
  }

  /** Writes a full nginx.conf around `httpContext` (the generator's text). */
  static prepare(httpContext: string): TestNginx {
    const dir = mkdtempSync(join(tmpdir(), 'gh-nginx-'));
    // nginx started by root runs its workers as nobody, who must reach the files inside.
    chmodSync(dir, 0o755);
    const configPath = join(dir, 'nginx.conf');
    writeFileSync(configPath, fullConfig(dir, httpContext));
    return new TestNginx(dir, configPath);
  }

  /** `nginx -t`: the configuration parses and the certificate loads. */
  check(): { ok: boolean; output: string } {
    const result = spawnSync('nginx', [...this.args(), '-t'], { encoding: 'utf8' });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  }

  async start(ports: readonly number[]): Promise<void> {
    this.child = spawn('nginx', [...this.args(), '-g', 'daemon off;'], { stdio: 'ignore' });
    for (const port of ports) await waitForPort(port, 10_000, () => this.errorLog());
  }

  /** Stops this nginx by its own PID and removes the directory. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = once(child, 'exit');
      process.kill(child.pid, 'SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  errorLog(): string {
    const path = join(this.dir, 'error.log');
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  }

  private args(): string[] {
    return ['-c', this.configPath, '-p', this.dir, '-e', join(this.dir, 'error.log')];
  }
}

function fullConfig(dir: string, httpContext: string): string {
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
${httpContext}
}
`;
}

async function waitForPort(port: number, timeoutMs: number, log: () => string): Promise<void> {
  if (await portOpens(port, timeoutMs)) return;

  throw new Error(`nginx did not listen on 127.0.0.1:${port}: ${log()}`);
}

/** nginx with the generated configuration in front of an upstream on 127.0.0.1. */
export interface NginxFront {
  nginx: TestNginx;
  https: string;
  http: string;
  httpsPort: number;
  /** Directory nginx serves at `/files/`, holding `reference.fa`. */
  files: string;
  stop(): Promise<void>;
}

/** Generates the config for `upstreamPort`, starts nginx on free ports and waits for it. */
export async function startNginxFront(
  upstreamPort: number,
  extraLocations: NginxLocation[] = [],
): Promise<NginxFront> {
  const files = mkdtempSync(join(tmpdir(), 'gh-nginx-files-'));
  chmodSync(files, 0o755);
  writeFileSync(join(files, 'reference.fa'), '>chr17\nACGT\n', { mode: 0o644 });
  const cert = selfSignedCertificate(true);
  chmodSync(cert.dir, 0o755);
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const nginx = TestNginx.prepare(
    nginxConfig({
      serverName: '127.0.0.1',
      listenHttps: `127.0.0.1:${httpsPort}`,
      listenHttp: `127.0.0.1:${httpPort}`,
      httpsPort,
      certificate: cert.certPath,
      certificateKey: cert.keyPath,
      upstream: `http://127.0.0.1:${upstreamPort}`,
      locations: [
        { path: '/', kind: 'proxy' },
        ...extraLocations,
        {
          path: '/files/',
          kind: 'static',
          directory: `${files}/`,
          headers: { 'Cache-Control': 'max-age=600' },
        },
      ],
    }),
  );
  await nginx.start([httpsPort, httpPort]);
  const stop = async () => {
    await nginx.stop();
    rmSync(files, { recursive: true, force: true });
    rmSync(cert.dir, { recursive: true, force: true });
  };
  return {
    nginx,
    https: `https://127.0.0.1:${httpsPort}`,
    http: `http://127.0.0.1:${httpPort}`,
    httpsPort,
    files,
    stop,
  };
}
