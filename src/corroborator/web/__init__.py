"""The verification board served to editors: ``corroborator serve`` (see ``app.create_app``)."""
