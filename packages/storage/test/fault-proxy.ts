import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one request instead of (or while) forwarding it. */
export type Fault =
  | { kind: 'status'; status: number; code: string }
  /** Drop the connection without answering. */
  | { kind: 'reset' }
  /** Forward, but cut the connection after half of the response body. */
  | { kind: 'truncate-body' };

export interface FaultRule {
  fault: Fault;
  /** Only requests with this method (default: any). */
  method?: string;
  /** How many matching requests get the fault (default 1; Infinity for all). */
  times?: number;
}

export interface SeenRequest {
  method: string;
  url: string;
  fault: Fault['kind'] | 'forwarded';
}

/**
 * A tiny HTTP proxy in front of the S3 server that injects failures. Requests keep their Host
 * header, so SigV4 signatures made for the proxy's address still verify upstream.
 */
export class FaultProxy {
  readonly seen: SeenRequest[] = [];
  private readonly rules: (FaultRule & { left: number })[] = [];
  private server: Server | undefined;
  private readonly upstream: URL;
  endpoint = '';

  constructor(upstreamEndpoint: string) {
    this.upstream = new URL(upstreamEndpoint);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(rule: FaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  clear(): void {
    this.rules.length = 0;
    this.seen.length = 0;
  }

  private takeFault(method: string): Fault | undefined {
    const rule = this.rules.find((r) => r.left > 0 && (r.method === undefined || r.method === method));
    if (!rule) return undefined;
    rule.left--;
    return rule.fault;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const fault = this.takeFault(method);
    this.seen.push({ method, url: req.url ?? '', fault: fault?.kind ?? 'forwarded' });
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      req.resume();
      req.on('end', () => {
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${fault.code}</Code><Message>injected by FaultProxy</Message></Error>`;
        res.writeHead(fault.status, {
          'content-type': 'application/xml',
          'content-length': Buffer.byteLength(body),
        });
        res.end(method === 'HEAD' ? undefined : body);
      });
      return;
    }
    const upstreamReq = httpRequest(
      { host: this.upstream.hostname, port: this.upstream.port, method, path: req.url, headers: req.headers },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (fault?.kind !== 'truncate-body') {
          upstreamRes.pipe(res);
          return;
        }
        const total = Number(upstreamRes.headers['content-length'] ?? 0);
        let sent = 0;
        upstreamRes.on('data', (chunk: Buffer) => {
          if (sent >= total / 2) return;
          const part = chunk.subarray(0, Math.max(0, Math.ceil(total / 2) - sent));
          sent += part.length;
          res.write(part);
          if (sent >= total / 2) {
            upstreamRes.destroy();
            setTimeout(() => res.socket?.destroy(), 20);
          }
        });
      },
    );
    upstreamReq.on('error', () => res.socket?.destroy());
    req.pipe(upstreamReq);
  }
}
