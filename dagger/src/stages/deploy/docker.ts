import {
  dag,
  ReturnType,
  type Container,
  type File,
  type Secret,
  type Socket,
} from "@dagger.io/dagger";
import { succeeded } from "../exec.js";
import { uncached, type ExecResult } from "../workspace.js";

const SOCKET_PATH = "/var/run/docker.sock";
/** Where the CLI finds the TLS client files for a tcp:// host (DOCKER_CERT_PATH's fixed file names). */
const TLS_DIR = "/run/secrets/gantry-docker-tls";
/** The CLI's config directory for a pull that logs in: a tmpfs of that one exec, so the login is in no layer. */
const LOGIN_CONFIG_DIR = "/run/gantry-docker-login";

// `docker run` joins one network (before API 1.44), so the container is created, connected to the others, then started.
// Attached, the script exits with the container's status after removing it; the caller reads its output.
const START_SCRIPT = `
id=$(docker create "$@") || exit 125
for network in $GANTRY_NETWORKS; do
  docker network connect "$network" "$id" || { docker rm --force "$id" >/dev/null; exit 125; }
done
if [ "$GANTRY_ATTACH" = 1 ]; then
  docker start --attach "$id"
  status=$?
  docker rm --force "$id" >/dev/null
  exit $status
fi
docker start "$id" >/dev/null
`;

/** The Docker CLI talking to the target's daemon (socket or DOCKER_HOST); every call runs anew (never from the engine's cache). */
export class DockerHost {
  private constructor(private readonly cli: Container) {}

  static connect(endpoint: DockerEndpoint, cliImage: string): DockerHost {
    const cli = dag.container().from(cliImage);
    if ("socket" in endpoint)
      return new DockerHost(
        cli
          .withUnixSocket(SOCKET_PATH, endpoint.socket)
          .withEnvVariable("DOCKER_HOST", `unix://${SOCKET_PATH}`),
      );
    const remote = cli.withSecretVariable("DOCKER_HOST", endpoint.host);
    // checkDockerHost (core/deploy/dockerHost.ts) let exactly one of them through: the one the URL's scheme needs.
    if (endpoint.ssh)
      return new DockerHost(remote.with(sshClient(endpoint.ssh)));
    return new DockerHost(
      endpoint.tls ? remote.with(tlsClient(endpoint.tls)) : remote,
    );
  }

  /** This host with `secret` mounted as the file `path` for every call, e.g. an env file for `--env-file`. */
  withSecretFile(path: string, secret: Secret): DockerHost {
    return new DockerHost(this.cli.withMountedSecret(path, secret));
  }

  /**
   * Creates a container with `createArgs` (flags, image, command), connects it to `networks` too and starts it.
   * With `attach`, waits for it to exit, removes it and fails unless it exited 0.
   */
  async start(
    createArgs: string[],
    { networks, attach }: { networks: string[]; attach: boolean },
    what: string,
  ): Promise<string> {
    return this.script(START_SCRIPT, createArgs, what, {
      GANTRY_NETWORKS: networks.join(" "),
      GANTRY_ATTACH: attach ? "1" : "0",
    });
  }

  /**
   * Runs a shell script of several docker commands as one call (each call is a container start in the engine, the
   * slowest part of a rollout); returns its trimmed stdout, failing with its last output lines, labelled `what`.
   */
  async script(
    script: string,
    args: string[],
    what: string,
    env: Record<string, string> = {},
  ): Promise<string> {
    return (await this.scriptResult(script, args, what, env)).stdout.trim();
  }

  /** Like `script`, also returning the file the script left at `path` in the CLI container (binary, unlike stdout). */
  async scriptFile(
    script: string,
    args: string[],
    what: string,
    path: string,
    env: Record<string, string> = {},
  ): Promise<{ stdout: string; file: File }> {
    const result = await this.scriptResult(script, args, what, env);
    return { stdout: result.stdout.trim(), file: result.container.file(path) };
  }

  /** This host with `file` at `path` for every call, e.g. a backup to copy onto the target. */
  withFile(path: string, file: File): DockerHost {
    return new DockerHost(this.cli.withFile(path, file));
  }

  private async scriptResult(
    script: string,
    args: string[],
    what: string,
    env: Record<string, string>,
  ): Promise<ExecResult> {
    const cli = Object.entries(env).reduce(
      (container, [name, value]) => container.withEnvVariable(name, value),
      this.cli,
    );
    const result = await execute(cli, ["sh", "-c", script, "sh", ...args]);
    succeeded(result, what);
    return result;
  }

  /** This host with the Secret `value` in the variable `name` of every call (`docker run --env name` passes it on). */
  withSecretVariable(name: string, value: Secret): DockerHost {
    return new DockerHost(this.cli.withSecretVariable(name, value));
  }

