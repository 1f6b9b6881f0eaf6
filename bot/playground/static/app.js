// The playground page: a small Slack client for Parley's surfaces, driven by /api/* on this server.
//
// It long-polls the workspace state (as the chosen user sees it) and draws it: the sidebar, the
// app's Messages and Home tabs, a channel, the modal stack. Every click, selection, submission and
// slash command goes to the server, which sends the app exactly what Slack would.
"use strict";
(function () {
  const B = window.ParleyBlocks;
  const M = window.ParleyMrkdwn;
  const $ = (id) => document.getElementById(id);

  const ROLES = { new: "new here", learner: "learner", manager: "manager", admin: "admin" };

  const ui = {
    me: new URLSearchParams(location.search).get("as") || localStorage.getItem("parley.me") || "",
    state: null,
    version: null,
    channel: null, // the open conversation (the app's DM by default)
    tab: "messages",
    modalKey: null,
    modalValues: {}, // view id → what the user had entered, kept across updates and pushes
    messagesKey: null,
    homeKey: null,
    poll: null,
    suggestion: -1,
  };

  // ------------------------------------------------------------------------------------------ server

  async function post(path, body) {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: ui.me, ...body }),
    });
    let answer = {};
    try {
      answer = await response.json();
    } catch (_) {}
    if (!response.ok) notice(answer.error || `The playground answered HTTP ${response.status}`, "error");
    else if (answer.notice) notice(answer.notice, "error");
    refresh();
    return { ok: response.ok, ...answer };
  }

  async function fetchState(since, signal) {
    const query = new URLSearchParams({ user: ui.me });
    if (since) query.set("since", since);
    const response = await fetch(`/api/state?${query}`, { signal });
    if (!response.ok) throw new Error(`state: HTTP ${response.status}`);
    return response.json();
  }

  async function refresh() {
    try {
      apply(await fetchState(null));
    } catch (error) {
      console.warn(error);
    }
  }

  async function pollLoop() {
    const controller = new AbortController();
    ui.poll = controller;
    while (ui.poll === controller) {
      try {
        const state = await fetchState(ui.version, controller.signal);
        if (ui.poll === controller) apply(state);
      } catch (error) {
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function restartPolling() {
    if (ui.poll) ui.poll.abort();
    ui.poll = null;
    pollLoop();
  }

  // ------------------------------------------------------------------------------------------ notices

  let noticeTimer = null;
  function notice(text, level) {
    const box = $("notice");
    box.textContent = text;
    box.className = `notice ${level || "info"}`;
    box.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => (box.hidden = true), level === "error" ? 12000 : 6000);
  }

  // ------------------------------------------------------------------------------------------ rendering

  function ctxFor(surface, extra) {
    const state = ui.state;
    const channels = {};
    for (const channel of state.channels) channels[channel.id] = channel;
    return { users: state.users, channels, files: state.files, surface, ...extra };
  }

  function apply(state) {
    if (ui.me && state.me.id !== ui.me) return; // an answer for the user we just switched away from
    const first = ui.state === null;
    ui.state = state;
    ui.version = state.version;
    if (!ui.me) ui.me = state.me.id;
    document.body.dataset.me = state.me.id; // whose screen this is, once their state has arrived
    if (!ui.channel || !state.channels.some((c) => c.id === ui.channel)) ui.channel = state.dm;
    renderTop();
    renderSidebar();
    renderPane();
    renderModal();
    if (first) openTab(ui.tab);
  }

  function renderTop() {
    const state = ui.state;
    $("clock").textContent = `${state.now_label} · ${state.me.tz.split("/").pop().replace(/_/g, " ")}`;
    $("clock").title = `The playground's clock: ${state.now}, shown in ${state.me.name}'s time zone (${state.me.tz})`;
    const switcher = $("user-switcher");
    const wanted = state.people.map((p) => `${p.id}`).join(",");
    if (switcher.dataset.people !== wanted) {
      switcher.textContent = "";
      for (const person of state.people) {
        const option = document.createElement("option");
        option.value = person.id;
        option.textContent = `${person.name} (${ROLES[person.role] || person.role})`;
        option.title = person.title;
        switcher.append(option);
      }
      switcher.dataset.people = wanted;
    }
    switcher.value = state.me.id;
    document.title = `${state.me.name} · Parley playground`;
  }

  function renderSidebar() {
    const state = ui.state;
    const channelList = $("channel-list");
    const appList = $("app-list");
    channelList.textContent = "";
    appList.textContent = "";
    for (const channel of state.channels) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sidebar-item" + (channel.id === ui.channel ? " active" : "");
      button.dataset.channel = channel.id;
      if (channel.id === ui.channel) button.setAttribute("aria-current", "page");
      button.textContent = channel.kind === "app" ? "Parley" : `# ${channel.name}`;
      if (channel.kind === "app") {
        const badge = document.createElement("span");
        badge.className = "app-badge";
        badge.textContent = "APP";
        button.append(" ", badge);
      }
      button.addEventListener("click", () => openChannel(channel.id));
      item.append(button);
      (channel.kind === "app" ? appList : channelList).append(item);
    }
  }

  function currentChannel() {
    return ui.state.channels.find((c) => c.id === ui.channel);
  }

  function renderPane() {
    const channel = currentChannel();
    const isApp = channel.kind === "app";
    $("pane-title").textContent = isApp ? "Parley" : `# ${channel.name}`;
    $("composer-label").textContent = isApp ? "Message Parley" : `Message #${channel.name}`;
    $("tabs").hidden = !isApp;
    const tab = isApp ? ui.tab : "messages";
    for (const button of document.querySelectorAll("#tabs [role=tab]")) {
      const selected = button.dataset.tab === tab;
      button.setAttribute("aria-selected", String(selected));
      button.tabIndex = selected ? 0 : -1;
    }
    $("home-view").hidden = tab !== "home";
    $("message-view").hidden = tab !== "messages";
    $("composer").hidden = tab !== "messages";
    if (tab === "home") renderHome();
    else renderMessages(channel);
  }

  function renderHome() {
    const home = ui.state.home;
    const key = home ? `${home.id}:${home.hash}` : "none";
    if (key === ui.homeKey) return;
    ui.homeKey = key;
    const root = $("home-view");
    root.textContent = "";
    if (!home) {
      root.append(paragraph("Opening Parley's Home tab…", "empty"));
      return;
    }
    const ctx = ctxFor("home", {
      onAction: (action) => send({ kind: "home", view_id: home.id }, action, null),
    });
    root.append(B.renderBlocks(home.blocks, ctx));
  }

  function paragraph(text, className) {
    const p = document.createElement("p");
    p.className = className || "";
    p.textContent = text;
    return p;
  }

  function renderMessages(channel) {
    const state = ui.state;
    const messages = state.messages[channel.id] || [];
    const ephemerals = state.ephemerals[channel.id] || [];
    const key = JSON.stringify([channel.id, messages, ephemerals, Object.keys(state.users).length]);
    if (key === ui.messagesKey) return;
    ui.messagesKey = key;
    const list = $("messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.textContent = "";
    const all = [
      ...messages.map((m) => ({ ...m, _kind: "message" })),
      ...ephemerals.map((m) => ({ ...m, _kind: "ephemeral" })),
    ].sort((a, b) => Number(a.ts) - Number(b.ts));
    const replies = {};
    for (const message of all) {
      if (message._kind === "message" && message.thread_ts && message.thread_ts !== message.ts) {
        (replies[message.thread_ts] = replies[message.thread_ts] || []).push(message);
      }
    }
    const roots = all.filter((m) => !(m._kind === "message" && m.thread_ts && m.thread_ts !== m.ts));
    if (!roots.length) {
      list.append(paragraph(
        channel.kind === "app"
          ? "This is your DM with Parley. Type / to see its commands, e.g. /negotiate style."
          : "No messages yet. Slash commands work here too.",
        "empty"
      ));
    }
    for (const message of roots) {
      const item = messageNode(message, channel);
      const thread = replies[message.ts];
      if (thread) {
        const threadList = document.createElement("ol");
        threadList.className = "thread";
        threadList.setAttribute("aria-label", "Replies in thread");
        for (const reply of thread) threadList.append(messageNode(reply, channel));
        const label = document.createElement("div");
        label.className = "thread-label";
        label.textContent = thread.length === 1 ? "1 reply" : `${thread.length} replies`;
        item.querySelector(".message-content").append(label, threadList);
      }
      list.append(item);
    }
    if (atBottom || ui.stickToBottom) {
      list.scrollTop = list.scrollHeight;
      ui.stickToBottom = false;
    }
  }

  function when(ts) {
    const date = new Date(Number(ts) * 1000);
    try {
      return new Intl.DateTimeFormat("en-GB", {
        timeZone: ui.state.me.tz, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
      }).format(date);
    } catch (_) {
      return date.toISOString();
    }
  }

  function messageNode(message, channel) {
    const item = document.createElement("li");
    item.className = "message" + (message._kind === "ephemeral" ? " ephemeral" : "");
    item.dataset.ts = message.ts;
    item.dataset.kind = message._kind;
    const sender = ui.state.users[message.user];
    const isBot = Boolean(message.bot_id) || (sender && sender.is_bot);
    const name = isBot ? "Parley" : sender ? sender.name : message.user || "someone";
    const avatar = document.createElement("div");
    avatar.className = "avatar" + (isBot ? " bot" : "");
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = name.slice(0, 1).toUpperCase();
    const head = document.createElement("div");
    head.className = "message-head";
    const who = document.createElement("strong");
    who.textContent = name;
    head.append(who);
    if (isBot) {
      const badge = document.createElement("span");
      badge.className = "app-badge";
      badge.textContent = "APP";
      head.append(" ", badge);
    }
    const time = document.createElement("time");
    time.dateTime = new Date(Number(message.ts) * 1000).toISOString();
    time.textContent = when(message.ts);
    head.append(" ", time);
    if (message.edited) {
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = "(edited)";
      head.append(" ", edited);
    }
    const body = document.createElement("div");
    body.className = "message-body";
    if (message._kind === "ephemeral") {
      const only = document.createElement("div");
      only.className = "only-you";
      only.textContent = "👁 Only visible to you";
      body.append(only);
    }
    const container = { kind: message._kind, channel: channel.id, ts: message.ts };
    const ctx = ctxFor("message", { onAction: (action) => send(container, action, null) });
    if (message.blocks && message.blocks.length) body.append(B.renderBlocks(message.blocks, ctx));
    else if (message.text) {
      const text = document.createElement("div");
      text.className = "bk-text";
      text.append(M.render(message.text, ctx));
      body.append(text);
    }
    for (const file of message.files || []) body.append(fileNode(file));
    const content = document.createElement("div");
    content.className = "message-content";
    content.append(head, body);
    item.append(avatar, content);
    return item;
  }

  function fileNode(file) {
    const known = ui.state.files[file.id];
    const mimetype = (known && known.mimetype) || file.mimetype || "";
    const title = (known && known.title) || file.title || file.name || "file";
    const figure = document.createElement("figure");
    figure.className = "file";
    figure.dataset.fileId = file.id;
    if (mimetype.startsWith("image/")) {
      const img = document.createElement("img");
      img.src = `/files/${encodeURIComponent(file.id)}`;
      img.alt = (known && known.alt) || title;
      figure.append(img);
    } else {
      const link = document.createElement("a");
      link.href = `/files/${encodeURIComponent(file.id)}`;
      link.textContent = `📎 ${title}`;
      figure.append(link);
    }
    const caption = document.createElement("figcaption");
    caption.textContent = title;
    figure.append(caption);
    return figure;
  }

  // ------------------------------------------------------------------------------------------ modal

  function renderModal() {
    const stack = ui.state.modals || [];
    const top = stack[stack.length - 1];
    const key = top ? `${top.id}:${top.hash}:${stack.length}` : null;
    if (key === ui.modalKey) return;
    ui.modalKey = key;
    const root = $("modal-root");
    const shown = root.querySelector(".modal");
    if (shown) ui.modalValues[shown.dataset.viewId] = B.collectValues(shown);
    const open = new Set(stack.map((view) => view.id));
    for (const id of Object.keys(ui.modalValues)) if (!open.has(id)) delete ui.modalValues[id];
    if (top && !shown) {
      // Remember what opened the modal, to give focus back to it when the modal closes (like Slack).
      const opener = document.activeElement;
      ui.returnFocus = opener && opener !== document.body ? opener : null;
      ui.returnTs = opener && opener.closest ? opener.closest("[data-ts]")?.dataset.ts || null : null;
    }
    root.textContent = "";
    if (!top) {
      if (document.body.classList.contains("modal-open")) restoreFocus();
      document.body.classList.remove("modal-open");
      return;
    }
    document.body.classList.add("modal-open");
    const backdrop = document.createElement("div");
    backdrop.className = "modal-backdrop";
    const dialog = document.createElement("div");
    dialog.className = "modal";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.dataset.viewId = top.id;
    dialog.dataset.callbackId = top.callback_id || "";
    const titleId = `modal-title-${top.id}`;
    dialog.setAttribute("aria-labelledby", titleId);
    const header = document.createElement("div");
    header.className = "modal-header";
    const title = document.createElement("h2");
    title.id = titleId;
    title.append(B.textObject(top.title, ctxFor("modal")));
    if (stack.length > 1) title.prepend(document.createTextNode("‹ "));
    const closeX = document.createElement("button");
    closeX.type = "button";
    closeX.className = "modal-x";
    closeX.setAttribute("aria-label", "Close");
    closeX.textContent = "×";
    closeX.addEventListener("click", () => closeModal(top));
    header.append(title, closeX);
    const form = document.createElement("form");
    form.className = "modal-body";
    form.noValidate = true;
    const ctx = ctxFor("modal", {
      onAction: (action) => send({ kind: "view", view_id: top.id }, action, B.collectValues(form)),
    });
    form.append(B.renderBlocks(top.blocks, ctx));
    if (ui.modalValues[top.id]) B.restoreValues(form, ui.modalValues[top.id]);
    const footer = document.createElement("div");
    footer.className = "modal-footer";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn ghost";
    close.textContent = B.plainText(top.close) || (top.submit ? "Cancel" : "Close");
    close.addEventListener("click", () => closeModal(top));
    footer.append(close);
    if (top.submit) {
      const submit = document.createElement("button");
      submit.type = "submit";
      submit.className = "btn primary";
      submit.textContent = B.plainText(top.submit);
      submit.dataset.role = "submit";
      footer.append(submit);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitModal(top, form);
    });
    form.append(footer);
    dialog.append(header, form);
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeModal(top);
      if (event.key !== "Tab") return;
      // Keep keyboard focus inside the modal, like Slack's.
      const focusable = [...dialog.querySelectorAll("button, input, select, textarea, a[href]")].filter(
        (node) => !node.disabled && node.offsetParent !== null
      );
      const first = focusable[0], last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    backdrop.append(dialog);
    root.append(backdrop);
    const firstField = form.querySelector("input, select, textarea, button");
    (firstField || closeX).focus();
  }

  // Back to the button that opened the modal; if that message was redrawn meanwhile, to the same
  // message's first button; else to the composer.
  function restoreFocus() {
    const opener = ui.returnFocus;
    ui.returnFocus = null;
    if (opener && opener.isConnected && !opener.disabled) return opener.focus();
    const again = ui.returnTs && document.querySelector(`[data-ts="${ui.returnTs}"] button:not([disabled])`);
    if (again) return again.focus();
    $("composer-input").focus();
  }

  async function submitModal(view, form) {
    const submit = form.querySelector("[data-role=submit]");
    if (submit) submit.disabled = true;
    const answer = await post("/api/submit", { view_id: view.id, values: B.collectValues(form) });
    if (submit) submit.disabled = false;
    if (answer.errors && Object.keys(answer.errors).length) {
      const first = B.showErrors(form, answer.errors);
      if (first) first.focus();
    } else if (answer.ok) {
      B.showErrors(form, {});
    }
  }

  function closeModal(view) {
    post("/api/close", { view_id: view.id });
  }

  // ------------------------------------------------------------------------------------------ actions

  function send(container, action, values) {
    const body = { container, action_id: action.action_id, block_id: action.block_id || null };
    if (action.value !== undefined) body.value = action.value;
    if (values) body.values = values;
    ui.stickToBottom = true;
    return post("/api/action", body);
  }

  function openChannel(channelId) {
    ui.channel = channelId;
    ui.messagesKey = null;
    ui.stickToBottom = true;
    renderSidebar();
    renderPane();
    const channel = currentChannel();
    if (channel.kind === "app") openTab(ui.tab);
    $("composer-input").focus();
  }

  function openTab(tab) {
    ui.tab = tab;
    ui.homeKey = null;
    ui.messagesKey = null;
    ui.stickToBottom = true;
    renderPane();
    post("/api/tab", { tab });
  }

  function switchUser(userId) {
    ui.me = userId;
    localStorage.setItem("parley.me", userId);
    const url = new URL(location.href);
    url.searchParams.set("as", userId);
    history.replaceState(null, "", url);
    ui.state = null;
    ui.version = null;
    ui.channel = null;
    ui.tab = "messages";
    ui.modalKey = ui.messagesKey = ui.homeKey = "";
    restartPolling();
    refresh();
  }

  // ------------------------------------------------------------------------------------------ composer

  // "/", "/neg", "/negotiate", "/negotiate pr" → the matching subcommands; none once one is typed out.
  function suggestionsFor(text) {
    if (!text.startsWith("/")) return [];
    const space = text.indexOf(" ");
    const command = space < 0 ? text.slice(1) : text.slice(1, space);
    if (!"negotiate".startsWith(command) || (space >= 0 && command !== "negotiate")) return [];
    const sub = space < 0 ? "" : text.slice(space + 1);
    if (sub.includes(" ")) return [];
    return ui.state.commands.filter((c) => c.name.startsWith(sub.toLowerCase()));
  }

  function renderSuggestions() {
    const input = $("composer-input");
    const box = $("suggestions");
    const found = ui.state ? suggestionsFor(input.value) : [];
    box.textContent = "";
    box.hidden = !found.length;
    input.setAttribute("aria-expanded", String(!box.hidden));
    ui.suggestion = Math.min(ui.suggestion, found.length - 1);
    found.forEach((command, index) => {
      const option = document.createElement("div");
      option.className = "suggestion" + (index === ui.suggestion ? " active" : "");
      option.setAttribute("role", "option");
      option.id = `suggestion-${command.name}`;
      option.setAttribute("aria-selected", String(index === ui.suggestion));
      const name = document.createElement("strong");
      name.textContent = `/negotiate ${command.name}`;
      const args = document.createElement("span");
      args.className = "args";
      args.textContent = command.args ? ` ${command.args}` : "";
      const description = document.createElement("span");
      description.className = "description";
      description.textContent = command.description;
      option.append(name, args, description);
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(command);
      });
      box.append(option);
    });
    if (ui.suggestion >= 0) input.setAttribute("aria-activedescendant", `suggestion-${found[ui.suggestion].name}`);
    else input.removeAttribute("aria-activedescendant");
    return found;
  }

  function choose(command) {
    const input = $("composer-input");
    input.value = `/negotiate ${command.name} `;
    ui.suggestion = -1;
    renderSuggestions();
    input.focus();
  }

  async function sendComposer(event) {
    event.preventDefault();
    const input = $("composer-input");
    const text = input.value.trim();
    if (!text) return;
    if (!text.startsWith("/")) {
      notice("Only slash commands reach Parley here: try /negotiate help.", "info");
      return;
    }
    const [command, ...rest] = text.split(/\s+/);
    if (command !== "/negotiate") {
      notice(`${command} is not a command in this workspace. Parley's is /negotiate.`, "error");
      return;
    }
    // Just after switching people the new person's state may not have arrived yet: wait for it, so
    // the command goes to their DM rather than to no conversation at all.
    if (!ui.state) await refresh();
    if (!ui.state) {
      notice("The playground is still loading. Try the command again in a moment.", "info");
      return;
    }
    input.value = "";
    renderSuggestions();
    ui.stickToBottom = true;
    await post("/api/command", { channel: ui.channel || ui.state.dm, text: rest.join(" ") });
  }

  function composerKeys(event) {
    const box = $("suggestions");
    if (box.hidden) return;
    const found = suggestionsFor($("composer-input").value);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      ui.suggestion = (ui.suggestion + step + found.length) % found.length;
      renderSuggestions();
    } else if ((event.key === "Tab" || event.key === "Enter") && ui.suggestion >= 0) {
      event.preventDefault();
      choose(found[ui.suggestion]);
    } else if (event.key === "Escape") {
      box.hidden = true;
    }
  }

  // ------------------------------------------------------------------------------------------ time travel

  async function travel(to) {
    if (!to.trim()) return;
    notice(`Travelling to “${to}” and running the clock…`, "info");
    const answer = await post("/api/travel", { to });
    if (answer.ok) {
      notice(answer.error ? `The clock moved, but running it failed: ${answer.error}` : answer.summary, answer.error ? "error" : "info");
      $("travel-to").value = "";
    }
  }

  // ------------------------------------------------------------------------------------------ boot

  function boot() {
    $("user-switcher").addEventListener("change", (event) => switchUser(event.target.value));
    $("composer").addEventListener("submit", sendComposer);
    $("composer-input").addEventListener("input", () => {
      ui.suggestion = -1;
      renderSuggestions();
    });
    $("composer-input").addEventListener("keydown", composerKeys);
    $("composer-input").addEventListener("blur", () => setTimeout(() => ($("suggestions").hidden = true), 150));
    for (const button of document.querySelectorAll("#tabs [role=tab]")) {
      button.addEventListener("click", () => openTab(button.dataset.tab));
    }
    $("travel").addEventListener("submit", (event) => {
      event.preventDefault();
      travel($("travel-to").value);
    });
    for (const button of document.querySelectorAll("[data-travel]")) {
      button.addEventListener("click", () => travel(button.dataset.travel));
    }
    refresh().then(restartPolling);
  }

  document.addEventListener("DOMContentLoaded", boot);
})();
