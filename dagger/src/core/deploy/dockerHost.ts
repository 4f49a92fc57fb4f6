/** What came with a --docker-host besides its URL. */
export interface DockerHostOptions {
  ssh: boolean;
  tls: boolean;
}

/**
 * Checks a DOCKER_HOST URL against the flags given with it; throws naming the flags, never the URL (a Secret).
 * tcp:// only with TLS verification both ways: the Docker API is root on the host and carries registry
 * credentials and the app's secrets.
 */
export function checkDockerHost(
  url: string,
  { ssh, tls }: DockerHostOptions,
): void {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i
    .exec(url.trim())?.[1]
    ?.toLowerCase();
  if (scheme === "tcp") {
    if (!tls)
      throw new Error(
        "a tcp:// --docker-host needs TLS: pass --docker-tls-ca, --docker-tls-cert and --docker-tls-key (the daemon running with --tlsverify), or use ssh://; plain tcp would hand the Docker API, root on the host, and every secret sent to it to anyone on the path",
      );
    if (ssh)
      throw new Error(
        "--docker-ssh-key and --docker-known-hosts are for an ssh:// --docker-host, not tcp://",
      );
    return;
  }
  if (scheme === "ssh") {
    if (!ssh)
      throw new Error(
        "an ssh:// --docker-host needs --docker-ssh-key and --docker-known-hosts (the target's host keys, checked out of band)",
      );
    if (tls)
      throw new Error(
        "--docker-tls-ca, --docker-tls-cert and --docker-tls-key are for a tcp:// --docker-host, not ssh:// (ssh encrypts and authenticates itself)",
      );
    return;
  }
  throw new Error(
    `--docker-host must be an ssh://… or tcp://… URL, got ${scheme ? `a ${scheme}:// one` : "no URL"} (for a local daemon pass --docker-socket)`,
  );
}
