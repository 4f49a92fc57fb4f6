import { describe, expect, it } from "vitest";
import { detectNodeVersion } from "../../../src/core/toolchain/nodeVersion.js";

describe("detectNodeVersion", () => {
  it("takes the config over every file", () => {
    expect(
      detectNodeVersion(
        "20",
        { ".nvmrc": "24\n" },
        { engines: { node: ">=24" } },
      ),
    ).toEqual({ version: "20", origin: "gantry config" });
  });

  it("reads the exact pins in precedence order", () => {
    const files = {
      ".nvmrc": "v22.23.3\n",
      ".node-version": "20.1.0",
      ".tool-versions": "nodejs 23.1.0",
    };
    expect(detectNodeVersion(undefined, files, {})).toEqual({
      version: "22.23.3",
      origin: ".nvmrc",
    });
    expect(
      detectNodeVersion(undefined, { ...files, ".nvmrc": undefined }, {}),
    ).toEqual({ version: "20.1.0", origin: ".node-version" });
    expect(
      detectNodeVersion(
        undefined,
        { ".tool-versions": "# tools\npython 3.12.1\nnodejs 23.1.0 22.0.0\n" },
        {},
      ),
    ).toEqual({ version: "23.1.0", origin: ".tool-versions" });
  });

  it("reads node from mise.toml's [tools] table only", () => {
    const mise =
      '[env]\nnode = "18"\n\n[tools]\npython = "3.12"\nnode = "24"\n';
    expect(detectNodeVersion(undefined, { "mise.toml": mise }, {})).toEqual({
      version: "24",
      origin: "mise.toml",
    });
    expect(
      detectNodeVersion(
        undefined,
        { ".mise.toml": '[tools]\nnodejs = { version = "22.11" }\n' },
        {},
      ).version,
    ).toBe("22.11");
  });

  it("reads volta's pin before engines", () => {
    expect(
      detectNodeVersion(
        undefined,
        {},
        { volta: { node: "20.11.1" }, engines: { node: ">=22" } },
      ),
    ).toEqual({ version: "20.11.1", origin: "package.json volta.node" });
  });

  it("maps nvm aliases and x-ranges", () => {
    const pin = (nvmrc: string) =>
      detectNodeVersion(undefined, { ".nvmrc": nvmrc }, {}).version;
    expect(pin("lts/iron")).toBe("20");
    expect(pin("lts/Jod")).toBe("22");
    expect(pin("lts/*")).toBe("24");
    expect(pin("22.x")).toBe("22");
    expect(pin("v24.1")).toBe("24.1");
  });

  it("ignores pins it cannot turn into an image tag and goes on", () => {
    expect(
      detectNodeVersion(
        undefined,
        { ".nvmrc": "node", ".node-version": "system" },
        { engines: { node: "^20.9.0" } },
      ),
    ).toEqual({ version: "20", origin: 'engines.node "^20.9.0"' });
  });

  it("keeps the default when engines allows it, else takes the range's lowest major", () => {
    const engines = (node: string) =>
      detectNodeVersion(undefined, {}, { engines: { node } }).version;
    expect(engines(">=20")).toBe("22");
    expect(engines(">=18 <23")).toBe("22");
    expect(engines(">=24")).toBe("24");
    expect(engines("^20.9.0 || ^18")).toBe("18");
    expect(engines("23.x")).toBe("23");
    expect(engines("not a range")).toBe("22");
  });

  it("falls back to Gantry's default", () => {
    expect(detectNodeVersion(undefined, {}, {})).toEqual({
      version: "22",
      origin: "Gantry's default",
    });
  });
});
