"""Template context shared by every staff page (placeholder until the UI shell lands)."""


def shell(request):
    return {}
