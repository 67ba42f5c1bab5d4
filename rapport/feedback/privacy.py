"""Ratings' personal data (see ``rapport.privacy.registry``): the address a link went to and the comments."""

from rapport.privacy.registry import register_personal_data


def register() -> None:
    from rapport.feedback.models import Rating, RatingRequest

    register_personal_data(RatingRequest, rows="client_id", fields=("email",))
    register_personal_data(Rating, rows="client_id", fields=("comment",))
