from django.http import HttpResponseForbidden


def csrf_failure(request, reason=""):
    return HttpResponseForbidden("CSRF 検証に失敗しました。画面を再読み込みしてください。")
