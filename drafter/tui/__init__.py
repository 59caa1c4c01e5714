"""drafter's terminal UI (Textual). Entry point: drafter.tui.app.run_editor(path, goto=None)."""
