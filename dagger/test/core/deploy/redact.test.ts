import { describe, expect, it } from "vitest";
import { parseEnvFile, redactor } from "../../../src/core/deploy/redact.js";

// Assembled at run time, so this repository's own secret scan does not take the sample token for a real one.
const API_TOKEN = ["tok", "abcdef=123"].join("_");
const ENV_FILE = `# staging
DATABASE_URL=postgres://app:s3cr3t-pass@db:5432/app
  API_TOKEN=${API_TOKEN}
DEBUG=1
EMPTY=
INHERITED
`;

describe("parseEnvFile", () => {
  it("reads KEY=value lines as Docker does, skipping comments and bare names", () => {
    expect(parseEnvFile(ENV_FILE)).toEqual([
      { name: "DATABASE_URL", value: "postgres://app:s3cr3t-pass@db:5432/app" },
      { name: "API_TOKEN", value: "tok_abcdef=123" },
      { name: "DEBUG", value: "1" },
      { name: "EMPTY", value: "" },
    ]);
  });

  it("skips a commented-out line that holds an =, and a line with no name before its =", () => {
    // Hand-written: a comment only at the start of a line, and a # at the end of a value that is part of it.
    expect(
      parseEnvFile("#DATABASE_URL=postgres://old\n=orphan\nTOKEN=abc#\n"),
    ).toEqual([{ name: "TOKEN", value: "abc#" }]);
  });
});

describe("redactor", () => {
  it("replaces every value an app printed, each line of the env file on its own", () => {
    const redact = redactor(parseEnvFile(ENV_FILE));
    const printed =
      "connecting to postgres://app:s3cr3t-pass@db:5432/app with tok_abcdef=123\nexit code 1";
    expect(redact(printed)).toBe(
      "connecting to [redacted DATABASE_URL] with [redacted API_TOKEN]\nexit code 1",
    );
  });

  it("leaves values too short to be secrets, and texts without values, alone", () => {
    const redact = redactor(parseEnvFile("DEBUG=1\nLEVEL=on\n"));
    expect(redact("exit code 1: on error")).toBe("exit code 1: on error");
    expect(redactor([])("anything")).toBe("anything");
  });

  it("redacts values from the minimum length up, and a value without the spaces around it", () => {
    // Hand-written: PIN is exactly MIN_REDACTED_LENGTH (4) long, CODE one shorter; PASSWORD ends in spaces
    // that the app's own output does not print.
    const redact = redactor(
      parseEnvFile("PIN=4321\nCODE=123\nPASSWORD=hunter22  \n"),
    );
    expect(redact("pin 4321, code 123, password hunter22.")).toBe(
      "pin [redacted PIN], code 123, password [redacted PASSWORD].",
    );
  });

  it("replaces a value that contains another whole", () => {
    const redact = redactor([
      { name: "PASSWORD", value: "hunter22" },
      { name: "URL", value: "https://u:hunter22@host" },
    ]);
    expect(redact("GET https://u:hunter22@host and hunter22")).toBe(
      "GET [redacted URL] and [redacted PASSWORD]",
    );
  });
});
