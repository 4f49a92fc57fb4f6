import { execFileSync, spawn } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { engineBridgeAddress } from "./deployFixture.js";

/** This host's Docker as a remote target reached over ssh: `DOCKER_HOST=ssh://root@<bridge>:<port>`. */
export interface SshTarget {
  url: string;
  /** The client's private key (OpenSSH format). */
  privateKey: string;
  /** The known_hosts line of the sshd's host key. */
  knownHosts: string;
  /** Logins sshd accepted so far. */
  acceptedLogins(): number;
  close(): Promise<void>;
}

/**
 * Starts a dedicated sshd (Debian's openssh-server) listening only on the engine's bridge, with a host key and a
 * client key made for the test; the docker CLI on the other side runs `docker system dial-stdio` through it.
 */
export async function startSshTarget(): Promise<SshTarget> {
  const dir = mkdtempSync(join(tmpdir(), "gantry-ssh-target-"));
  for (const key of ["host_key", "client_key"])
    execFileSync("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-f",
      join(dir, key),
    ]);
  writeFileSync(
    join(dir, "authorized_keys"),
    readFileSync(join(dir, "client_key.pub")),
  );
  const bridge = engineBridgeAddress();
  const port = await freePort(bridge);
  writeFileSync(
    join(dir, "sshd_config"),
    [
      `Port ${port}`,
      `ListenAddress ${bridge}`,
      `HostKey ${join(dir, "host_key")}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      // The keys live in a temporary directory, not in a home directory sshd would check the modes of.
      "StrictModes no",
    ].join("\n"),
  );
  // sshd's privilege separation directory; the distribution's service creates it at boot.
  mkdirSync("/run/sshd", { recursive: true });
  const sshd = spawn("/usr/sbin/sshd", [
    "-D",
    "-e",
    "-f",
    join(dir, "sshd_config"),
  ]);
  let log = "";
  sshd.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    sshd.on("exit", () => resolve()),
  );
  const close = async () => {
    sshd.kill();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; !(await accepts(bridge, port)); attempt++) {
    if (attempt === 50 || sshd.exitCode !== null) {
      await close();
      throw new Error(
        `sshd did not come up on ${bridge}:${port}: ${log.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const hostKey = readFileSync(join(dir, "host_key.pub"), "utf8").trim();
  return {
    url: `ssh://root@${bridge}:${port}`,
    privateKey: readFileSync(join(dir, "client_key"), "utf8"),
    knownHosts: `[${bridge}]:${port} ${hostKey}\n`,
    acceptedLogins: () => log.split("Accepted publickey").length - 1,
    close,
  };
}

async function freePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}
