import type {
  DeployTarget,
  DockerNames,
} from "../../core/deploy/environment.js";
import type { GantryConfig } from "../../core/config.js";
import type { DockerHost } from "./docker.js";

/** An environment instance on its Docker host: what the lock, proxy, health checks and history all act on. */
export interface Instance {
  docker: DockerHost;
  target: DeployTarget;
  names: DockerNames;
  config: GantryConfig;
}

/** `docker run` flags that put a container on the instance's network, labelled as the instance's (for destroy). */
export function onNetwork({ names }: Instance): string[] {
  return ["--network", names.network, "--label", names.label];
}

/** The URL of an app container as the instance's network reaches it. */
export function appUrl({ config }: Instance, container: string): string {
  return `http://${container}:${config.app.port}`;
}
