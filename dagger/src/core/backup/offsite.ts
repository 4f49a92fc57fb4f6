import type { GantryConfig } from "../config.js";
import type { StoredBackup } from "./retention.js";

export type OffsiteConfig = NonNullable<GantryConfig["backup"]["offsite"]>;

/** The credential flags of `backup`, named in errors; their values never are. */
export const CREDENTIAL_FLAGS = [
  "--s3-access-key-id",
  "--s3-secret-access-key",
] as const;

/** Where an instance's offsite copies live: the bucket, the prefix with {instance} filled in, and how to print it. */
export interface OffsiteLocation {
  bucket: string;
  prefix: string;
  /** s3://bucket/prefix, and the endpoint when one is set: what messages name. */
  describe: string;
}

export function offsiteLocation(
  offsite: OffsiteConfig,
  instance: string,
): OffsiteLocation {
  const prefix = offsite.prefix.replaceAll("{instance}", instance);
  return {
    bucket: offsite.bucket,
    prefix,
    describe: `s3://${offsite.bucket}/${prefix}${offsite.endpoint ? ` at ${offsite.endpoint}` : ""}`,
  };
}

/** The object key of a backup's tar. */
export function offsiteKey(location: OffsiteLocation, id: string): string {
  return `${location.prefix}${id}.tar`;
}

/** Refuses an offsite copy without credentials, before anything is dumped. */
export function requireCredentials(
  offsite: OffsiteConfig | undefined,
  given: { accessKeyId: boolean; secretAccessKey: boolean },
): void {
  if (!offsite) return;
  const missing = CREDENTIAL_FLAGS.filter(
    (_, index) => ![given.accessKeyId, given.secretAccessKey][index],
  );
  if (missing.length)
    throw new Error(
      `backup.offsite copies every backup to s3://${offsite.bucket}: pass ${missing.join(" and ")} as Secrets (env:NAME or file:PATH); no backup was taken`,
    );
}

/** What the upload script printed about the object: its size and sha256 metadata, and the sha256 of a fresh download. */
export interface UploadCheck {
  /** sha256 and size of the tar sent. */
  sent: { sha256: string; bytes: number };
  /** ContentLength of head-object. */
  storedBytes: number;
  /** The sha256 metadata on the object. */
  storedSha256: string;
  /** sha256 of the object downloaded again. */
  downloadedSha256: string;
}

/** Parses the upload script's tagged lines (`L sha bytes`, `H bytes sha`, `D sha`). */
export function parseUploadCheck(output: string): UploadCheck {
  const fields = (tag: string) =>
    output
      .split("\n")
      .find((line) => line.startsWith(`${tag} `))
      ?.slice(2)
      .trim()
      .split(/\s+/) ?? [];
  const [sentSha, sentBytes] = fields("L");
  const [storedBytes, storedSha] = fields("H");
  const [downloaded] = fields("D");
  return {
    sent: { sha256: sentSha ?? "", bytes: Number(sentBytes) },
    storedBytes: Number(storedBytes),
    storedSha256: storedSha ?? "",
    downloadedSha256: downloaded ?? "",
  };
}

/** The differences between the tar sent and the object read back; empty when the copy is intact. */
export function uploadMismatches(check: UploadCheck): string[] {
  const { sent } = check;
  return [
    check.storedBytes === sent.bytes
      ? ""
      : `the object has ${check.storedBytes} bytes, the backup ${sent.bytes}`,
    check.storedSha256 === sent.sha256
      ? ""
      : `the object's sha256 metadata is "${check.storedSha256}", the backup's ${sent.sha256}`,
    check.downloadedSha256 === sent.sha256
      ? ""
      : `the object downloaded again hashes to ${check.downloadedSha256 || "nothing"}, the backup to ${sent.sha256}`,
  ].filter(Boolean);
}

/** `<instance>-<yyyymmdd>t<hhmmss><ms>z`, as backupId writes it. */
const ID_TIME = /-(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})(\d{3})z$/;

/**
 * The backups under the prefix, from the keys `list-objects-v2` printed one a line: `<prefix><id>.tar` whose id is one
 * of this instance's (the time it carries is its createdAt); anything else under the prefix is left alone. Restore-test
 * results come from the target's listing (`local`), which is where restore-test records them.
 */
export function parseOffsiteListing(
  keys: string,
  location: OffsiteLocation,
  instance: string,
  local: StoredBackup[],
): StoredBackup[] {
  const tested = new Map(
    local
      .filter((backup) => backup.restoreTestedAt)
      .map((backup) => [backup.id, backup.restoreTestedAt]),
  );
  return keys
    .split("\n")
    .map((key) => key.trim())
    .filter((key) => key.startsWith(location.prefix) && key.endsWith(".tar"))
    .map((key) => key.slice(location.prefix.length, -".tar".length))
    .flatMap((id) => {
      const time = ID_TIME.exec(id);
      if (!time || id.slice(0, time.index) !== instance) return [];
      const [, year, month, day, hour, minute, second, ms] = time;
      const restoreTestedAt = tested.get(id);
      return [
        {
          id,
          createdAt: `${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`,
          ...(restoreTestedAt ? { restoreTestedAt } : {}),
        },
      ];
    });
}