  /** Runs `docker args…` and returns its outcome whatever the exit code. */
  attempt(args: string[], stdin?: string): Promise<ExecResult> {
    return execute(this.cli, ["docker", ...args], stdin);
  }

  /** Runs `docker args…` and returns its trimmed stdout; fails with its last output lines, labelled `what`. */
  async run(args: string[], what: string, stdin?: string): Promise<string> {
    return succeeded(await this.attempt(args, stdin), what);
  }

  /** Pulls `image` onto the target, logging in to its registry first when credentials are given. */
  async pull(image: string, credentials?: RegistryCredentials): Promise<void> {
    const what = `docker pull ${image}`;
    if (!credentials) {
      await this.run(["pull", "--quiet", image], what);
      return;
    }
    // The password reaches docker login only through stdin; the config.json it writes (base64 of user:password) is on
    // a tmpfs that lives as long as this one exec, so no snapshot the engine keeps holds it.
    const login = await execute(
      this.cli
        .withMountedTemp(LOGIN_CONFIG_DIR)
        .withEnvVariable("DOCKER_CONFIG", LOGIN_CONFIG_DIR)
        .withSecretVariable("REGISTRY_PASSWORD", credentials.password),
      [
        "sh",
        "-c",
        'printf %s "$REGISTRY_PASSWORD" | docker login --username "$1" --password-stdin "$2" >/dev/null && docker pull --quiet "$3"',
        "sh",
        credentials.username,
        credentials.registry,
        image,
      ],
    );
    succeeded(login, what);
  }

  /** Whether a container by that name exists and is running. */
  async isRunning(name: string): Promise<boolean> {
    const result = await this.attempt([
      "inspect",
      "--format",
      "{{.State.Running}}",
      name,
    ]);
    return result.exitCode === 0 && result.stdout.trim() === "true";
  }

  /** Stops (SIGTERM, so in-flight requests finish) and removes the named containers; absent ones are fine. */
  async remove(...names: string[]): Promise<void> {
    if (names.length === 0) return;
    await this.script(
      'docker stop --time 10 "$@" >/dev/null 2>&1; docker rm --force "$@" >/dev/null 2>&1; exit 0',
      names,
      `removing ${names.join(", ")}`,
    );
  }
}

/** How the target's daemon is reached: its socket forwarded by the caller, or a DOCKER_HOST URL kept secret. */
export type DockerEndpoint =
  { socket: Socket } | { host: Secret; ssh?: SshAccess; tls?: TlsAccess };

/** What the CLI needs for DOCKER_HOST=tcp://… to a daemon running with --tlsverify: its CA, a client certificate and key. */
export interface TlsAccess {
  ca: Secret;
  cert: Secret;
  key: Secret;
}

/** What the CLI's ssh needs for DOCKER_HOST=ssh://…: a private key, and the target's host keys to verify it by. */
export interface SshAccess {
  key: Secret;
  /** known_hosts lines (e.g. `ssh-keyscan` output); the host key is always checked. */
  knownHosts: string;
}

// The docker CLI runs `ssh <host> docker system dial-stdio`; this is the ssh config it runs with.
const SSH_DIR = "/root/.ssh";
const SSH_CONFIG = `Host *
  IdentityFile ${SSH_DIR}/gantry_key
  IdentitiesOnly yes
  UserKnownHostsFile ${SSH_DIR}/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
`;

function sshClient({ key, knownHosts }: SshAccess) {
  return (cli: Container) =>
    cli
      .withMountedSecret(`${SSH_DIR}/gantry_key`, key, { mode: 0o600 })
      .withNewFile(`${SSH_DIR}/known_hosts`, knownHosts)
      .withNewFile(`${SSH_DIR}/config`, SSH_CONFIG);
}

function tlsClient({ ca, cert, key }: TlsAccess) {
  return (cli: Container) =>
    cli
      .withMountedSecret(`${TLS_DIR}/ca.pem`, ca)
      .withMountedSecret(`${TLS_DIR}/cert.pem`, cert)
      .withMountedSecret(`${TLS_DIR}/key.pem`, key, { mode: 0o600 })
      .withEnvVariable("DOCKER_CERT_PATH", TLS_DIR)
      .withEnvVariable("DOCKER_TLS_VERIFY", "1");
}

/** The registry the target pulls from (host[:port]) and its user name and password (or token). */
export interface RegistryCredentials {
  registry: string;
  username: string;
  password: Secret;
}

async function execute(
  container: Container,
  args: string[],
  stdin?: string,
): Promise<ExecResult> {
  const ran = uncached(container).withExec(args, {
    expect: ReturnType.Any,
    stdin,
  });
  const [exitCode, stdout, stderr] = await Promise.all([
    ran.exitCode(),
    ran.stdout(),
    ran.stderr(),
  ]);
  return { exitCode, stdout, stderr, container: ran };
}
