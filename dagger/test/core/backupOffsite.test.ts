import { beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/core/inputError.js";
import {
  offsiteKey,
  offsiteLocation,
  parseOffsiteListing,
  parseUploadCheck,
  requireCredentials,
  uploadMismatches,
  type OffsiteConfig,
  type OffsiteLocation,
} from "../../src/core/backup/offsite.js";
import { applyRetention } from "../../src/core/backup/retention.js";
import { backupId } from "../../src/core/backup/manifest.js";
import { parseConfig } from "../../src/core/config.js";

const SHA = "ab".repeat(32);

function parse(offsite: unknown, extra: object = {}) {
  return parseConfig({
    configJson: JSON.stringify({ backup: { offsite }, ...extra }),
  });
}

function refusal(offsite: unknown, extra: object = {}): string {
  try {
    parse(offsite, extra);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("backup.offsite config", () => {
  it("is absent by default: no offsite copy; the AWS CLI image has a pinned default", () => {
    const config = parseConfig({ configJson: "{}" });
    expect(config.backup.offsite).toBeUndefined();
    expect(config.images.awsCli).toBe("amazon/aws-cli:2.27.50");
  });

  it("needs only the bucket; prefix, region, addressing and retention default", () => {
    expect(parse({ bucket: "acme-backups" }).backup.offsite).toEqual({
      bucket: "acme-backups",
      prefix: "gantry/{instance}/",
      region: "us-east-1",
      forcePathStyle: false,
      retention: true,
    });
    expect(refusal({})).toMatch(/backup\.offsite\.bucket: /);
  });

  it("takes an S3-compatible endpoint, and refuses one that is not an http(s) URL", () => {
    expect(
      parse({ bucket: "b-1", endpoint: "http://minio.local:9000" }).backup
        .offsite?.endpoint,
    ).toBe("http://minio.local:9000");
    expect(refusal({ bucket: "b-1", endpoint: "minio.local:9000" })).toContain(
      "backup.offsite.endpoint: expected an http(s) URL",
    );
    expect(refusal({ bucket: "b-1", endpoint: "ftp://minio.local" })).toContain(
      "backup.offsite.endpoint: expected an http(s) URL",
    );
  });

  it.each([
    "Acme-Backups",
    "ab",
    "a".repeat(64),
    "-acme",
    "acme-",
    "acme..backups",
    "192.168.1.10",
    "acme_backups",
    "xn--acme",
  ])("refuses the bucket name %s with the naming rules", (bucket) => {
    expect(refusal({ bucket })).toContain(
      "backup.offsite.bucket: expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens",
    );
  });

  it.each(["abc", "acme.backups-2026", "a".repeat(63)])(
    "accepts the bucket name %s",
    (bucket) => expect(parse({ bucket }).backup.offsite?.bucket).toBe(bucket),
  );

  it("refuses unknown keys, a prefix starting with or not ending in '/', and a bad region", () => {
    expect(refusal({ bucket: "abc", acessKey: "x" })).toMatch(
      /backup\.offsite: .*acessKey/,
    );
    for (const prefix of ["/gantry/", "gantry"])
      expect(refusal({ bucket: "abc", prefix })).toContain(
        "backup.offsite.prefix: expected a key prefix ending in '/'",
      );
    expect(parse({ bucket: "abc", prefix: "" }).backup.offsite?.prefix).toBe(
      "",
    );
    expect(refusal({ bucket: "abc", region: "US East" })).toContain(
      "backup.offsite.region: expected a region such as us-east-1",
    );
  });

  it('under imagePolicy "secrets", holds the AWS CLI to a digest only when there is an offsite copy', () => {
    const policy = { imagePolicy: { requireDigest: "secrets" } };
    expect(refusal({ bucket: "abc" }, policy)).toContain(
      'images.awsCli: imagePolicy.requireDigest is "secrets" and backup.offsite is set, so the AWS CLI\'s image must be pinned by digest',
    );
    expect(refusal(undefined, policy).includes("images.awsCli")).toBe(false);
  });
});

// Hand-written configs on each side of the offsite section's rules.
describe("backup.offsite config, both sides of each rule", () => {
  it("accepts a name that only starts like an IP address, and refuses one that is one", () => {
    expect(
      parse({ bucket: "2026.01.02.3-archive" }).backup.offsite?.bucket,
    ).toBe("2026.01.02.3-archive");
    for (const bucket of ["10.0.0.1", "172.16.100.10", "10.200.3.4"])
      expect(refusal({ bucket })).toContain(
        "backup.offsite.bucket: expected an S3 bucket name",
      );
  });

  it("takes a prefix given explicitly, one character long or with {instance}, and refuses one with a blank", () => {
    for (const prefix of ["b/", "backups/{instance}/", "team/db/{instance}/"])
      expect(parse({ bucket: "abc", prefix }).backup.offsite?.prefix).toBe(
        prefix,
      );
    for (const prefix of [" backups/", "db backups/", "backups /"])
      expect(refusal({ bucket: "abc", prefix })).toContain(
        "backup.offsite.prefix: expected a key prefix ending in '/'",
      );
  });

  it("takes http and https endpoints only: not a scheme that merely starts or ends like one", () => {
    expect(
      parse({ bucket: "abc", endpoint: "https://s3.example.com" }).backup
        .offsite?.endpoint,
    ).toBe("https://s3.example.com");
    for (const endpoint of ["httpx://minio.local", "shttp://minio.local"])
      expect(refusal({ bucket: "abc", endpoint })).toContain(
        "backup.offsite.endpoint: expected an http(s) URL",
      );
  });

  it("takes a region given explicitly, and refuses one with other characters after valid ones", () => {
    expect(
      parse({ bucket: "abc", region: "eu-central-1" }).backup.offsite?.region,
    ).toBe("eu-central-1");
    for (const region of ["eu_central_1", "eu-central-1 "])
      expect(refusal({ bucket: "abc", region })).toContain(
        "backup.offsite.region: expected a region such as us-east-1",
      );
  });

  it("takes path-style addressing and no bucket-side retention when asked, and refuses non-booleans", () => {
    expect(
      parse({ bucket: "abc", forcePathStyle: true, retention: false }).backup
        .offsite,
    ).toMatchObject({ forcePathStyle: true, retention: false });
    expect(refusal({ bucket: "abc", forcePathStyle: "yes" })).toContain(
      "backup.offsite.forcePathStyle: ",
    );
    expect(refusal({ bucket: "abc", retention: "false" })).toContain(
      "backup.offsite.retention: ",
    );
  });

  it('under imagePolicy "all", names the AWS CLI once, by the rule for every image', () => {
    const message = refusal(
      { bucket: "abc" },
      { imagePolicy: { requireDigest: "all" } },
    );
    expect(message).toContain(
      'images.awsCli: imagePolicy.requireDigest is "all", so this image must be pinned by digest',
    );
    expect(message).not.toContain("backup.offsite is set");
  });

  it('under imagePolicy "secrets", accepts the AWS CLI pinned by digest', () => {
    const pinned = `amazon/aws-cli:2.27.50@sha256:${"0".repeat(64)}`;
    // Still refused, for the other images that receive secrets, but no longer for the AWS CLI.
    expect(
      refusal(
        { bucket: "abc" },
        {
          imagePolicy: { requireDigest: "secrets" },
          images: { awsCli: pinned },
        },
      ),
    ).not.toContain("images.awsCli");
  });
});

// The offsite config is read before each test, not while the file is collected: a schema mutant that throws there
// would leave the file without tests, which Stryker counts as the mutant surviving.
const stagingOffsite = () => parse({ bucket: "acme-backups" }).backup.offsite!;

describe("offsite copies", () => {
  let offsite: OffsiteConfig;
  let location: OffsiteLocation;
  beforeEach(() => {
    offsite = stagingOffsite();
    location = offsiteLocation(offsite, "staging");
  });

  it("keys a backup under the instance's prefix and names the bucket and endpoint", () => {
    expect(offsiteKey(location, "staging-20260101t000000000z")).toBe(
      "gantry/staging/staging-20260101t000000000z.tar",
    );
    expect(location.describe).toBe("s3://acme-backups/gantry/staging/");
    expect(
      offsiteLocation({ ...offsite, endpoint: "http://minio:9000" }, "x")
        .describe,
    ).toBe("s3://acme-backups/gantry/x/ at http://minio:9000");
  });

  it("refuses a missing credential by its flag, and asks nothing when offsite is not set", () => {
    expect(() =>
      requireCredentials(offsite, {
        accessKeyId: true,
        secretAccessKey: false,
      }),
    ).toThrow(
      "backup.offsite copies every backup to s3://acme-backups: pass --s3-secret-access-key as Secrets (env:NAME or file:PATH); no backup was taken",
    );
    expect(() =>
      requireCredentials(offsite, {
        accessKeyId: false,
        secretAccessKey: false,
      }),
    ).toThrow("pass --s3-access-key-id and --s3-secret-access-key");
    expect(() =>
      requireCredentials(offsite, { accessKeyId: true, secretAccessKey: true }),
    ).not.toThrow();
    expect(() =>
      requireCredentials(undefined, {
        accessKeyId: false,
        secretAccessKey: false,
      }),
    ).not.toThrow();
  });

  it("accepts a copy whose size, metadata and download all match, and names each difference otherwise", () => {
    const intact = parseUploadCheck(
      `L ${SHA} 2048\nH 2048\t${SHA}\nD ${SHA}\n`,
    );
    expect(intact).toEqual({
      sent: { sha256: SHA, bytes: 2048 },
      storedBytes: 2048,
      storedSha256: SHA,
      downloadedSha256: SHA,
    });
    expect(uploadMismatches(intact)).toEqual([]);
    const other = "cd".repeat(32);
    expect(
      uploadMismatches(
        parseUploadCheck(`L ${SHA} 2048\nH 2047\tNone\nD ${other}\n`),
      ),
    ).toEqual([
      "the object has 2047 bytes, the backup 2048",
      `the object's sha256 metadata is "None", the backup's ${SHA}`,
      `the object downloaded again hashes to ${other}, the backup to ${SHA}`,
    ]);
    expect(uploadMismatches(parseUploadCheck(`L ${SHA} 2048\n`))).toHaveLength(
      3,
    );
  });

  it("lists only this instance's backups under the prefix, dated by their ids, restore tests from the target", () => {
    const older = backupId("staging", new Date("2026-01-01T02:03:04.005Z"));
    const newer = backupId("staging", new Date("2026-02-01T00:00:00.000Z"));
    const keys = [
      `gantry/staging/${older}.tar`,
      `gantry/staging/${newer}.tar`,
      `gantry/staging/notes.txt`,
      `gantry/staging/${backupId("staging-2", new Date())}.tar`,
      `gantry/staging/${newer}.tar.partial`,
    ].join("\n");
    expect(
      parseOffsiteListing(keys, location, "staging", [
        { id: older, createdAt: "x", restoreTestedAt: "2026-01-02T00:00:00Z" },
      ]),
    ).toEqual([
      {
        id: older,
        createdAt: "2026-01-01T02:03:04.005Z",
        restoreTestedAt: "2026-01-02T00:00:00Z",
      },
      { id: newer, createdAt: "2026-02-01T00:00:00.000Z" },
    ]);
  });

  it("expires old copies by the policy but never the newest restore-tested one", () => {
    const ids = ["2026-01-01", "2026-01-10", "2026-01-20"].map((day) =>
      backupId("staging", new Date(`${day}T00:00:00Z`)),
    );
    const listed = parseOffsiteListing(
      ids.map((id) => `gantry/staging/${id}.tar`).join("\n"),
      location,
      "staging",
      [{ id: ids[0], createdAt: "", restoreTestedAt: "2026-01-02T00:00:00Z" }],
    );
    const { expire } = applyRetention(
      listed,
      { keepLast: 1, keepDays: 0, daily: 0, weekly: 0, monthly: 0 },
      new Date("2026-03-01T00:00:00Z"),
    );
    expect(expire).toEqual([ids[1]]);
  });
});

// Hand-written upload-script output and list-objects-v2 keys, shaped as the backup stage's script prints them.
describe("offsite copies, edge cases", () => {
  let location: OffsiteLocation;
  let id: string;
  beforeEach(() => {
    location = offsiteLocation(stagingOffsite(), "staging");
    id = backupId("staging", new Date("2026-01-01T02:03:04.005Z"));
  });

  it("reads tagged lines with CRLF endings and runs of blanks between fields", () => {
    expect(
      parseUploadCheck(`L   ${SHA}  2048\r\nH 2048 \t ${SHA}\r\nD  ${SHA}\r\n`),
    ).toEqual({
      sent: { sha256: SHA, bytes: 2048 },
      storedBytes: 2048,
      storedSha256: SHA,
      downloadedSha256: SHA,
    });
  });

  it("takes only lines that start with the tag and a blank", () => {
    expect(
      parseUploadCheck(
        `upload: LOG line\nHEAD 1 x\nL ${SHA} 2048\nH 2048 ${SHA}\nD ${SHA}\n`,
      ),
    ).toMatchObject({ storedBytes: 2048, storedSha256: SHA });
  });

  it("reads missing lines as empty, and names a download that produced nothing", () => {
    const check = parseUploadCheck(`L ${SHA} 2048\n`);
    expect(check).toMatchObject({ storedSha256: "", downloadedSha256: "" });
    expect(uploadMismatches(check).slice(1)).toEqual([
      `the object's sha256 metadata is "", the backup's ${SHA}`,
      `the object downloaded again hashes to nothing, the backup to ${SHA}`,
    ]);
    expect(parseUploadCheck("").sent.sha256).toBe("");
  });

  it("names only the one difference there is", () => {
    const other = "cd".repeat(32);
    expect(
      uploadMismatches(
        parseUploadCheck(`L ${SHA} 2048\nH 2048 ${SHA}\nD ${other}\n`),
      ),
    ).toEqual([
      `the object downloaded again hashes to ${other}, the backup to ${SHA}`,
    ]);
    expect(
      uploadMismatches(
        parseUploadCheck(`L ${SHA} 2048\nH 2048 ${other}\nD ${SHA}\n`),
      ),
    ).toEqual([
      `the object's sha256 metadata is "${other}", the backup's ${SHA}`,
    ]);
  });

  it("trims keys, and leaves out keys under another prefix of the same length, other extensions and ids with a suffix", () => {
    expect(
      parseOffsiteListing(
        [
          `  gantry/staging/${id}.tar \r`,
          `backup/staging/${id}.tar`,
          `gantry/staging/${id}.tgz`,
          `gantry/staging/${id}-old.tar`,
          `gantry/staging/${id}x.tar`,
        ].join("\n"),
        location,
        "staging",
        [{ id, createdAt: "x" }],
      ),
    ).toEqual([{ id, createdAt: "2026-01-01T02:03:04.005Z" }]);
  });

  it("lists nothing from an empty listing", () => {
    expect(parseOffsiteListing("", location, "staging", [])).toEqual([]);
  });
});
