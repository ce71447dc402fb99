"""The who's-who for everyone signed in: search, the "Who do I contact about…?" finder, officer and team pages."""

from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.text import slugify
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.filters import OfficerFilter
from directory.forms.search import ContactFinderForm
from directory.selectors import finder
from directory.selectors import search as selectors
from directory.vcard import officer_vcard
from portal import contributions
from portal.paths import with_paths


class OneQueryPaginator(Paginator):
    """Reads a page of results and how many there are in one query: each row carries the total (a window)."""

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0  # Paginator.page says why it is not a page.
        if wanted >= 1 and "count" not in self.__dict__:
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list.annotate(found=Window(Count("pk")))[bottom : bottom + self.per_page])
            if rows or wanted == 1:
                self.count = rows[0].found if rows else 0
                return self._get_page(rows, self.validate_number(wanted), self)
        return super().page(number)


class OfficerSearchView(FilterView):
    filterset_class = OfficerFilter
    template_name = "directory/search/search.html"
    context_object_name = "officers"
    paginate_by = 20
    paginator_class = OneQueryPaginator

    def get_queryset(self):
        return selectors.officer_search_base()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filterset.form
        words = form.cleaned_data.get("q", "") if self.filterset.is_bound and form.is_valid() else ""
        selectors.with_topics_answered(context["officers"])
        with_paths(context["officers"], "directory:officer-detail")
        context.update(
            form=form,
            searched=self.filterset.is_bound,
            suggestions=selectors.officer_name_suggestions(words)
            if words and not context["officers"]
            else [],
            published=contributions.search(self.request.user, selectors.search_words(words)),
        )
        return context


def contact_finder(request: HttpRequest) -> HttpResponse:
    """Asked and answered on one page: the question's form, and once sent, its one best answer."""
    if request.GET:
        form = ContactFinderForm(request.GET)
    else:
        form = ContactFinderForm(initial=finder.finder_defaults(request.user))
    context = {"form": form, "asked": form.is_valid()}
    if context["asked"]:
        answer = finder.contact_find(**form.cleaned_data)
        context.update(question=form.cleaned_data, answer=answer)
        if answer is None:
            context["market_leads"] = finder.market_leads()
    return render(request, "directory/search/finder.html", context)


class OfficerDetailView(DetailView):
    template_name = "directory/search/officer.html"
    context_object_name = "officer"

    def get_queryset(self):
        return selectors.officer_page(self.request.user)

    def get_context_data(self, **kwargs):
        sections = contributions.officer_sections(self.request.user, self.object)
        return super().get_context_data(sections=sections, **kwargs)


def officer_vcard_download(request: HttpRequest, pk: int) -> HttpResponse:
    officer = get_object_or_404(selectors.officers_visible_to(request.user).select_related("team"), pk=pk)
    response = HttpResponse(officer_vcard(officer), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(officer.full_name) or "officer"}.vcf"'
    return response


class TeamDetailView(DetailView):
    template_name = "directory/search/team.html"
    context_object_name = "team"

    def get_queryset(self):
        return selectors.team_page(self.request.user)


urlpatterns = [
    path("whos-who/", OfficerSearchView.as_view(), name="search"),
    path("whos-who/find-a-contact/", contact_finder, name="finder"),
    path("officers/<int:pk>/", OfficerDetailView.as_view(), name="officer-detail"),
    path("officers/<int:pk>/vcard/", officer_vcard_download, name="officer-vcard"),
    path("teams/<int:pk>/", TeamDetailView.as_view(), name="team-detail"),
]
