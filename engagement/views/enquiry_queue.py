"""The officers' enquiry queue, and the enquiry figures for directors and council staff."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import path
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from directory.selectors.finder import question_choices
from engagement.enquiry_chart import BarChart
from engagement.forms.enquiry_queue import EnquiryQueueFilterForm, FiguresMonthsForm
from engagement.selectors import enquiry_queue as selectors
from engagement.selectors.enquiry_figures import enquiry_figures
from portal.paths import with_paths
from portal.permissions import CouncilStaffRequiredMixin


class _CountedRowsPaginator(Paginator):
    """Reads a page of the queue and how many there are in one query: each row carries the total."""

    def page(self, number):
        number = self.validate_page_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        self.__dict__["count"] = rows[0]["total"] if rows else 0
        return self._get_page(rows, number, self)

    def validate_page_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number


class EnquiryQueueView(CouncilStaffRequiredMixin, ListView):
    """`?show=` one of the user's queues (mine by default for an officer), narrowed by topic, area and status."""

    template_name = "engagement/enquiry_queue/queue.html"
    context_object_name = "enquiries"
    paginate_by = 25
    paginator_class = _CountedRowsPaginator

    @cached_property
    def officer(self):
        return selectors.queue_officer(self.request.user)

    @cached_property
    def queues(self) -> list[tuple[str, str]]:
        return selectors.queue_choices(self.officer)

    @cached_property
    def show(self) -> str:
        asked = self.request.GET.get("show", "")
        return asked if asked in dict(self.queues) else self.queues[0][0]

    @cached_property
    def form(self) -> EnquiryQueueFilterForm:
        return EnquiryQueueFilterForm(self.request.GET or None, choices=question_choices())

    def get_queryset(self):
        return selectors.enquiries_in_queue(
            show=self.show, officer=self.officer, today=timezone.localdate(), **self.form.filters
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.form,
            queues=self.queues,
            show=self.show,
            queue_name=dict(self.queues)[self.show],
            filtered=bool(self.form.filters),
            **kwargs,
        )
        with_paths(selectors.describe_rows(context["enquiries"]), "engagement:enquiry-detail")
        return context


class EnquiryFiguresView(CouncilStaffRequiredMixin, TemplateView):
    """Per month from `?start=YYYY-MM` to `?end=YYYY-MM` (the last twelve months by default), and breakdowns."""

    template_name = "engagement/enquiry_queue/figures.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        form = FiguresMonthsForm(self.request.GET, today=today)
        first_month, last_month = form.months
        figures = enquiry_figures(first_month=first_month, last_month=last_month, today=today)
        return super().get_context_data(
            form=form, figures=figures, chart=BarChart.of(figures.months), **kwargs
        )


urlpatterns = [
    path("enquiries/queue/", EnquiryQueueView.as_view(), name="enquiry-queue"),
    path("enquiries/figures/", EnquiryFiguresView.as_view(), name="enquiry-figures"),
]
