/** Where the proxy listens inside its container; the environment's port is published onto it. */
export const PROXY_PORT = 80;
/** The config file the proxy runs with (the image's own config is left alone). */
export const PROXY_CONFIG = "/etc/nginx/gantry.conf";

/** One app container behind the proxy and its share of requests. */
export interface Upstream {
  host: string;
  port: number;
  weight: number;
}

/** The upstreams for `live` alone, or split with `canary` getting `canaryPercent` of requests. */
export function trafficSplit(
  live: Omit<Upstream, "weight">,
  canary?: Omit<Upstream, "weight">,
  canaryPercent = 0,
): Upstream[] {
  if (!canary || canaryPercent <= 0) return [{ ...live, weight: 100 }];
  if (canaryPercent >= 100) return [{ ...canary, weight: 100 }];
  return [
    { ...live, weight: 100 - canaryPercent },
    { ...canary, weight: canaryPercent },
  ];
}

/** A whole nginx.conf proxying every request to `upstreams` by weight. */
export function renderProxyConfig(upstreams: Upstream[]): string {
  if (upstreams.length === 0)
    throw new Error("the proxy needs at least one upstream");
  const servers = upstreams
    .map((u) => `    server ${u.host}:${u.port} weight=${u.weight};`)
    .join("\n");
  // A request that cannot reach one upstream (stopping, not started yet) is retried on the other: no failed request during a switch.
  return `pid /run/nginx.pid;
worker_processes 1;
events { worker_connections 1024; }
http {
  log_format gantry escape=json '{"status":$status,"upstream":"$upstream_addr","seconds":"$upstream_response_time"}';
  access_log /dev/stdout gantry;
  upstream gantry_app {
${servers}
  }
  server {
    listen ${PROXY_PORT};
    location / {
      proxy_pass http://gantry_app;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }
  }
}
`;
}
