// Slack emoji shortcodes the playground draws as characters (anything else stays ":name:" as typed).
"use strict";
window.ParleyEmoji = Object.freeze({
  "+1": "👍", "-1": "👎", "alarm_clock": "⏰", "arrow_down": "⬇️", "arrow_right": "➡️", "arrow_up": "⬆️",
  "arrow_left": "⬅️", "arrows_counterclockwise": "🔄", "bar_chart": "📊", "bell": "🔔", "books": "📚",
  "bulb": "💡", "bust_in_silhouette": "👤", "busts_in_silhouette": "👥", "calendar": "📆",
  "chart_with_downwards_trend": "📉", "chart_with_upwards_trend": "📈", "check": "✔️",
  "heavy_check_mark": "✔️", "clipboard": "📋", "clock9": "🕘", "compass": "🧭", "dart": "🎯",
  "dolphin": "🐬", "door": "🚪", "double_vertical_bar": "⏸️", "envelope": "✉️", "eyes": "👀",
  "fire": "🔥", "gift": "🎁", "handshake": "🤝", "heart": "❤️", "hourglass": "⌛",
  "hourglass_flowing_sand": "⏳", "information_source": "ℹ️", "inbox_tray": "📥", "key": "🔑",
  "leftwards_arrow_with_hook": "↩️", "lion_face": "🦁", "lock": "🔒", "mag": "🔍", "memo": "📝",
  "money_with_wings": "💸", "moneybag": "💰", "monkey_face": "🐵", "muscle": "💪", "no_entry": "⛔",
  "no_entry_sign": "🚫", "ok_hand": "👌", "outbox_tray": "📤", "owl": "🦉", "page_facing_up": "📄",
  "pencil": "📝", "pencil2": "✏️", "pushpin": "📌", "question": "❓", "receipt": "🧾",
  "red_circle": "🔴", "large_green_circle": "🟢", "large_yellow_circle": "🟡", "large_blue_circle": "🔵",
  "reminder_ribbon": "🎗️", "rocket": "🚀", "rotating_light": "🚨", "scales": "⚖️", "shield": "🛡️",
  "smile": "😄", "slightly_smiling_face": "🙂", "speech_balloon": "💬", "spiral_calendar_pad": "🗓️",
  "spiral_note_pad": "🗒️", "star": "⭐", "tada": "🎉", "thinking_face": "🤔", "thumbsup": "👍",
  "thumbsdown": "👎", "trophy": "🏆", "warning": "⚠️", "wave": "👋", "white_check_mark": "✅",
  "x": "❌", "zzz": "💤", "email": "📧", "link": "🔗", "sparkles": "✨", "pray": "🙏", "raised_hands": "🙌",
  "clap": "👏", "hammer_and_wrench": "🛠️", "gear": "⚙️", "calendar_spiral": "🗓️", "date": "📅",
  "stopwatch": "⏱️", "timer_clock": "⏲️", "money_mouth_face": "🤑", "chart": "💹", "dollar": "💵",
  "euro": "💶", "pound": "💷", "yen": "💴", "mailbox": "📫", "loudspeaker": "📢", "mega": "📣",
  "heavy_plus_sign": "➕", "heavy_minus_sign": "➖", "repeat": "🔁", "bookmark": "🔖", "flag": "🚩",
  "triangular_flag_on_post": "🚩", "speaking_head_in_silhouette": "🗣️", "thought_balloon": "💭",
  "seedling": "🌱", "small_red_triangle": "🔺", "small_red_triangle_down": "🔻", "mute": "🔇",
  "round_pushpin": "📍", "small_orange_diamond": "🔸", "small_blue_diamond": "🔹", "bangbang": "‼️", "hourglass_done": "⌛", "new": "🆕", "sos": "🆘", "100": "💯"
});
