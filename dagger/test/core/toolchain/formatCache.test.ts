import { describe, expect, it } from "vitest";
import { prettierCacheFlags } from "../../../src/core/toolchain/formatCache.js";
import { parsePackageJson } from "../../../src/core/toolchain/packageJson.js";

const LOCATION = "/cache/prettier.json";
const CACHE = [
  "--cache",
  "--cache-strategy",
  "content",
  "--cache-location",
  LOCATION,
];

function flagsFor(
  prettier: unknown,
  args: string[] = ["--check", "."],
  field = "devDependencies",
) {
  return prettierCacheFlags(
    parsePackageJson(JSON.stringify({ [field]: { prettier } })),
    args,
    LOCATION,
  );
}

describe("prettierCacheFlags", () => {
  it("caches by content when every version the range allows has the cache", () => {
    expect(flagsFor("^3.3.3")).toEqual(CACHE);
    expect(flagsFor("2.7.0")).toEqual(CACHE);
    expect(flagsFor(">=2.7.0 <4")).toEqual(CACHE);
  });

  it("reads a Prettier declared as a runtime dependency too", () => {
    expect(flagsFor("^3.0.0", undefined, "dependencies")).toEqual(CACHE);
  });

  it("adds nothing when the range allows a Prettier older than 2.7", () => {
    expect(flagsFor("2.6.2")).toEqual([]);
    expect(flagsFor("^2.0.0")).toEqual([]);
    expect(flagsFor(">=2.6.9")).toEqual([]);
    expect(flagsFor("*")).toEqual([]);
  });

  it("adds nothing when the declared version is no range (a tag, a workspace or git reference) or is absent", () => {
    expect(flagsFor("latest")).toEqual([]);
    expect(flagsFor("workspace:*")).toEqual([]);
    expect(flagsFor("github:prettier/prettier")).toEqual([]);
    expect(flagsFor(3)).toEqual([]);
    expect(
      prettierCacheFlags(parsePackageJson("{}"), ["--check", "."], LOCATION),
    ).toEqual([]);
  });

  it("leaves a repository's own cache flags alone", () => {
    expect(flagsFor("^3.3.3", ["--check", "--cache", "."])).toEqual([]);
    expect(
      flagsFor("^3.3.3", ["--check", "--cache-location=.cache/p", "."]),
    ).toEqual([]);
  });
});
