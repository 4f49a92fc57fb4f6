import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/inputError.js";

describe("InputError", () => {
  it("is an Error that names itself, so a printed error says it is the user's input", () => {
    const error = new InputError("--bump must be major, minor or patch");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InputError");
    expect(String(error)).toBe(
      "InputError: --bump must be major, minor or patch",
    );
  });
});
