import { dag, type File } from "@dagger.io/dagger";
import type { DeployTarget } from "../../core/deploy/environment.js";
import type { BackupManifest } from "../../core/backup/manifest.js";
import { parseListing } from "../../core/backup/restoreTest.js";
import type { DockerHost } from "../deploy/docker.js";
import type { Project } from "../workspace.js";

const MOUNT = "/backups";
const INCOMING = "/run/gantry-backup";

/** Prints `M <manifest>` per backup and `T <id> <time>` per passed restore test (see parseListing). */
export const LIST_SCRIPT = `cd ${MOUNT} || exit 1
for f in *.manifest.json; do [ -e "$f" ] && printf 'M %s\\n' "$(tr -d '\\n' < "$f")"; done
for f in *.restore-test; do [ -e "$f" ] && printf 'T %s %s\\n' "\${f%.restore-test}" "$(cat "$f")"; done
exit 0`;

/**
 * The backups of one instance, in the named volume gantry-<instance>-backups on the target: `<id>.tar` (manifest and
 * dump), `<id>.manifest.json` beside it for listing, `<id>.restore-test` once it passed a restore test. A backup
 * appears only complete (moved into place, its manifest last) and is removed only by retention.
 */
export class BackupStore {
  readonly volume: string;

  constructor(
    private readonly docker: DockerHost,
    private readonly project: Project,
    readonly target: DeployTarget,
  ) {
    this.volume = `gantry-${target.instance}-backups`;
  }

  /** `docker run` flags for a one-off container with the volume mounted, in the image that also runs psql. */
  inVolume(...flags: string[]): string[] {
    return [
      "run",
      "--rm",
      ...flags,
      "--volume",
      `${this.volume}:${MOUNT}`,
      "--entrypoint",
      "sh",
      this.project.config.images.postgres,
    ];
  }

  /** The backups in the volume; none when it does not exist (reading never creates it, unlabelled). */
  async list() {
    return parseListing(
      await this.docker.script(
        'docker volume inspect "$1" >/dev/null 2>&1 || exit 0; shift; exec docker "$@"',
        [this.volume, ...this.inVolume(), "-c", LIST_SCRIPT],
        `listing the backups in ${this.volume}`,
      ),
    );
  }

  /** The backup's tar, copied off the target. */
  async fetch(id: string): Promise<File> {
    const { file } = await this.docker.scriptFile(
      `set -e
cid=$(docker create --volume "$1:${MOUNT}" "$2" true)
trap 'docker rm --force "$cid" >/dev/null' EXIT
docker cp "$cid:${MOUNT}/$3.tar" /tmp/backup.tar`,
      [this.volume, this.project.config.images.postgres, id],
      `copying backup ${id} off the target`,
      "/tmp/backup.tar",
    );
    return file;
  }

  /** Moves a new backup into the volume (its manifest last), then removes the `expired` ones. */
  async store(
    tar: File,
    manifest: BackupManifest,
    expired: string[],
  ): Promise<void> {
    const manifestFile = dag
      .directory()
      .withNewFile("m.json", JSON.stringify(manifest))
      .file("m.json");
    await this.docker
      .withFile(`${INCOMING}/${manifest.id}.tar`, tar)
      .withFile(`${INCOMING}/${manifest.id}.manifest.json`, manifestFile)
      .script(
        `set -e
volume=$1 image=$2 id=$3; shift 3
cid=$(docker create --volume "$volume:${MOUNT}" --entrypoint sh "$image" -c '
  set -e; cd ${MOUNT}; id=$1; shift
  mv ".incoming-$id/$id.tar" "$id.tar"
  mv ".incoming-$id/$id.manifest.json" "$id.manifest.json"
  rmdir ".incoming-$id"
  for old in "$@"; do rm -f "$old.tar" "$old.manifest.json" "$old.restore-test"; done' sh "$id" "$@")
trap 'docker rm --force "$cid" >/dev/null' EXIT
docker cp ${INCOMING}/. "$cid:${MOUNT}/.incoming-$id"
docker start --attach "$cid"`,
        [
          this.volume,
          this.project.config.images.postgres,
          manifest.id,
          ...expired,
        ],
        `storing backup ${manifest.id} in ${this.volume}`,
      );
  }

  /** Marks a backup as restore-tested at `at`. */
  async markRestoreTested(id: string, at: Date): Promise<void> {
    await this.docker.run(
      [
        ...this.inVolume(),
        "-c",
        `[ -e "${MOUNT}/$0.tar" ] && printf %s "$1" > "${MOUNT}/$0.restore-test"`,
        id,
        at.toISOString(),
      ],
      `recording the restore test of ${id}`,
    );
  }
}
