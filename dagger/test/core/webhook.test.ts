import { describe, expect, it } from "vitest";
import { webhookBody } from "../../src/core/webhook.js";

describe("webhookBody", () => {
  it("sends the message with no mention able to notify anyone", () => {
    const body = webhookBody(
      "deploy failed: @everyone <!channel> <@U123> & co",
    );
    expect(body.text).toBe(
      "deploy failed: @\u200beveryone &lt;!channel&gt; &lt;@U123&gt; &amp; co",
    );
    expect(body.content).toBe(
      "deploy failed: @\u200beveryone <!channel> <@U123> & co",
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it("cuts both forms to Discord's 2000 characters, never inside an escape", () => {
    const exact = webhookBody("a".repeat(2000));
    expect(exact.content).toBe("a".repeat(2000));
    expect(exact.text).toBe("a".repeat(2000));
    const long = webhookBody(`${"a".repeat(1996)}<b${"c".repeat(10)}`);
    expect(long.content).toBe(`${"a".repeat(1996)}<bc…`);
    expect(long.content).toHaveLength(2000);
    // Slack's "&lt;" would be cut after "&lt": the partial escape is dropped.
    expect(long.text).toBe(`${"a".repeat(1996)}…`);
  });
});
