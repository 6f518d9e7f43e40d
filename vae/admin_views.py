from django.http import HttpResponse


def candidacy_list(request):
    return HttpResponse("")


def candidacy_detail(request, pk):
    return HttpResponse("")
