import { describe, expect, it } from "vitest";
import { checkDockerHost } from "../../../src/core/deploy/dockerHost.js";

const plain = { ssh: false, tls: false };

describe("checkDockerHost", () => {
  it("refuses plain tcp, naming the TLS flags and never the URL", () => {
    let message = "";
    try {
      checkDockerHost("tcp://10.0.0.5:2375", plain);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(
      "a tcp:// --docker-host needs TLS: pass --docker-tls-ca, --docker-tls-cert and --docker-tls-key",
    );
    expect(message).not.toContain("10.0.0.5");
    expect(() => checkDockerHost("TCP://10.0.0.5:2376", plain)).toThrow(
      "needs TLS",
    );
  });

  it("accepts tcp with TLS and ssh, each only with its own flags", () => {
    expect(() =>
      checkDockerHost("tcp://10.0.0.5:2376", { ssh: false, tls: true }),
    ).not.toThrow();
    expect(() =>
      checkDockerHost("ssh://deploy@host", { ssh: true, tls: false }),
    ).not.toThrow();
    expect(() => checkDockerHost("ssh://deploy@host", plain)).toThrow(
      "an ssh:// --docker-host needs --docker-ssh-key and --docker-known-hosts",
    );
    expect(() =>
      checkDockerHost("ssh://deploy@host", { ssh: true, tls: true }),
    ).toThrow("are for a tcp:// --docker-host, not ssh://");
    expect(() =>
      checkDockerHost("tcp://10.0.0.5:2376", { ssh: true, tls: true }),
    ).toThrow("are for an ssh:// --docker-host, not tcp://");
  });

  it("refuses other schemes and no URL at all", () => {
    expect(() => checkDockerHost("unix:///var/run/docker.sock", plain)).toThrow(
      "--docker-host must be an ssh://… or tcp://… URL, got a unix:// one (for a local daemon pass --docker-socket)",
    );
    expect(() => checkDockerHost("10.0.0.5:2375", plain)).toThrow("got no URL");
  });

  it("reads the scheme at the start of the URL, spaces around it ignored", () => {
    const withTls = { ssh: false, tls: true };
    // Hand-written: a URL read from a file with blanks around it, and one pasted together with docker's -H flag.
    expect(() =>
      checkDockerHost("  tcp://10.0.0.5:2376\n", withTls),
    ).not.toThrow();
    expect(() => checkDockerHost("-H tcp://10.0.0.5:2376", withTls)).toThrow(
      "--docker-host must be an ssh://… or tcp://… URL, got no URL (for a local daemon pass --docker-socket)",
    );
  });
});
