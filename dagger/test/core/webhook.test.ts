import { describe, expect, it } from "vitest";
import { webhookBody } from "../../../src/core/deploy/webhook.js";

describe("webhookBody", () => {
  it("sends the message with no mention able to notify anyone", () => {
    const body = webhookBody(
      "deploy failed: @everyone <!channel> <@U123> & co",
    );
    expect(body.text).toBe(
      "deploy failed: @everyone &lt;!channel&gt; &lt;@U123&gt; &amp; co",
    );
    expect(body.content).toBe(
      "deploy failed: @everyone <!channel> <@U123> & co",
    );
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });
});
