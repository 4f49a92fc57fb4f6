import { describe, expect, it } from "vitest";
import {
  renderProxyConfig,
  trafficSplit,
} from "../../../src/core/deploy/nginx.js";

const blue = { host: "gantry-staging-blue", port: 3000 };
const green = { host: "gantry-staging-green", port: 3000 };

describe("trafficSplit", () => {
  it("sends everything to one version, or splits by the canary share", () => {
    expect(trafficSplit(blue)).toEqual([{ ...blue, weight: 100 }]);
    expect(trafficSplit(blue, green, 0)).toEqual([{ ...blue, weight: 100 }]);
    expect(trafficSplit(blue, green, 10)).toEqual([
      { ...blue, weight: 90 },
      { ...green, weight: 10 },
    ]);
  });

  it("sends everything to the canary at 100 percent", () => {
    expect(trafficSplit(blue, green, 100)).toEqual([{ ...green, weight: 100 }]);
  });
});

describe("renderProxyConfig", () => {
  it("renders a weighted upstream that retries the other server on connection errors", () => {
    const config = renderProxyConfig(trafficSplit(blue, green, 10));
    expect(config).toContain(
      "  upstream gantry_app {\n    server gantry-staging-blue:3000 weight=90;\n    server gantry-staging-green:3000 weight=10;\n  }\n",
    );
    expect(config).toContain("listen 80;");
    expect(config).toContain(
      "proxy_next_upstream error timeout http_502 http_503;",
    );
    expect(config).toMatch(/^pid \/run\/nginx\.pid;/);
  });

  it("refuses an empty upstream", () => {
    expect(() => renderProxyConfig([])).toThrow("at least one upstream");
  });
});
