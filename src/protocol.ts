// Host <-> webview messages: discriminated unions, `switch (msg.type)` on both sides, and a
// valibot schema for every message a webview sends (validated on arrival in the host).
// Times are epoch milliseconds; messages carry plain JSON data only.
// Sections: shared, quiz (sidebar quiz), lab (lab panel). Keep each section's edits within it.
import * as v from 'valibot';

// ---- shared -------------------------------------------------------------------------------

/** A card as a webview sees it: HTML already rendered and sanitised on the host. */
export interface CardView {
  id: string;
  level: string;
  kind: string;
  tags: string[];
  demo?: string;
  questionHtml: string;
  answerHtml: string;
}

// ---- quiz ---------------------------------------------------------------------------------

// ---- lab ----------------------------------------------------------------------------------

// ---- validation helper --------------------------------------------------------------------

/** Parse an unknown message with a schema; undefined (and a reason) when it does not fit. */
export function parseMessage<S extends v.GenericSchema>(
  schema: S,
  raw: unknown,
): { ok: true; msg: v.InferOutput<S> } | { ok: false; reason: string } {
  const r = v.safeParse(schema, raw);
  if (r.success) return { ok: true, msg: r.output };
  return { ok: false, reason: r.issues.map((i) => i.message).join('; ') };
}
