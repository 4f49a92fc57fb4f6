import { seconds } from "../../core/duration.js";
import { dag, type Container, type File, type Secret } from "@dagger.io/dagger";
import {
  offsiteKey,
  offsiteLocation,
  parseOffsiteListing,
  parseUploadCheck,
  uploadMismatches,
  type OffsiteConfig,
  type OffsiteLocation,
} from "../../core/backup/offsite.js";
import {
  applyRetention,
  type StoredBackup,
} from "../../core/backup/retention.js";
import { failureMessage } from "../../core/gates.js";
import { uncached, type Project } from "../workspace.js";

/** The S3 credentials `backup` was given, as Secrets. */
export interface S3Credentials {
  accessKeyId: Secret;
  secretAccessKey: Secret;
  sessionToken?: Secret;
}

const TAR = "/backup/backup.tar";
const READBACK = "/backup/read-back.tar";

/** What every script starts with: `aws` with the endpoint when one is set. */
const PRELUDE = `set -eu
aws() { command aws \${GANTRY_S3_ENDPOINT:+--endpoint-url "$GANTRY_S3_ENDPOINT"} "$@"; }
`;

/** The scripts the AWS CLI container runs, as files (so an error shows `sh /gantry/upload.sh <bucket> <key>`). */
const SCRIPTS = {
  /**
   * $1 bucket, $2 key: sends the tar with its sha256 as metadata, then reads back the object's size and metadata
   * (head-object) and the sha256 of the object downloaded again; prints `L sha bytes`, `H bytes sha`, `D sha`.
   */
  upload: `sha=$(sha256sum ${TAR} | cut -c1-64)
echo "L $sha $(wc -c < ${TAR})"
aws s3 cp --only-show-errors --metadata "sha256=$sha" ${TAR} "s3://$1/$2"
head=$(aws s3api head-object --bucket "$1" --key "$2" --query '[ContentLength, Metadata.sha256]' --output text)
echo "H $head"
aws s3 cp --only-show-errors "s3://$1/$2" ${READBACK}
echo "D $(sha256sum ${READBACK} | cut -c1-64)"`,
  /** $1 bucket, $2 prefix: the keys under the prefix, one a line. */
  list: `keys=$(aws s3api list-objects-v2 --bucket "$1" --prefix "$2" --query 'Contents[].Key' --output text)
printf '%s\\n' "$keys" | tr '\\t' '\\n' | grep -v '^None$' || true`,
  /** $1 bucket, then the keys to delete. */
  delete: `bucket=$1; shift
for key in "$@"; do aws s3 rm --only-show-errors "s3://$bucket/$key"; done`,
};

/** The AWS CLI with the credentials as secret variables, the region, the endpoint and the addressing style. */
function awsCli(
  project: Project,
  offsite: OffsiteConfig,
  credentials: S3Credentials,
): Container {
  let aws = dag
    .container()
    .from(project.config.images.awsCli)
    .withEnvVariable("AWS_DEFAULT_REGION", offsite.region)
    // CLI 2.23+ adds CRC checksums to every request by default, which several S3-compatible stores reject.
    .withEnvVariable("AWS_REQUEST_CHECKSUM_CALCULATION", "when_required")
    .withEnvVariable("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
    .withEnvVariable("AWS_CONFIG_FILE", "/gantry/aws-config")
    .withNewFile(
      "/gantry/aws-config",
      `[default]\ns3 =\n  addressing_style = ${offsite.forcePathStyle ? "path" : "auto"}\n`,
    )
    .withSecretVariable("AWS_ACCESS_KEY_ID", credentials.accessKeyId)
    .withSecretVariable("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey);
  if (credentials.sessionToken)
    aws = aws.withSecretVariable("AWS_SESSION_TOKEN", credentials.sessionToken);
  aws = Object.entries(SCRIPTS).reduce(
    (container, [name, script]) =>
      container.withNewFile(`/gantry/${name}.sh`, PRELUDE + script),
    aws,
  );
  return offsite.endpoint
    ? aws.withEnvVariable("GANTRY_S3_ENDPOINT", offsite.endpoint)
    : aws;
}

/** Runs an aws script; an error names what was being done and where, and that the local backup stays. */
async function run(
  aws: Container,
  script: keyof typeof SCRIPTS,
  args: string[],
  doing: string,
  location: OffsiteLocation,
  localBackup: string,
): Promise<string> {
  try {
    return await uncached(aws)
      .withExec(["sh", `/gantry/${script}.sh`, ...args])
      .stdout();
  } catch (error) {
    throw new Error(
      `backup.offsite: ${doing} ${location.describe} failed; ${localBackup}:\n${failureMessage(error)}`,
      { cause: error },
    );
  }
}

/**
 * Copies a backup's tar to the bucket under the instance's prefix, proves the copy (size, sha256 metadata, sha256 of a
 * fresh download against the tar sent), then expires the bucket's copies by backup.retention like the target's, the
 * newest restore-tested one never. Returns report lines; throws, naming the bucket, when any step fails.
 */
export async function copyOffsite(
  project: Project,
  offsite: OffsiteConfig,
  credentials: S3Credentials,
  backup: { id: string; instance: string; file: File; volume: string },
  /** The target's backups after its own retention, with their restore tests. */
  local: StoredBackup[],
): Promise<string[]> {
  const started = Date.now();
  const location = offsiteLocation(offsite, backup.instance);
  const key = offsiteKey(location, backup.id);
  const aws = awsCli(project, offsite, credentials);
  const localBackup = `the local backup ${backup.id} is stored in volume ${backup.volume} on the target and stays`;
  const check = parseUploadCheck(
    await run(
      aws.withFile(TAR, backup.file),
      "upload",
      [location.bucket, key],
      `copying ${backup.id} to`,
      location,
      localBackup,
    ),
  );
  const mismatches = uploadMismatches(check);
  if (mismatches.length)
    throw new Error(
      `backup.offsite: the copy of ${backup.id} at s3://${location.bucket}/${key} does not match the backup (${mismatches.join("; ")}); ${localBackup}`,
    );
  const lines = [
    `  offsite: s3://${location.bucket}/${key}${offsite.endpoint ? ` at ${offsite.endpoint}` : ""}, ${check.sent.bytes} bytes, read back and verified (tar sha256 ${check.sent.sha256}) in ${seconds(Date.now() - started)}`,
  ];
  if (!offsite.retention)
    return [
      ...lines,
      "  offsite retention: off (backup.offsite.retention is false; a bucket lifecycle rule expires the copies)",
    ];
  const listed = parseOffsiteListing(
    await run(
      aws,
      "list",
      [location.bucket, location.prefix],
      "listing",
      location,
      localBackup,
    ),
    location,
    backup.instance,
    local,
  );
  const { keep, expire } = applyRetention(
    listed,
    project.config.backup.retention,
    new Date(),
  );
  if (expire.length)
    await run(
      aws,
      "delete",
      [location.bucket, ...expire.map((id) => offsiteKey(location, id))],
      "expiring old copies in",
      location,
      localBackup,
    );
  return [
    ...lines,
    `  offsite retention: ${keep.size} kept, ${expire.length ? `removed ${expire.join(", ")}` : "none expired"}`,
  ];
}
