import bcrypt from "bcryptjs";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The address the test engine's engine.json marks as plain HTTP for this registry. */
export const AUTH_REGISTRY = "127.0.0.1:5001";

/**
 * A registry that, unlike the mirror, requires a login: Debian's docker-registry with an htpasswd (bcrypt) file. Its
 * user `username` publishes (as CI does with its token); `puller` is a second user, the one a target pulls with.
 */
export interface AuthRegistry {
  address: string;
  username: string;
  password: string;
  puller: { username: string; password: string };
  close(): Promise<void>;
}

/** Starts the registry on AUTH_REGISTRY with fresh storage and its two users, each with a random password. */
export async function startAuthRegistry(): Promise<AuthRegistry> {
  const root = mkdtempSync(join(tmpdir(), "gantry-auth-registry-"));
  const username = "gantry-e2e";
  const password = randomBytes(12).toString("hex");
  const puller = {
    username: "gantry-e2e-pull",
    password: randomBytes(12).toString("hex"),
  };
  writeFileSync(
    join(root, "htpasswd"),
    `${username}:${bcrypt.hashSync(password, 10)}\n${puller.username}:${bcrypt.hashSync(puller.password, 10)}\n`,
  );
  writeFileSync(
    join(root, "config.yml"),
    [
      "version: 0.1",
      "log: { level: warn }",
      `storage: { filesystem: { rootdirectory: ${join(root, "data")} } }`,
      `http: { addr: ${AUTH_REGISTRY} }`,
      `auth: { htpasswd: { realm: gantry-e2e, path: ${join(root, "htpasswd")} } }`,
    ].join("\n"),
  );
  const server = spawn("docker-registry", ["serve", join(root, "config.yml")], {
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) =>
    server.on("exit", () => resolve()),
  );
  const close = async () => {
    server.kill();
    await exited;
    rmSync(root, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    const status = await fetch(`http://${AUTH_REGISTRY}/v2/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) break;
    if (attempt === 50 || server.exitCode !== null) {
      await close();
      throw new Error(
        `the auth registry on ${AUTH_REGISTRY} did not come up (last answer: ${status || "none"})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { address: AUTH_REGISTRY, username, password, puller, close };
}
