/** Helpers that read responses and errors without ever echoing a body or a credential. */

/** Parses `Retry-After` (delta seconds or HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null || value.trim() === "") return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(parseFloat(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A short description of a network error (its code and reason, without the request URL). */
export function describeNetworkError(e: unknown): string {
  if (e && typeof e === "object") {
    const code = (e as { code?: unknown }).code;
    const msg = e instanceof Error ? e.message.replace(/^request to \S+ failed, reason: /, "") : String(e);
    return typeof code === "string" && !msg.includes(code) ? `${code} ${msg}` : msg;
  }
  return String(e);
}

/** Parses JSON without echoing the body on failure (bodies may hold invite codes). */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; why: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    // Never echo the body (it may hold invite codes); SyntaxError messages quote it.
    const trimmed = text.trimStart();
    if (trimmed.startsWith("<")) return { ok: false, why: "looks like HTML" };
    if (e instanceof SyntaxError && /end of (JSON )?input|Unterminated/i.test(e.message)) {
      return { ok: false, why: "truncated JSON" };
    }
    // A body cut off after a complete value ("Expected ',' or '}' after property value in JSON at
    // position N" with N at the end of the text) is truncated too.
    const at = e instanceof SyntaxError ? /at position (\d+)/.exec(e.message) : null;
    if (at && Number(at[1]) >= text.trimEnd().length) return { ok: false, why: "truncated JSON" };
    return { ok: false, why: "malformed JSON" };
  }
}

/** Picks the successor/deprecation link from a `Link` header, else returns the raw header. */
export function pickLink(header: string | null): string | undefined {
  if (!header) return undefined;
  const parts = header.split(/,(?=\s*<)/);
  for (const rel of ["successor-version", "deprecation", "alternate"]) {
    for (const p of parts) {
      const m = /<([^>]*)>/.exec(p);
      if (m && new RegExp(`rel="?[^";]*\\b${rel}\\b`, "i").test(p)) return m[1];
    }
  }
  return header;
}
