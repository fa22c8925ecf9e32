"""The benchmark's ceiling: a Django view that does nothing, served through the same middleware stack.

franchise_site/urls.py routes /bench/bare/ here only when LORE_BENCH_BARE_VIEW=1 (bench/run.py sets it).
"""

from django.http import JsonResponse


def bare(request):
    return JsonResponse({"ok": True})
