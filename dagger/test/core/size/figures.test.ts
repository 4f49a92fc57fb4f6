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

// Hand-written baselines and OCI documents, each on one side of a rule of figures.ts and oci.ts.
describe("baseline file, edge cases", () => {
  const measuredImage: SizeFigures = {
    buildOutput: { missing: "no build script" },
    image: { value: { compressed: 31_000_000, layers: 7 } },
  };
  const withImage = (image: unknown) =>
    JSON.stringify({
      gantrySizeBaseline: 1,
      buildOutput: { missing: "no build script" },
      image,
    });

  it("round-trips a measured image", () => {
    expect(parseBaseline(serializeBaseline(measuredImage))).toEqual(
      measuredImage,
    );
    expect(
      parseBaseline(withImage({ value: { compressed: 0, layers: 0 } })).image,
    ).toEqual({ value: { compressed: 0, layers: 0 } });
  });

  it("names a nested field by its dotted path", () => {
    expect(() =>
      parseBaseline(withImage({ value: { compressed: -1, layers: 1 } })),
    ).toThrow(
      "--baseline is not a Gantry size baseline (image.value.compressed: Too small: expected number to be >=0): expected the file `dagger call size-baseline` exports",
    );
  });

  it("refuses negative or unknown image figures", () => {
    for (const value of [
      { compressed: -1, layers: 1 },
      { compressed: 1, layers: -1 },
      { compressed: 1, layers: 1, uncompressed: 2 },
    ])
      expect(() => parseBaseline(withImage({ value }))).toThrow(
        /^--baseline is not a Gantry size baseline \(image/,
      );
  });

  it("keeps the JSON error as the cause", () => {
    let thrown: unknown;
    try {
      parseBaseline("{");
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });

  it("names every bad field, the root as (root), and what it expected", () => {
    expect(() => parseBaseline("[]")).toThrow(
      /^--baseline is not a Gantry size baseline \(\(root\): [^;]+\): expected the file `dagger call size-baseline` exports$/,
    );
    expect(() =>
      parseBaseline(
        JSON.stringify({
          gantrySizeBaseline: 2,
          buildOutput: { missing: "x" },
          image: { missing: 1 },
        }),
      ),
    ).toThrow(
      "--baseline is not a Gantry size baseline (gantrySizeBaseline: Invalid input: expected 1; image: Invalid input): expected the file `dagger call size-baseline` exports",
    );
  });
});

describe("OCI image layout, edge cases", () => {
  const entry = (mediaType?: string) =>
    JSON.stringify({
      manifests: [
        { ...(mediaType ? { mediaType } : {}), digest: digest("f"), size: 1 },
      ],
    });

  it("recognises a Docker manifest list as an index, and an entry without a media type as none", () => {
    expect(
      indexEntry(
        entry("application/vnd.docker.distribution.manifest.list.v2+json"),
      ).isIndex,
    ).toBe(true);
    expect(
      indexEntry(entry("application/vnd.docker.distribution.manifest.v2+json"))
        .isIndex,
    ).toBe(false);
    expect(indexEntry(entry())).toEqual({
      digest: digest("f"),
      isIndex: false,
    });
  });

  it("takes the first of several manifests", () => {
    expect(
      indexEntry(
        JSON.stringify({
          manifests: [
            { digest: digest("1"), size: 1 },
            { digest: digest("2"), size: 1 },
          ],
        }),
      ).digest,
    ).toBe(digest("1"));
  });

  it("refuses an empty index and a digest that is not exactly sha256 and 64 hex digits", () => {
    expect(() => indexEntry('{"manifests": []}')).toThrow(/manifests/);
    for (const bad of [
      "sha512:ab",
      `x${digest("a")}`,
      `${digest("a")}0`,
      `sha256:${"A".repeat(64)}`,
    ])
      expect(() =>
        indexEntry(JSON.stringify({ manifests: [{ digest: bad, size: 1 }] })),
      ).toThrow(/digest/);
  });
});
