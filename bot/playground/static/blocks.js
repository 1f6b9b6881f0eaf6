// A generic Block Kit renderer: blocks and elements → DOM, knowing nothing about Parley's templates.
//
// renderBlocks(blocks, ctx) draws any list of blocks. ctx carries what rendering needs from outside:
//   users / channels / files   id → {name} (mentions, selects, uploaded files)
//   surface                    "message" | "modal" | "home" (inputs collect values in modals)
//   onAction(action)           a click or a selection: {action_id, block_id, value?, element}
//   errors                     block_id → message, shown under input blocks (response_action: errors)
// Unknown block or element types render as a visible placeholder; nothing here throws on bad data.
"use strict";
(function () {
  const M = () => window.ParleyMrkdwn;
  let serial = 0;

  function el(tag, className, ...children) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  function uid(prefix) {
    serial += 1;
    return `${prefix}-${serial}`;
  }

  function textObject(obj, ctx, inlineOnly) {
    if (obj == null) return document.createTextNode("");
    if (typeof obj === "string") return M().plain(obj, ctx);
    if (obj.type === "mrkdwn") return inlineOnly ? M().inline(String(obj.text || ""), ctx) : M().render(obj.text, ctx);
    return M().plain(obj.text, ctx, obj.emoji);
  }

  function plainText(obj) {
    if (obj == null) return "";
    const text = typeof obj === "string" ? obj : String(obj.text || "");
    return M().decode(text);
  }

  function placeholder(kind, type) {
    const box = el("div", "bk-unknown");
    box.setAttribute("role", "note");
    box.textContent = `Unsupported ${kind}: ${type || "(no type)"} — the playground doesn't draw it yet`;
    return box;
  }

  function imageNode(obj, ctx, className) {
    const alt = String(obj.alt_text || obj.alt || "");
    let src = null;
    if (obj.slack_file && obj.slack_file.id) src = `/files/${encodeURIComponent(obj.slack_file.id)}`;
    else if (typeof obj.image_url === "string" && /^(data:image\/|\/files\/)/.test(obj.image_url)) src = obj.image_url;
    if (src === null) {
      const box = el("span", `${className} bk-image-offline`);
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", alt || "image");
      box.title = obj.image_url || "";
      box.textContent = `🖼 ${alt || "image"}`;
      return box;
    }
    const img = el("img", className);
    img.src = src;
    img.alt = alt;
    return img;
  }

  // Block Kit's confirmation dialog object, drawn as Slack draws it (a dialog in the page, never the
  // browser's confirm()): title, text, the deny button and the confirm button (red for style "danger").
  function confirmThen(confirm, go) {
    if (!confirm) return go();
    const opener = document.activeElement;
    const backdrop = el("div", "modal-backdrop bk-confirm-backdrop");
    const dialog = el("div", "bk-confirm");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    const title = el("h2", "bk-confirm-title", plainText(confirm.title) || "Are you sure?");
    title.id = uid("confirm-title");
    dialog.setAttribute("aria-labelledby", title.id);
    const body = el("div", "bk-confirm-text", textObject(confirm.text, {}));
    const deny = el("button", "bk-button bk-confirm-deny", plainText(confirm.deny) || "Cancel");
    const yes = el(
      "button",
      `bk-button bk-confirm-yes ${confirm.style === "danger" ? "bk-danger-solid" : "bk-primary"}`,
      plainText(confirm.confirm) || "Yes"
    );
    deny.type = yes.type = "button";
    const close = () => {
      backdrop.remove();
      if (opener && opener.focus) opener.focus();
    };
    deny.addEventListener("click", close);
    yes.addEventListener("click", () => {
      close();
      go();
    });
    backdrop.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    dialog.append(title, body, el("div", "bk-confirm-buttons", deny, yes));
    backdrop.append(dialog);
    document.body.append(backdrop);
    yes.focus();
  }

  // ------------------------------------------------------------------------------------------ elements

  function optionLabel(option, ctx) {
    return plainText(option && option.text);
  }

  function allOptions(element) {
    const options = [...(element.options || [])];
    for (const group of element.option_groups || []) options.push(...(group.options || []));
    return options;
  }

  function fillSelect(select, element, ctx, choices) {
    const multiple = select.multiple;
    if (!multiple) {
      const none = el("option");
      none.value = "";
      none.textContent = plainText(element.placeholder) || "Select…";
      select.append(none);
    }
    if (choices) {
      for (const [value, label] of choices) {
        const option = el("option");
        option.value = value;
        option.textContent = label;
        select.append(option);
      }
    } else if (element.option_groups) {
      for (const group of element.option_groups) {
        const optgroup = el("optgroup");
        optgroup.label = plainText(group.label);
        for (const option of group.options || []) optgroup.append(optionNode(option, ctx));
        select.append(optgroup);
      }
    } else {
      for (const option of element.options || []) select.append(optionNode(option, ctx));
    }
  }

  function optionNode(option, ctx) {
    const node = el("option");
    node.value = option.value;
    node.textContent = optionLabel(option, ctx);
    if (option.description) node.title = plainText(option.description);
    return node;
  }

  function userChoices(ctx) {
    return Object.values(ctx.users || {})
      .filter((user) => !user.is_bot)
      .map((user) => [user.id, user.name]);
  }

  function channelChoices(ctx) {
    return Object.values(ctx.channels || {}).map((channel) => [channel.id, "#" + channel.name]);
  }

  function setSelected(select, values) {
    const wanted = new Set(values.filter((v) => v != null));
    for (const option of select.options) option.selected = wanted.has(option.value);
  }

  // An interactive element. In an input block it only collects a value (unless dispatch_action);
  // elsewhere (actions, section accessory) a change is a block_actions at once.
  function element(element, ctx, blockId, inInput) {
    const type = element && element.type;
    const send = (value) =>
      ctx.onAction && ctx.onAction({ action_id: element.action_id, block_id: blockId, value, element });
    const live = !inInput || element.dispatch_action;
    switch (type) {
      case "button":
      case "workflow_button": {
        const button = el("button", `bk-button ${element.style ? "bk-" + element.style : ""}`);
        button.type = "button";
        button.append(textObject(element.text, ctx));
        button.dataset.actionId = element.action_id || "";
        if (element.accessibility_label) button.setAttribute("aria-label", element.accessibility_label);
        button.addEventListener("click", () =>
          confirmThen(element.confirm, () => {
            if (element.url) window.open(element.url, "_blank", "noopener");
            send(undefined);
          })
        );
        return button;
      }
      case "overflow": {
        const wrap = el("span", "bk-overflow");
        const button = el("button", "bk-button bk-overflow-button", "⋯");
        button.type = "button";
        button.setAttribute("aria-haspopup", "menu");
        button.setAttribute("aria-label", "More actions");
        button.dataset.actionId = element.action_id || "";
        const menu = el("div", "bk-menu");
        menu.setAttribute("role", "menu");
        menu.hidden = true;
        for (const option of element.options || []) {
          const item = el("button", "bk-menu-item", optionLabel(option, ctx));
          item.type = "button";
          item.setAttribute("role", "menuitem");
          item.addEventListener("click", () => {
            menu.hidden = true;
            button.setAttribute("aria-expanded", "false");
            confirmThen(element.confirm, () => send(option.value));
          });
          menu.append(item);
        }
        button.addEventListener("click", () => {
          menu.hidden = !menu.hidden;
          button.setAttribute("aria-expanded", String(!menu.hidden));
          if (!menu.hidden && menu.firstChild) menu.firstChild.focus();
        });
        menu.addEventListener("keydown", (event) => {
          if (event.key === "Escape") {
            menu.hidden = true;
            button.focus();
          }
        });
        wrap.append(button, menu);
        return wrap;
      }
      case "static_select":
      case "external_select":
      case "users_select":
      case "conversations_select":
      case "channels_select":
      case "multi_static_select":
      case "multi_external_select":
      case "multi_users_select":
      case "multi_conversations_select":
      case "multi_channels_select": {
        const select = el("select", "bk-select");
        select.multiple = type.startsWith("multi_");
        const kind = type.replace(/^multi_/, "");
        const choices =
          kind === "users_select" ? userChoices(ctx)
          : kind === "conversations_select" || kind === "channels_select" ? channelChoices(ctx)
          : null;
        fillSelect(select, element, ctx, choices);
        const initial = select.multiple
          ? (element.initial_options || []).map((o) => o.value)
              .concat(element.initial_users || [], element.initial_conversations || [], element.initial_channels || [])
          : [
              element.initial_option ? element.initial_option.value : null,
              element.initial_user || null,
              element.initial_conversation || element.initial_channel || null,
            ];
        setSelected(select, initial);
        select.dataset.kind = select.multiple ? "list" : "single";
        if (live) {
          select.addEventListener("change", () => {
            const value = select.multiple ? [...select.selectedOptions].map((o) => o.value) : select.value || null;
            confirmThen(element.confirm, () => send(value));
          });
        }
        return select;
      }
      case "datepicker":
      case "timepicker":
      case "datetimepicker": {
        const input = el("input", "bk-input");
        input.type = type === "datepicker" ? "date" : type === "timepicker" ? "time" : "datetime-local";
        if (type === "datepicker" && element.initial_date) input.value = element.initial_date;
        if (type === "timepicker" && element.initial_time) input.value = element.initial_time;
        if (type === "datetimepicker" && element.initial_date_time)
          input.value = new Date(element.initial_date_time * 1000).toISOString().slice(0, 16);
        if (element.placeholder) input.placeholder = plainText(element.placeholder);
        input.dataset.kind = "single";
        if (live) input.addEventListener("change", () => send(input.value || null));
        return input;
      }
      case "radio_buttons":
      case "checkboxes": {
        const group = el("div", "bk-choices");
        group.setAttribute("role", type === "radio_buttons" ? "radiogroup" : "group");
        group.dataset.kind = type === "radio_buttons" ? "radio" : "checks";
        const name = uid("choice");
        const initial = new Set(
          type === "radio_buttons"
            ? [element.initial_option && element.initial_option.value]
            : (element.initial_options || []).map((o) => o.value)
        );
        for (const option of element.options || []) {
          const id = uid("opt");
          const box = el("input");
          box.type = type === "radio_buttons" ? "radio" : "checkbox";
          box.name = name;
          box.id = id;
          box.value = option.value;
          box.checked = initial.has(option.value);
          const label = el("label", "bk-choice-label", textObject(option.text, ctx, true));
          label.htmlFor = id;
          const row = el("div", "bk-choice", box, label);
          if (option.description) row.append(el("div", "bk-choice-description", textObject(option.description, ctx, true)));
          group.append(row);
          if (live) {
            box.addEventListener("change", () => {
              const checked = [...group.querySelectorAll("input:checked")].map((b) => b.value);
              send(type === "radio_buttons" ? checked[0] || null : checked);
            });
          }
        }
        return group;
      }
      case "plain_text_input":
      case "email_text_input":
      case "url_text_input":
      case "number_input": {
        const multiline = type === "plain_text_input" && element.multiline;
        const input = el(multiline ? "textarea" : "input", "bk-input");
        if (!multiline) {
          input.type = { email_text_input: "email", url_text_input: "url", number_input: "text" }[type] || "text";
          if (type === "number_input") input.inputMode = element.is_decimal_allowed ? "decimal" : "numeric";
        } else {
          input.rows = 4;
        }
        if (element.initial_value != null) input.value = String(element.initial_value);
        if (element.placeholder) input.placeholder = plainText(element.placeholder);
        if (element.max_length) input.maxLength = element.max_length;
        if (element.min_length) input.minLength = element.min_length;
        input.dataset.kind = "single";
        if (live) input.addEventListener("change", () => send(input.value || null));
        return input;
      }
      case "image":
        return imageNode(element, ctx, "bk-accessory-image");
      default:
        return placeholder("element", type);
    }
  }

  // ------------------------------------------------------------------------------------------ blocks

  function richText(block, ctx) {
    const out = el("div", "bk-rich-text");
    const inlineOf = (elements) => {
      const span = el("span");
      for (const part of elements || []) {
        let node;
        if (part.type === "text") node = document.createTextNode(String(part.text || ""));
        else if (part.type === "link") {
          node = el("a", null, String(part.text || part.url || ""));
          if (/^(https?:|mailto:)/i.test(part.url || "")) node.href = part.url;
          node.rel = "noopener noreferrer";
          node.target = "_blank";
        } else if (part.type === "user") {
          const user = ctx.users && ctx.users[part.user_id];
          node = el("span", "mention mention-user", "@" + (user ? user.name : part.user_id));
        } else if (part.type === "emoji") node = M().plain(`:${part.name}:`, ctx);
        else node = document.createTextNode(String(part.text || ""));
        const style = part.style || {};
        if (style.code) node = el("code", null, node);
        if (style.bold) node = el("strong", null, node);
        if (style.italic) node = el("em", null, node);
        if (style.strike) node = el("del", null, node);
        span.append(node);
      }
      return span;
    };
    for (const section of block.elements || []) {
      if (section.type === "rich_text_section") out.append(el("div", null, inlineOf(section.elements)));
      else if (section.type === "rich_text_preformatted") out.append(el("pre", null, inlineOf(section.elements)));
      else if (section.type === "rich_text_quote") out.append(el("blockquote", null, inlineOf(section.elements)));
      else if (section.type === "rich_text_list") {
        const list = el(section.style === "ordered" ? "ol" : "ul");
        for (const item of section.elements || []) list.append(el("li", null, inlineOf(item.elements)));
        out.append(list);
      } else out.append(placeholder("rich text part", section.type));
    }
    return out;
  }

  function inputBlock(block, ctx) {
    const wrap = el("div", "bk-input-block");
    const control = element(block.element || {}, ctx, block.block_id, true);
    const id = uid("field");
    const labelNode = el("label", "bk-label", textObject(block.label, ctx, true));
    if (block.optional) labelNode.append(el("span", "bk-optional", " (optional)"));
    const focusable = control.matches && control.matches("input, select, textarea") ? control : null;
    if (focusable) {
      focusable.id = id;
      labelNode.htmlFor = id;
    } else {
      control.setAttribute("aria-labelledby", id + "-label");
      labelNode.id = id + "-label";
    }
    wrap.append(labelNode, control);
    if (block.hint) {
      const hint = el("div", "bk-hint", textObject(block.hint, ctx, true));
      hint.id = id + "-hint";
      (focusable || control).setAttribute("aria-describedby", hint.id);
      wrap.append(hint);
    }
    const error = el("div", "bk-error");
    error.id = id + "-error";
    error.setAttribute("role", "alert");
    const message = ctx.errors && ctx.errors[block.block_id];
    if (message) {
      error.textContent = message;
      wrap.classList.add("bk-has-error");
      (focusable || control).setAttribute("aria-invalid", "true");
    } else error.hidden = true;
    wrap.append(error);
    wrap.dataset.blockId = block.block_id || "";
    wrap.dataset.elementType = (block.element && block.element.type) || "";
    wrap.dataset.optional = block.optional ? "true" : "false";
    return wrap;
  }

  function block(block, ctx) {
    if (block == null || typeof block !== "object") return placeholder("block", typeof block);
    let node;
    switch (block.type) {
      case "section": {
        node = el("div", "bk-section");
        const body = el("div", "bk-section-body");
        if (block.text) body.append(el("div", "bk-text", textObject(block.text, ctx)));
        if (Array.isArray(block.fields) && block.fields.length) {
          const fields = el("div", "bk-fields");
          for (const field of block.fields) fields.append(el("div", "bk-field", textObject(field, ctx)));
          body.append(fields);
        }
        node.append(body);
        if (block.accessory) node.append(el("div", "bk-accessory", element(block.accessory, ctx, block.block_id, false)));
        break;
      }
      case "header":
        node = el("h3", "bk-header", textObject(block.text, ctx));
        break;
      case "divider":
        node = el("hr", "bk-divider");
        break;
      case "context": {
        node = el("div", "bk-context");
        for (const item of block.elements || []) {
          if (item && item.type === "image") node.append(imageNode(item, ctx, "bk-context-image"));
          else if (item && (item.type === "mrkdwn" || item.type === "plain_text"))
            node.append(el("span", "bk-context-text", textObject(item, ctx)));
          else node.append(placeholder("context element", item && item.type));
        }
        break;
      }
      case "actions": {
        node = el("div", "bk-actions");
        for (const item of block.elements || []) node.append(element(item, ctx, block.block_id, false));
        break;
      }
      case "input":
        node = inputBlock(block, ctx);
        break;
      case "image": {
        node = el("figure", "bk-image-block");
        if (block.title) node.append(el("figcaption", "bk-image-title", textObject(block.title, ctx)));
        node.append(imageNode(block, ctx, "bk-image"));
        break;
      }
      case "rich_text":
        node = richText(block, ctx);
        break;
      default:
        node = placeholder("block", block.type);
    }
    node.classList.add("bk-block");
    if (block.block_id) node.dataset.blockId = block.block_id;
    node.dataset.blockType = String(block.type);
    return node;
  }

  function renderBlocks(blocks, ctx) {
    const out = el("div", "bk-blocks");
    for (const item of Array.isArray(blocks) ? blocks : []) {
      try {
        out.append(block(item, ctx || {}));
      } catch (error) {
        console.error("block failed to render", item, error);
        out.append(placeholder("block", item && item.type));
      }
    }
    return out;
  }

  // The values of a rendered view's input blocks, as {block_id: string | string[] | null}.
  function collectValues(root) {
    const values = {};
    for (const wrap of root.querySelectorAll(".bk-input-block")) {
      const blockId = wrap.dataset.blockId;
      const type = wrap.dataset.elementType;
      if (!blockId) continue;
      const select = wrap.querySelector("select");
      const group = wrap.querySelector(".bk-choices");
      const input = wrap.querySelector("input.bk-input, textarea.bk-input");
      if (group) {
        const checked = [...group.querySelectorAll("input:checked")].map((box) => box.value);
        values[blockId] = type === "radio_buttons" ? checked[0] || null : checked;
      } else if (select) {
        values[blockId] = select.multiple ? [...select.selectedOptions].map((o) => o.value) : select.value || null;
      } else if (input) {
        values[blockId] = input.value === "" ? null : input.value;
      }
    }
    return values;
  }

  // Put back what the user had entered, by block_id (Slack keeps input state across views.update
  // and when a pushed view is closed, for inputs whose block_id and action_id stay the same).
  function restoreValues(root, values) {
    for (const wrap of root.querySelectorAll(".bk-input-block")) {
      const blockId = wrap.dataset.blockId;
      if (!values || !Object.prototype.hasOwnProperty.call(values, blockId)) continue;
      const value = values[blockId];
      const wanted = new Set(Array.isArray(value) ? value : value == null ? [] : [value]);
      const select = wrap.querySelector("select");
      const group = wrap.querySelector(".bk-choices");
      const input = wrap.querySelector("input.bk-input, textarea.bk-input");
      if (group) for (const box of group.querySelectorAll("input")) box.checked = wanted.has(box.value);
      else if (select) for (const option of select.options) option.selected = wanted.has(option.value);
      else if (input) input.value = value == null ? "" : String(value);
    }
  }

  // Show (or clear) response_action: errors under the input blocks they name.
  function showErrors(root, errors) {
    let first = null;
    for (const wrap of root.querySelectorAll(".bk-input-block")) {
      const message = errors && errors[wrap.dataset.blockId];
      const error = wrap.querySelector(".bk-error");
      const control = wrap.querySelector("input, select, textarea, .bk-choices");
      wrap.classList.toggle("bk-has-error", Boolean(message));
      error.hidden = !message;
      error.textContent = message || "";
      if (control) {
        if (message) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      }
      if (message && !first) first = control;
    }
    return first;
  }

  window.ParleyBlocks = Object.freeze({
    renderBlocks, element, textObject, plainText, collectValues, restoreValues, showErrors,
  });
})();
