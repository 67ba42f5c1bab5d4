"""Client managers are employees, not clients (see ``rapport.privacy.registry``)."""

from rapport.privacy.registry import register_no_personal_data


def register() -> None:
    from rapport.managers.models import ClientManager

    register_no_personal_data(ClientManager, "the company's employees, not clients")
    register_no_personal_data(ClientManager.history.model, "the history of the company's employees")
