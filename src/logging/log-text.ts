/**
 * Client-controlled text (messages that echo input, operation names, variables, paths made of aliases) is cut to this
 * many characters in a log line: enough to recognise it, not enough for a request to write its own size into the log.
 */
export const LOG_TEXT_LIMIT = 200;

/** `text`, or its first `limit` characters and a marker saying how many more there were: `…(+1234)`. */
export function truncateForLog(text: string, limit = LOG_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  // never split a surrogate pair: half a character would not survive being written as UTF-8
  const end = /[\uD800-\uDBFF]/.test(text[limit - 1]) ? limit - 1 : limit;
  return `${text.slice(0, end)}…(+${text.length - end})`;
}

/** A JSON value (variables, say) as text of bounded length; what cannot be written as JSON is described instead. */
export function jsonForLog(value: unknown, limit = LOG_TEXT_LIMIT): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return truncateForLog(text ?? `<${typeof value}>`, limit);
}
