"""Block action (button, select, overflow) listeners."""
