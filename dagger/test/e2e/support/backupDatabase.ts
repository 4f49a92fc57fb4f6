import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  hostDocker,
  POSTGRES_FROM_TEST_REGISTRY,
  untilAnswers,
} from "./deployFixture.js";

/**
 * The database a backup e2e backs up: Postgres on a network of its own on the host's Docker (the target), reached by
 * name from the containers `backup` starts there, with a random password the tests look for in every output.
 */
export class BackupDatabase {
  readonly password = randomBytes(12).toString("hex");
  readonly name: string;
  readonly network: string;
  /** The volume the environment's backups are kept in. */
  readonly volume: string;

  constructor(readonly env: string) {
    this.name = `gantry-${env}-postgres`;
    this.network = `gantry-${env}-db`;
    this.volume = `gantry-${env}-backups`;
  }

  /** The database's URL as the target's containers reach it. */
  get url(): string {
    return `postgres://gantry:${this.password}@${this.name}:5432/gantry`;
  }

  /** Starts it afresh (anything a previous run left removed first) and waits until it answers. */
  async start(): Promise<void> {
    this.remove();
    hostDocker("network", "create", this.network);
    hostDocker(
      "run",
      "--detach",
      "--name",
      this.name,
      "--network",
      this.network,
      "--env",
      "POSTGRES_USER=gantry",
      "--env",
      "POSTGRES_DB=gantry",
      "--env",
      `POSTGRES_PASSWORD=${this.password}`,
      POSTGRES_FROM_TEST_REGISTRY,
    );
    await untilAnswers(() => this.psql("SELECT 1"));
  }

  /** Runs SQL in it and returns the rows, unaligned. */
  psql(sql: string): string {
    return hostDocker(
      "exec",
      "--env",
      `PGPASSWORD=${this.password}`,
      this.name,
      "psql",
      "--host=127.0.0.1",
      "--username=gantry",
      "--dbname=gantry",
      "--no-align",
      "--tuples-only",
      "--set",
      "ON_ERROR_STOP=1",
      "--command",
      sql,
    );
  }

  /** The backup volume's files with their sizes and times: what "earlier backups are untouched" compares. */
  volumeFiles(): string {
    return hostDocker(
      "run",
      "--rm",
      "--volume",
      `${this.volume}:/b`,
      "--entrypoint",
      "sh",
      POSTGRES_FROM_TEST_REGISTRY,
      "-c",
      'cd /b && for f in * .[!.]*; do [ -e "$f" ] && stat -c \'%n %s %Y\' "$f"; done; true',
    );
  }

  /** Removes the database, its network, the backup volume and the history volume reading the live version creates. */
  remove(): void {
    for (const args of [
      ["rm", "--force", this.name],
      ["network", "rm", this.network],
      ["volume", "rm", "--force", this.volume],
      ["volume", "rm", "--force", `gantry-${this.env}-history`],
    ])
      try {
        execFileSync("docker", args, { stdio: "ignore" });
      } catch {
        // Absent.
      }
  }
}
