import {
  PROXY_CONFIG,
  PROXY_PORT,
  renderProxyConfig,
  type Upstream,
} from "../../core/deploy/nginx.js";
import { onNetwork, type Instance } from "./instance.js";

/** The instance's nginx proxy: the one published port, switched between the blue and green app containers. */
export class InstanceProxy {
  constructor(private readonly instance: Instance) {}

  /** The proxy's container name; also its host name on the instance's network. */
  get name(): string {
    return this.instance.names.proxy;
  }

  /** Points the proxy at `upstreams` (reload: open connections finish on the old workers), starting the proxy the first time. */
  async route(upstreams: Upstream[]): Promise<void> {
    const { docker, target, config } = this.instance;
    const rendered = renderProxyConfig(upstreams);
    if (await docker.isRunning(this.name)) {
      await docker.run(
        [
          "exec",
          "--interactive",
          this.name,
          "sh",
          "-c",
          `cat > ${PROXY_CONFIG}.next && nginx -t -q -c ${PROXY_CONFIG}.next && mv ${PROXY_CONFIG}.next ${PROXY_CONFIG} && nginx -c ${PROXY_CONFIG} -s reload`,
        ],
        "switching the proxy",
        rendered,
      );
      return;
    }
    await docker.remove(this.name);
    await docker.run(
      [
        "run",
        "--detach",
        "--name",
        this.name,
        ...onNetwork(this.instance),
        "--restart",
        "unless-stopped",
        "--publish",
        `127.0.0.1:${target.port || ""}:${PROXY_PORT}`,
        "--env",
        `GANTRY_NGINX_CONFIG=${rendered}`,
        "--entrypoint",
        "sh",
        config.images.proxy,
        "-c",
        // The boot config is written once: after a restart the proxy keeps routing where the last switch pointed it.
        `[ -f ${PROXY_CONFIG} ] || printf '%s' "$GANTRY_NGINX_CONFIG" > ${PROXY_CONFIG}; exec nginx -c ${PROXY_CONFIG} -g 'daemon off;'`,
      ],
      "starting the proxy",
    );
  }

  /** A restarted container can get another address: nginx resolves its upstreams' names again on reload. */
  async reload(): Promise<void> {
    await this.instance.docker.run(
      ["exec", this.name, "nginx", "-c", PROXY_CONFIG, "-s", "reload"],
      "reloading the proxy",
    );
  }

  /** The app container `host` as an upstream of the proxy. */
  upstream(host: string): Omit<Upstream, "weight"> {
    return { host, port: this.instance.config.app.port };
  }

  /** The address (ip:port) the proxy reaches `container` at on the instance's network, as its access log names it. */
  async upstreamAddress(container: string): Promise<string> {
    const { docker, names, config } = this.instance;
    const ip = await docker.run(
      [
        "inspect",
        "--format",
        `{{(index .NetworkSettings.Networks "${names.network}").IPAddress}}`,
        container,
      ],
      `reading the address of ${container}`,
    );
    return `${ip}:${config.app.port}`;
  }

  /** The proxy's URL on the instance's network, where the watch window's probe sends its requests. */
  get internalUrl(): string {
    return `http://${this.name}:${PROXY_PORT}`;
  }

  /** The address the proxy is published on, on the target (127.0.0.1:port). */
  async publishedAddress(): Promise<string> {
    const published = await this.instance.docker.run(
      ["port", this.name, `${PROXY_PORT}/tcp`],
      "reading the proxy's port",
    );
    return published.split("\n")[0];
  }
}
