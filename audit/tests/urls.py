"""A URLconf for the audit tests: the portal's routes plus small views of each kind.

Views follow the project's rules (access decorators, scoped reads, services-like writes in a
transaction with the actor) so the access log sees what real feature views will produce.
"""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import RequestContext, Template
from django.urls import include, path

from agreements.models import Institution
from audit.access import history_log_required
from audit.context import mark_object
from kernel import access
from portal.urls import urlpatterns as portal_patterns

OBJECT_PAGE = Template(
    '{% extends "base.html" %}{% block content %}<h1>{{ object }}</h1>'
    '{% include "audit/_object_history.html" with object=object %}{% endblock %}'
)


def _visible(request, pk):
    institution = Institution.objects.visible_to(request.user).filter(pk=pk).first()
    if institution is None:
        raise Http404
    return institution


@access.signed_in
def institution_detail(request, pk):
    institution = _visible(request, pk)
    return HttpResponse(OBJECT_PAGE.render(RequestContext(request, {"object": institution})))


@access.signed_in
def institution_search(request):
    found = Institution.objects.visible_to(request.user).filter(acronym__icontains=request.GET.get("q", ""))
    return HttpResponse(", ".join(i.acronym for i in found))


@access.signed_in
def institution_create(request):
    with transaction.atomic():
        institution = Institution(
            acronym=request.POST["acronym"], legal_name=request.POST["legal_name"], rfc=request.POST["rfc"]
        )
        institution.save()
    mark_object(request, institution)
    return redirect("test_institution_detail", pk=institution.pk)


@access.signed_in
def institution_update(request, pk):
    institution = _visible(request, pk)
    with transaction.atomic():
        institution.address = request.POST["address"]
        institution.save()
    return redirect("test_institution_detail", pk=institution.pk)


@access.signed_in
def institution_delete(request, pk):
    institution = _visible(request, pk)
    with transaction.atomic():
        institution.delete()
    return redirect("dashboard")


@access.signed_in
def failing_write(request):
    with transaction.atomic():
        Institution.objects.create(acronym="FALLA", legal_name="No debe quedar", rfc="FAL000101AB1")
        raise RuntimeError("simulated failure after a write")


@history_log_required
def auditors_only(request):
    return HttpResponse("ok")


test_patterns = [
    path("instituciones/", institution_search, name="test_institution_search"),
    path("instituciones/nueva/", institution_create, name="test_institution_create"),
    path("instituciones/<int:pk>/", institution_detail, name="test_institution_detail"),
    path("instituciones/<int:pk>/editar/", institution_update, name="test_institution_update"),
    path("instituciones/<int:pk>/borrar/", institution_delete, name="test_institution_delete"),
    path("falla/", failing_write, name="test_failing_write"),
    path("solo-auditores/", auditors_only, name="test_auditors_only"),
]

urlpatterns = [*portal_patterns, path("prueba/", include(test_patterns))]
