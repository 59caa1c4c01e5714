"""The modal screens of the editor, one a module."""
