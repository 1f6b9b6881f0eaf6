// Slack mrkdwn → DOM, built with text nodes only (never innerHTML), so no text can become markup.
//
// Slack's rules: user text arrives with `&`, `<`, `>` escaped as `&amp;`, `&lt;`, `&gt;`; only a raw
// `<…>` is a control sequence (a link, a mention, @here, a date). So control sequences are found
// first, on the escaped text, and the three entities are decoded last, into text nodes: an escaped
// `&lt;!channel&gt;` shows literally as "<!channel>" and never pings anybody.
"use strict";
(function () {
  const OPEN = "\u0001", CLOSE = "\u0002";
  // Word characters for the markers' edges: letters, digits and the zero-width characters Parley puts
  // around a user's own * _ ~ ` so that they never format (Slack treats them as part of a word too).
  const WORD = "\\p{L}\\p{N}\\u200b-\\u200d\\u2060";
  const ATOM = new RegExp("(?<![" + WORD + "`])`(?=[^\\s`])([^`\\n]*?[^\\s`])`(?![" + WORD + "`])|<([^<>\\n]+)>", "gu");
  const PLACEHOLDER = /\u0001(\d+)\u0002/g;
  // Emphasis markers open after a non-word character and close before one (like Slack).
  const emphasis = (marker) => {
    const m = marker === "*" ? "\\*" : marker; // only * is special in a pattern ("\\_" is an error with u)
    return new RegExp("(?<![" + WORD + m + "])" + m + "(?=\\S)([^" + m + "\\n]*?\\S)" + m + "(?![" + WORD + m + "])", "u");
  };
  const STYLES = [
    { tag: "strong", re: emphasis("*") },
    { tag: "em", re: emphasis("_") },
    { tag: "del", re: emphasis("~") },
  ];
  const SAFE_URL = /^(https?:|mailto:)/i;

  function decode(text) {
    return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  // What a reader copies: the invisible guards are not part of the text.
  function unguard(text) {
    return text.replace(/[\u200b\u2060]/g, "");
  }

  // Emoji: Slack draws every emoji as an image, so a reader never sees a box. Here a shortcode becomes
  // the emoji character when this browser has a font that draws it, and otherwise a small text badge
  // with its name (":gift:" → "gift"); a raw emoji character in text gets the same check.
  const PICTOGRAPH = /(\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}\uFE0F?|\p{Emoji_Modifier})*)/u;
  const SHORTCODE = /:([a-z0-9_+-]+):/g;
  const drawable = new Map();
  let probe = null;

  function pixels(text) {
    probe = probe || document.createElement("canvas");
    probe.width = probe.height = 32;
    const pen = probe.getContext("2d", { willReadFrequently: true });
    pen.clearRect(0, 0, 32, 32);
    pen.font = '24px "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", "DejaVu Sans", sans-serif';
    pen.textBaseline = "top";
    pen.fillText(text, 0, 0);
    return pen.getImageData(0, 0, 32, 32).data.join(",");
  }

  // Whether the browser's fonts draw this character, by comparison with a code point no font has.
  function canDraw(text) {
    if (!drawable.has(text)) {
      let result = true;
      try {
        const missing = pixels("\u{10FFFD}");
        result = pixels(text) !== missing && pixels(text.replace(/\uFE0F/g, "")) !== missing;
      } catch (error) {
        result = true;
      }
      drawable.set(text, result);
    }
    return drawable.get(text);
  }

  function names(ctx) {
    return (ctx && ctx.emoji) || window.ParleyEmoji || {};
  }

  function emojiNode(char, name) {
    const span = document.createElement("span");
    span.className = "emoji";
    span.setAttribute("role", "img");
    span.dataset.char = char;
    span.setAttribute("aria-label", name ? name.replace(/_/g, " ") : char);
    if (name) span.title = `:${name}:`;
    if (canDraw(char)) {
      span.textContent = char;
    } else {
      span.classList.add("emoji-text");
      span.textContent = name ? name.replace(/_/g, " ") : "emoji";
    }
    return span;
  }

  // Text → text nodes and emoji nodes: shortcodes Parley knows, then raw emoji characters.
  function emojiNodes(text, ctx, out) {
    const known = names(ctx);
    let last = 0;
    for (const match of text.matchAll(SHORTCODE)) {
      if (!Object.prototype.hasOwnProperty.call(known, match[1])) continue;
      if (match.index > last) rawEmoji(text.slice(last, match.index), ctx, out);
      out.append(emojiNode(known[match[1]], match[1]));
      last = match.index + match[0].length;
    }
    if (last < text.length) rawEmoji(text.slice(last), ctx, out);
    return out;
  }

  function rawEmoji(text, ctx, out) {
    const known = names(ctx);
    const parts = text.split(PICTOGRAPH);
    parts.forEach((part, index) => {
      if (!part) return;
      if (index % 2 === 0) out.append(document.createTextNode(part));
      else {
        const name = Object.keys(known).find((key) => known[key] === part || known[key] === part + "\uFE0F");
        out.append(emojiNode(part, name));
      }
    });
  }

  function emojify(text, ctx) {
    return emojiNodes(text, ctx, document.createDocumentFragment());
  }

  function textNode(text, ctx) {
    return emojify(unguard(decode(text)), ctx);
  }

  function chip(kind, label, title) {
    const span = document.createElement("span");
    span.className = "mention mention-" + kind;
    span.textContent = label;
    if (title) span.title = title;
    return span;
  }

  function formatDate(seconds, format, fallback) {
    const when = new Date(Number(seconds) * 1000);
    if (Number.isNaN(when.getTime())) return fallback;
    const options = format.includes("{time}") ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "long" };
    return new Intl.DateTimeFormat("en-GB", options).format(when);
  }

  // One `<…>` control sequence: a mention, a channel, a special mention, a date or a link.
  function angle(body, ctx) {
    const bar = body.indexOf("|");
    const target = bar >= 0 ? body.slice(0, bar) : body;
    const label = bar >= 0 ? body.slice(bar + 1) : "";
    if (target.startsWith("@")) {
      const id = target.slice(1);
      const user = ctx && ctx.users && ctx.users[id];
      const name = user ? user.name : label || id;
      return chip("user", "@" + decode(name), id);
    }
    if (target.startsWith("#")) {
      const id = target.slice(1);
      const channel = ctx && ctx.channels && ctx.channels[id];
      return chip("channel", "#" + decode(channel ? channel.name : label || id), id);
    }
    if (target.startsWith("!")) {
      const parts = target.slice(1).split("^");
      if (parts[0] === "date") return document.createTextNode(formatDate(parts[1], parts[2] || "", decode(label)));
      if (parts[0] === "subteam") return chip("group", decode(label || "@group"));
      return chip("special", "@" + decode(parts[0]));
    }
    const url = decode(target);
    if (SAFE_URL.test(url)) {
      const link = document.createElement("a");
      link.href = url;
      link.rel = "noopener noreferrer";
      link.target = "_blank";
      link.append(...inline(label || target, ctx).childNodes);
      return link;
    }
    return document.createTextNode(decode("<" + body + ">"));
  }

  function atomNode(atom, ctx) {
    if (atom.code !== undefined) {
      const code = document.createElement("code");
      code.textContent = unguard(decode(atom.code));
      return code;
    }
    return angle(atom.angle, ctx);
  }

  // Text with placeholders for atoms → nodes, applying bold/italic/strike recursively.
  function styled(text, atoms, ctx, out) {
    let best = null;
    for (const style of STYLES) {
      const match = style.re.exec(text);
      if (match && (best === null || match.index < best.match.index)) best = { style, match };
    }
    if (best === null) {
      let last = 0;
      for (const found of text.matchAll(PLACEHOLDER)) {
        if (found.index > last) out.append(textNode(text.slice(last, found.index), ctx));
        out.append(atomNode(atoms[Number(found[1])], ctx));
        last = found.index + found[0].length;
      }
      if (last < text.length) out.append(textNode(text.slice(last), ctx));
      return out;
    }
    const { style, match } = best;
    styled(text.slice(0, match.index), atoms, ctx, out);
    const element = document.createElement(style.tag);
    styled(match[1], atoms, ctx, element);
    out.append(element);
    styled(text.slice(match.index + match[0].length), atoms, ctx, out);
    return out;
  }

  function inline(text, ctx) {
    const atoms = [];
    const masked = text.replace(ATOM, (whole, code, body) => {
      atoms.push(code !== undefined ? { code } : { angle: body });
      return OPEN + (atoms.length - 1) + CLOSE;
    });
    return styled(masked, atoms, ctx, document.createDocumentFragment());
  }

  const QUOTE = /^(?:&gt;|>) ?/;
  const BULLET = /^\s*([•◦▪\-*])\s+(.*)$/;
  const NUMBERED = /^\s*(\d{1,3})[.)]\s+(.*)$/;

  // Lines → paragraphs, block quotes and lists.
  function lines(text, ctx, out) {
    const rows = text.split("\n");
    let i = 0;
    while (i < rows.length) {
      const row = rows[i];
      if (QUOTE.test(row)) {
        const quote = document.createElement("blockquote");
        const body = [];
        while (i < rows.length && QUOTE.test(rows[i])) body.push(rows[i++].replace(QUOTE, ""));
        lines(body.join("\n"), ctx, quote);
        out.append(quote);
        continue;
      }
      const bullet = BULLET.exec(row), numbered = NUMBERED.exec(row);
      if (bullet || numbered) {
        const list = document.createElement(bullet ? "ul" : "ol");
        if (numbered) list.start = Number(numbered[1]);
        const re = bullet ? BULLET : NUMBERED;
        let match;
        while (i < rows.length && (match = re.exec(rows[i]))) {
          const item = document.createElement("li");
          item.append(inline(match[2], ctx));
          list.append(item);
          i++;
        }
        out.append(list);
        continue;
      }
      const line = document.createElement("span");
      line.className = "line";
      line.append(inline(row, ctx));
      out.append(line);
      if (i < rows.length - 1) out.append(document.createElement("br"));
      i++;
    }
    return out;
  }

  // The whole of a mrkdwn string: ``` code blocks ```, and lines around them.
  function render(text, ctx) {
    const out = document.createDocumentFragment();
    const source = String(text == null ? "" : text);
    let last = 0;
    for (const match of source.matchAll(/```([\s\S]*?)```/g)) {
      const before = source.slice(last, match.index).replace(/\n$/, "");
      if (before) lines(before, ctx, out);
      const pre = document.createElement("pre");
      pre.textContent = decode(match[1].replace(/^\n/, "").replace(/\n$/, ""));
      out.append(pre);
      last = match.index + match[0].length;
    }
    const rest = source.slice(last).replace(last ? /^\n/ : /^$/, "");
    if (rest) lines(rest, ctx, out);
    return out;
  }

  // plain_text: no formatting, but Slack decodes its three entities there too (templates escape all text).
  function plain(text, ctx, emoji) {
    const value = decode(String(text == null ? "" : text));
    return emoji === false ? document.createTextNode(value) : emojify(value, ctx);
  }

  window.ParleyMrkdwn = Object.freeze({ render, inline, plain, decode });
})();
