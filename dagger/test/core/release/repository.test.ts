import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/core/inputError.js";
import {
  isRepository,
  parseRepository,
} from "../../../src/core/release/repository.js";

describe("parseRepository", () => {
  it("accepts the owner and repository names GitHub allows", () => {
    expect(parseRepository("acme/app", "--repository")).toEqual([
      "acme",
      "app",
    ]);
    for (const repository of [
      "Acme-Corp/app.js",
      "a/.github",
      "octo-cat-9/my_repo-2.0",
      `${"a".repeat(39)}/${"b".repeat(100)}`,
    ])
      expect(isRepository(repository), repository).toBe(true);
  });

  it("refuses what would address another path of the API, naming where it came from", () => {
    expect(() => parseRepository("../..", "--repository")).toThrow(InputError);
    expect(() => parseRepository("../..", "--repository")).toThrow(
      /--repository must be a GitHub repository as owner\/name .*got "\.\.\/\.\."/,
    );
    for (const repository of [
      "acme/..",
      "acme/.",
      "acme",
      "acme/app/releases",
      "acme/app?x=1",
      "acme/app#x",
      "acme/a%2e%2e",
      "-acme/app",
      "ac_me/app",
      "acme/my app",
      "/app",
      "acme/",
      `${"a".repeat(40)}/app`,
      `acme/${"b".repeat(101)}`,
    ])
      expect(isRepository(repository), repository).toBe(false);
  });
});
