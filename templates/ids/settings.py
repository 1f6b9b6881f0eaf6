"""Ids of `/negotiate settings` (the admin screen and its modals) and `/negotiate playbook`."""

from enum import StrEnum


class SettingsCallback(StrEnum):
    OVERVIEW = "admin_settings_overview"  # the summary modal (no submit)
    GROUP = "admin_settings_group"  # one group's modal; private_metadata: GroupMeta
    PLAYBOOK = "admin_playbook_view"  # the playbook modal (no submit)
    PLAYBOOK_PASTE = "admin_playbook_paste"  # the paste-a-TOML modal


class SettingsAction(StrEnum):
    OPEN = "admin_settings_open"  # App Home: open the admin screen
    EDIT = "admin_settings_edit"  # value: a Group
    MEMBERS = "admin_members_open"  # h18's Members screen registers the handler
    PLAYBOOK_OPEN = "admin_playbook_open"
    PLAYBOOK_PASTE = "admin_playbook_paste_open"
    PLAYBOOK_APPLY = "admin_playbook_apply"  # value: PlaybookRef
    PLAYBOOK_DISCARD = "admin_playbook_discard"  # value: PlaybookRef
    PLAYBOOK_ROLLBACK = "admin_playbook_rollback"  # value: PlaybookRef
    PLAYBOOK_DOWNLOAD = "admin_playbook_download"


SETTING_BLOCK_PREFIX = "setting_"
"""A setting's input block is ``setting_<key>``; working hours use ``setting_working_hours_start`` /
``_end`` / ``_days``."""


class PlaybookBlock(StrEnum):
    TEXT = "playbook_text"
