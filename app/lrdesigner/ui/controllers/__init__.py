"""Controllers: each owns its actions (from `ui.actions`), decides when they are enabled, turns the
views' intents into model changes and undo commands, and asks the user through `Prompts`."""
