/**
 * The body of a Slack- and Discord-compatible webhook message that notifies no one by mention, whatever the text
 * holds (an app's output, a version): Slack reads `<!channel>` only unescaped, Discord `@everyone` only when allowed.
 */
export function webhookBody(message: string): {
  text: string;
  content: string;
  allowed_mentions: { parse: never[] };
} {
  return {
    text: message
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;"),
    content: message,
    allowed_mentions: { parse: [] },
  };
}
