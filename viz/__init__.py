"""Interactive network views and static exports (see the views issue); empty for now."""
