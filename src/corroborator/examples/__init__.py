"""Example scenarios bundled with Corroborator, one folder each (see each folder's README.md)."""
