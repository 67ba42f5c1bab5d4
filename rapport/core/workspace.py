"""The manager's workspace ("My work") is assembled from panels that features register, so the page that shows a
manager's day imports none of them: each panel is a function of (request, manager) that returns the context of
its template (with the template's name under ``"template"``), or ``None`` when it has nothing to show."""

from collections.abc import Callable

WorkspacePanel = Callable[[object, object], dict | None]
_panels: list[WorkspacePanel] = []


def register_workspace_panel(panel: WorkspacePanel) -> None:
    """Add ``panel`` to every manager's workspace (in ``AppConfig.ready``; registering twice adds it once)."""
    if panel not in _panels:
        _panels.append(panel)


def workspace_panels(request, manager) -> list[dict]:
    """The registered panels' contexts for ``manager``, in registration order, leaving out those with nothing."""
    return [context for panel in _panels if (context := panel(request, manager)) is not None]
