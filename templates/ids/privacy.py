"""Ids of the members' data screens: ``/negotiate my-data`` and the admin Members screen."""

from enum import StrEnum


class PrivacyAction(StrEnum):
    EXPORT = "my_data_export"  # "Send me a copy" (value: whose data, for admins)
    ERASE = "my_data_erase"  # "Erase my data…": pushes the confirmation
    ADMIN_OPEN = "admin_members_open"  # the button in /negotiate settings (admins)
    ADMIN_PICK = "admin_members_pick"  # the member picker in the Members screen


class PrivacyCallback(StrEnum):
    MY_DATA = "my_data"
    ERASE_CONFIRM = "my_data_erase_confirm"
    MEMBERS = "admin_members"
    DONE = "my_data_done"


class PrivacyBlock(StrEnum):
    MEMBER = "admin_members_member"
    ACTIONS = "my_data_actions"
