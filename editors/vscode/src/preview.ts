// A markdown-it plugin for VS Code's Markdown preview: renders Newsmark spans
// (`[TEXT]{ent=…}`, `[TEXT]{fig=… value=… asof=…}`, `[TEXT]{by=…}`) as marked-up text with
// what they say — the figure's key, value and date, the quote's speaker — and Pandoc
// citations (`[@id]`, `[see @id, p. 4]`) as <cite>. Speakers are shown by name when a
// `::: entity` block in the same document names them, else by id.
//
// No dependency on markdown-it itself: VS Code hands its instance to `extendMarkdownIt`.

/* eslint-disable @typescript-eslint/no-explicit-any */
type MarkdownIt = any;

interface Attr {
  key: string;
  value: string;
}

/** The index of the `]` closing the `[` at `start`, honouring nesting and escapes; -1 if none. */
function closingBracket(src: string, start: number, max: number): number {
  let depth = 0;
  for (let i = start; i < max; i++) {
    const c = src[i];
    if (c === "\\") {
      i++;
    } else if (c === "[") {
      depth++;
    } else if (c === "]") {
      depth--;
      if (depth === 0) return i;
    } else if (c === "\n" && src[i + 1] === "\n") {
      return -1;
    }
  }
  return -1;
}

/** `{…}` at `start`: the attributes and the index after `}`; undefined if malformed. */
export function parseAttributes(src: string, start: number): { attrs: Attr[]; end: number } | undefined {
  if (src[start] !== "{") return undefined;
  const attrs: Attr[] = [];
  let i = start + 1;
  for (;;) {
    while (i < src.length && /\s/.test(src[i])) i++;
    if (i >= src.length) return undefined;
    if (src[i] === "}") return { attrs, end: i + 1 };
    const key = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(src.slice(i))?.[0];
    if (!key || src[i + key.length] !== "=") return undefined;
    i += key.length + 1;
    let value = "";
    if (src[i] === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === "\\" && i + 1 < src.length) i++;
        value += src[i++];
      }
      if (src[i] !== '"') return undefined;
      i++;
    } else {
      while (i < src.length && !/[\s}]/.test(src[i])) value += src[i++];
    }
    attrs.push({ key, value });
  }
}

/** `::: entity id` blocks of the document: id → `name:`. */
export function entityNames(src: string): Map<string, string> {
  const names = new Map<string, string>();
  const block = /^:::[ \t]+(?:entity[ \t]+([A-Za-z0-9][A-Za-z0-9._-]*)|\{[^}]*\.entity[^}]*#([A-Za-z0-9][A-Za-z0-9._-]*)[^}]*\})[ \t]*\r?\n([\s\S]*?)^:::[ \t]*$/gm;
  for (const m of src.matchAll(block)) {
    const name = /^name:[ \t]*(.+?)[ \t]*$/m.exec(m[3])?.[1];
    if (name) names.set(m[1] ?? m[2], name);
  }
  return names;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string);
}

export function newsmarkPlugin(md: MarkdownIt): MarkdownIt {
  md.inline.ruler.before("link", "newsmark_span", (state: any, silent: boolean) => {
    const src: string = state.src;
    const start: number = state.pos;
    if (src[start] !== "[") return false;
    const close = closingBracket(src, start, state.posMax);
    if (close < 0 || src[close + 1] !== "{") return false;
    const parsed = parseAttributes(src, close + 1);
    if (!parsed || parsed.end > state.posMax) return false;
    const get = (k: string) => parsed.attrs.find((a) => a.key === k)?.value;
    const kind = get("fig") !== undefined ? "figure" : get("by") !== undefined ? "quote" : get("ent") !== undefined ? "mention" : undefined;
    if (!kind) return false;
    if (silent) return true;

    const open = state.push("newsmark_span_open", kind === "quote" ? "q" : "span", 1);
    open.attrSet("class", `newsmark-${kind}`);
    if (kind === "mention") open.attrSet("title", `entity ${get("ent")}`);
    if (kind === "figure") open.attrSet("title", `fig=${get("fig")}`);
    // The TEXT is Markdown too (a quote holds mentions and figures).
    const oldMax = state.posMax;
    state.pos = start + 1;
    state.posMax = close;
    state.md.inline.tokenize(state);
    state.posMax = oldMax;
    state.push("newsmark_span_close", kind === "quote" ? "q" : "span", -1);

    if (kind !== "mention") {
      const note = state.push("newsmark_note", "", 0);
      note.meta = { kind, attrs: parsed.attrs };
    }
    state.pos = parsed.end;
    return true;
  });

  md.inline.ruler.before("link", "newsmark_citation", (state: any, silent: boolean) => {
    const src: string = state.src;
    const start: number = state.pos;
    if (src[start] !== "[") return false;
    const close = closingBracket(src, start, state.posMax);
    if (close < 0) return false;
    const body = src.slice(start + 1, close);
    if (!/(^|[\s;])-?@[A-Za-z0-9_]/.test(body) || src[close + 1] === "(" || src[close + 1] === "{") return false;
    if (silent) return true;
    const token = state.push("newsmark_citation", "cite", 0);
    token.content = body;
    state.pos = close + 1;
    return true;
  });

  md.renderer.rules.newsmark_note = (tokens: any[], idx: number, _options: any, env: any) => {
    const { kind, attrs } = tokens[idx].meta as { kind: string; attrs: Attr[] };
    const get = (k: string) => attrs.find((a) => a.key === k)?.value;
    if (kind === "quote") {
      const id = get("by") ?? "";
      const names: Map<string, string> = env?.newsmarkEntities ?? new Map();
      return `<sup class="newsmark-speaker" title="by=${escapeHtml(id)}">— ${escapeHtml(names.get(id) ?? id)}</sup>`;
    }
    const parts = [get("fig") ?? "", get("value") !== undefined ? `value ${get("value")}` : "", get("asof") ? `as of ${get("asof")}` : ""];
    return `<sup class="newsmark-value">${escapeHtml(parts.filter(Boolean).join(" · "))}</sup>`;
  };
  md.renderer.rules.newsmark_citation = (tokens: any[], idx: number) =>
    `<cite class="newsmark-citation">[${escapeHtml(tokens[idx].content)}]</cite>`;

  // Speaker names come from the document's own entity blocks (VS Code parses and renders
  // in two steps with one env, so they are found while parsing).
  md.core.ruler.before("inline", "newsmark_entities", (state: any) => {
    state.env.newsmarkEntities = entityNames(state.src);
  });
  return md;
}
