import { describe, expect, it } from "vitest";
import {
  buildOutputSize,
  parseBaseline,
  parseFileSizes,
  serializeBaseline,
  type SizeFigures,
} from "../../../src/core/size/figures.js";
import {
  blobPath,
  imageSizeOf,
  indexEntry,
} from "../../../src/core/size/oci.js";

const digest = (char: string) => `sha256:${char.repeat(64)}`;

describe("build output figures", () => {
  it("sums the files and keeps the largest by gzip size", () => {
    const files = Array.from({ length: 12 }, (_, i) => ({
      path: `f${i}.js`,
      raw: 10 * i,
      gzip: i,
    }));
    const size = buildOutputSize(files);
    expect(size).toMatchObject({ raw: 660, gzip: 66, files: 12 });
    expect(size.largest.map((file) => file.path)).toEqual([
      "f11.js",
      "f10.js",
      "f9.js",
      "f8.js",
      "f7.js",
      "f6.js",
      "f5.js",
      "f4.js",
      "f3.js",
      "f2.js",
    ]);
  });

  it("refuses a listing that is not one", () => {
    expect(() => parseFileSizes('[{"path":"a"}]')).toThrow();
  });
});

describe("baseline file", () => {
  const figures: SizeFigures = {
    buildOutput: {
      value: buildOutputSize([{ path: "a.js", raw: 10, gzip: 5 }]),
    },
    image: { missing: "no Dockerfile" },
  };

  it("round-trips", () => {
    expect(parseBaseline(serializeBaseline(figures))).toEqual(figures);
  });

  it("names --baseline and the bad field", () => {
    expect(() => parseBaseline("{")).toThrow(/^--baseline is not JSON/);
    expect(() =>
      parseBaseline(
        JSON.stringify({
          gantrySizeBaseline: 1,
          buildOutput: { value: { raw: "1" } },
          image: { missing: "x" },
        }),
      ),
    ).toThrow(/^--baseline is not a Gantry size baseline \(buildOutput/);
  });
});

describe("OCI image layout", () => {
  it("follows index.json to the manifest and sums its layers", () => {
    const index = JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: digest("a"),
          size: 500,
        },
      ],
    });
    expect(indexEntry(index)).toEqual({ digest: digest("a"), isIndex: false });
    expect(blobPath(digest("a"))).toBe(`blobs/sha256/${"a".repeat(64)}`);
    const manifest = JSON.stringify({
      config: { digest: digest("c"), size: 1000 },
      layers: [
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
          digest: digest("b"),
          size: 30_000_000,
        },
        {
          mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
          digest: digest("d"),
          size: 1234,
        },
      ],
    });
    expect(imageSizeOf(manifest)).toEqual({
      compressed: 30_001_234,
      layers: 2,
    });
  });

  it("recognises a nested index", () => {
    const index = JSON.stringify({
      manifests: [
        {
          mediaType: "application/vnd.oci.image.index.v1+json",
          digest: digest("e"),
          size: 300,
        },
      ],
    });
    expect(indexEntry(index).isIndex).toBe(true);
  });
});
