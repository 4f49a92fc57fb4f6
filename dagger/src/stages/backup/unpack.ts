import { dag, type File, type Secret } from "@dagger.io/dagger";
import {
  DUMP_FILE,
  ENCRYPTED_DUMP_FILE,
  parseManifest,
  type BackupManifest,
} from "../../core/backup/manifest.js";
import { checksumGate } from "../../core/backup/restoreTest.js";
import { failureMessage, type GateVerdict } from "../../core/gates.js";
import type { Project } from "../workspace.js";
import { ageContainer } from "./age.js";

// A backup tar's way to a restorable dump, shared by restore-test, restore and rollback --restore-database.
const WORK = "/work";
const IDENTITY = "/run/secrets/gantry-age-identity";

/** A backup tar unpacked in the restore image: the manifest it carries, the sha256 of its dump as it is, the dump. */
export async function unpackBackup(
  project: Project,
  tar: File,
  label: string,
): Promise<{ manifest: BackupManifest; actualSha256: string; dump: File }> {
  const unpacked = dag
    .container()
    .from(project.config.images.postgres)
    .withFile(`${WORK}/backup.tar`, tar)
    .withExec([
      "sh",
      "-c",
      `set -e; cd ${WORK}; tar -xf backup.tar; rm backup.tar; sha256sum ${DUMP_FILE}* | cut -c1-64; cat manifest.json`,
    ]);
  const [actualSha256, ...manifestLines] = (await unpacked.stdout()).split(
    "\n",
  );
  const manifest = parseManifest(manifestLines.join("\n"), label);
  return {
    manifest,
    actualSha256,
    dump: unpacked.file(`${WORK}/${manifest.payload.file}`),
  };
}

/**
 * A backup's dump, checked against `manifest`'s sha256 (the one stored beside it on the target, else the tar's own)
 * and decrypted: ready to restore, or an error.
 */
export async function verifiedDump(
  project: Project,
  tar: File,
  label: string,
  ageIdentity: Secret | undefined,
  expected?: BackupManifest,
): Promise<{ manifest: BackupManifest; dump: File }> {
  const unpacked = await unpackBackup(project, tar, label);
  const manifest = expected ?? unpacked.manifest;
  const verdict = checksumGate(manifest, unpacked.actualSha256);
  if (verdict.status === "fail") throw new Error(verdict.details.join(" "));
  const { value } = await decrypt(
    project,
    manifest,
    unpacked.dump,
    ageIdentity,
  );
  await value.sync();
  return { manifest, dump: value };
}

/** The dump in cleartext: as it is, or decrypted with `identity` (the gate says which); an error names the problem. */
export async function decrypt(
  project: Project,
  manifest: BackupManifest,
  payload: File,
  identity: Secret | undefined,
): Promise<{ verdict: GateVerdict; value: File }> {
  const name = "decryption";
  if (manifest.payload.file !== ENCRYPTED_DUMP_FILE)
    return {
      verdict: {
        name,
        status: "pass",
        figure: "not encrypted",
        threshold: "-",
        details: [],
      },
      value: payload,
    };
  if (!identity)
    throw new Error(
      `${manifest.id} is encrypted with age to ${manifest.payload.recipients.join(", ")}: pass the identity (private key) with --age-identity`,
    );
  const container = ageContainer(project.config)
    .withFile(`${WORK}/${ENCRYPTED_DUMP_FILE}`, payload)
    .withMountedSecret(IDENTITY, identity)
    .withExec([
      "age",
      "--decrypt",
      "--identity",
      IDENTITY,
      "--output",
      `${WORK}/${DUMP_FILE}`,
      `${WORK}/${ENCRYPTED_DUMP_FILE}`,
    ]);
  try {
    await container.sync();
  } catch (error) {
    throw new Error(
      `age could not decrypt ${manifest.id} with --age-identity (${failureMessage(error).split("\n").slice(-2).join(" ")}): is it the key of one of ${manifest.payload.recipients.join(", ")}?`,
      { cause: error },
    );
  }
  return {
    verdict: {
      name,
      status: "pass",
      figure: `age, ${manifest.payload.recipients.length} recipient(s)`,
      threshold: "decrypts",
      details: [],
    },
    value: container.file(`${WORK}/${DUMP_FILE}`),
  };
}
