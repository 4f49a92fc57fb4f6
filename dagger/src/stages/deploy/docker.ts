import {
  dag,
  ReturnType,
  type Container,
  type Secret,
  type Socket,
} from "@dagger.io/dagger";
import { imageRegistry } from "../../core/release/image.js";
import { uncached } from "../release/exec.js";
import { tail, type ExecResult } from "../workspace.js";

const SOCKET_PATH = "/var/run/docker.sock";

/** The Docker CLI talking to the target's daemon through its socket; every call runs anew (never from the engine's cache). */
export class DockerHost {
  private constructor(private readonly cli: Container) {}

  static connect(socket: Socket, cliImage: string): DockerHost {
    return new DockerHost(
      dag
        .container()
        .from(cliImage)
        .withUnixSocket(SOCKET_PATH, socket)
        .withEnvVariable("DOCKER_HOST", `unix://${SOCKET_PATH}`),
    );
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
    // The password reaches docker login only through stdin; the login lives as long as this one exec.
    const login = await execute(
      this.cli.withSecretVariable("REGISTRY_PASSWORD", credentials.password),
      [
        "sh",
        "-c",
        'printf %s "$REGISTRY_PASSWORD" | docker login --username "$1" --password-stdin "$2" >/dev/null && docker pull --quiet "$3"',
        "sh",
        credentials.username,
        imageRegistry(image),
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
    await this.attempt(["stop", "--time", "10", ...names]);
    await this.attempt(["rm", "--force", ...names]);
  }
}

/** User name and password (or token) of the registry the target pulls from. */
export interface RegistryCredentials {
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

function succeeded(result: ExecResult, what: string): string {
  if (result.exitCode !== 0)
    throw new Error(`${what} failed (${tail(result)})`);
  return result.stdout.trim();
}
