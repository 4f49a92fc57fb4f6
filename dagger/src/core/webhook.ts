// Discord rejects longer messages; Slack accepts far more.
const WEBHOOK_MESSAGE_LIMIT = 2000;

/**
 * A message both Slack (`text`) and Discord (`content`) incoming webhooks accept, which notifies no one by mention
 * whatever it holds (commit subjects anyone writes, an app's output): @everyone, @here and @channel get a zero-width
 * space after the @, Slack's control characters (&, <, >, hence <!channel>, <!here>, <@U…>) are escaped as Slack
 * documents, Discord is told to resolve no mention at all, and both are cut to the length Discord accepts.
 */
export function webhookBody(message: string): {
  text: string;
  content: string;
  allowed_mentions: { parse: never[] };
} {
  const neutral = neutralizeMentions(message);
  return {
    text: truncate(escapeSlack(neutral)),
    content: truncate(neutral),
    allowed_mentions: { parse: [] },
  };
}

// A zero-width space after the @ keeps the word readable and makes it no mention for Slack or Discord.
const BROADCAST_MENTION = /@(everyone|here|channel)\b/gi;

/** `text` with every @everyone, @here and @channel turned into plain text. */
export function neutralizeMentions(text: string): string {
  return text.replace(BROADCAST_MENTION, "@\u200b$1");
}

/** `text` in Slack's message format, where &, < and > are control characters (`<!channel>` pings a channel). */
export function escapeSlack(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/** At most WEBHOOK_MESSAGE_LIMIT characters, never ending inside an escape such as `&amp;`. */
function truncate(text: string): string {
  if (text.length <= WEBHOOK_MESSAGE_LIMIT) return text;
  return `${text.slice(0, WEBHOOK_MESSAGE_LIMIT - 1).replace(/&[a-z]*$/, "")}…`;
}
