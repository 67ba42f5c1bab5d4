"""Pages of ratings (the helper building the ratings UI replaces this file)."""

from django.http import HttpResponse


def rate(request, token):
    return HttpResponse(status=501)
