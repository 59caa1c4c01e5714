"""The panes on the right of the editor, one a module."""
