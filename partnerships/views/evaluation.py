"""Evaluating a pilot at set points, publishing the evaluation, its lessons, and the lessons library.

Anyone who may see a pilot sees its published evaluations; drafts, and everything of a draft pilot, are council
staff's only (partnerships.scoping: a 404 for providers). Officers add, change and publish evaluations and add
lessons (the models' permissions). Every signed-in user reads the library of lessons across all pilots.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from django_filters.views import FilterView

from partnerships import scoping
from partnerships.filters_lessons import LessonFilter
from partnerships.forms import evaluation as forms
from partnerships.selectors import evaluation as selectors
from partnerships.services import evaluation as services
from portal.forms import add_service_error

LESSONS_PAGE_SIZE = 20


class EvaluationView(TemplateView):
    template_name = "partnerships/evaluation/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        evaluation = selectors.evaluation_for_page(user=user, slug=kwargs["slug"], pk=kwargs["pk"])
        # Providers never act here: asking would cost them two permission queries.
        council_staff = scoping.sees_everything(user)
        return super().get_context_data(
            evaluation=evaluation,
            pilot=evaluation.pilot,
            outcomes=selectors.evaluation_outcomes(evaluation),
            lessons=selectors.evaluation_lessons(user=user, evaluation=evaluation),
            can_change=council_staff and user.has_perm("partnerships.change_evaluation"),
            can_add_lesson=council_staff and user.has_perm("partnerships.add_lesson"),
            **kwargs,
        )


class OfficerMixin(PermissionRequiredMixin):
    """The role check runs before anything is looked up, so that someone who may not act learns nothing."""

    raise_exception = True

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class EvaluationFormMixin(OfficerMixin):
    """The evaluation's own form and the formset of outcomes, one row per objective, checked and shown together."""

    template_name = "partnerships/evaluation/evaluation_form.html"

    @cached_property
    def objectives(self):
        return selectors.pilot_objectives(self.pilot)

    def bound_forms(self, data=None):
        existing = selectors.outcomes_by_objective(self.evaluation) if self.evaluation else None
        return (
            forms.EvaluationForm(data, instance=self.evaluation),
            forms.outcome_formset(objectives=self.objectives, data=data, existing=existing),
        )

    def get(self, request, *args, **kwargs):
        form, formset = self.bound_forms()
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        form, formset = self.bound_forms(request.POST)
        if self.refusal:
            form.add_error(None, self.refusal)
            return self.render(form, formset)
        # Both are checked, so that every error on the page is in the summary at once.
        valid = [form.is_valid(), formset.is_valid()]
        if not all(valid):
            return self.render(form, formset)
        try:
            evaluation = self.save(form.cleaned_data, formset.outcomes)
        except services.EvaluationError as error:
            add_service_error(form, error)
            return self.render(form, formset)
        messages.success(request, self.success_message)
        return redirect("partnerships:evaluation", slug=self.pilot.slug, pk=evaluation.pk)

    def render(self, form, formset):
        return self.render_to_response(
            self.get_context_data(
                form=form,
                formset=formset,
                pilot=self.pilot,
                evaluation=self.evaluation,
                refusal=self.refusal,
            )
        )


class EvaluationAddView(EvaluationFormMixin, TemplateView):
    permission_required = "partnerships.add_evaluation"
    evaluation = None
    success_message = "Draft evaluation saved. Publish it when it is ready for the pilot's partners to see."

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.slug = kwargs["slug"]

    @cached_property
    def pilot(self):
        return selectors.pilot_for_evaluating(self.slug)

    @cached_property
    def refusal(self) -> str | None:
        return services.evaluation_refusal(pilot=self.pilot, objectives=self.objectives)

    def save(self, data, outcomes):
        return services.evaluation_create(pilot=self.pilot, by=self.request.user, outcomes=outcomes, **data)


class EvaluationEditView(EvaluationFormMixin, TemplateView):
    permission_required = "partnerships.change_evaluation"
    success_message = "Changes to the draft evaluation saved"

    @cached_property
    def evaluation(self):
        return selectors.evaluation_for_officers(slug=self.kwargs["slug"], pk=self.kwargs["pk"])

    @cached_property
    def pilot(self):
        return self.evaluation.pilot

    @cached_property
    def refusal(self) -> str | None:
        if self.evaluation.is_published:
            return services.ALREADY_PUBLISHED
        return services.evaluation_refusal(pilot=self.pilot, objectives=self.objectives)

    def save(self, data, outcomes):
        return services.evaluation_update(
            evaluation=self.evaluation, by=self.request.user, outcomes=outcomes, **data
        )


class EvaluationPublishView(OfficerMixin, TemplateView):
    """A confirmation page; publishing is a POST."""

    permission_required = "partnerships.change_evaluation"
    template_name = "partnerships/evaluation/evaluation_publish.html"

    def get_context_data(self, **kwargs):
        evaluation = selectors.evaluation_for_officers(slug=self.kwargs["slug"], pk=self.kwargs["pk"])
        return super().get_context_data(
            evaluation=evaluation,
            pilot=evaluation.pilot,
            outcome_count=evaluation.outcomes.count(),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=forms.PublishForm(), **kwargs))

    def post(self, request, *args, **kwargs):
        context = self.get_context_data(form=forms.PublishForm(request.POST), **kwargs)
        evaluation = context["evaluation"]
        try:
            services.evaluation_publish(evaluation=evaluation, by=request.user)
        except services.EvaluationError as error:
            add_service_error(context["form"], error)
            return self.render_to_response(context)
        messages.success(request, f"{evaluation.get_point_display()} evaluation published")
        return redirect("partnerships:evaluation", slug=evaluation.pilot.slug, pk=evaluation.pk)


class LessonAddView(OfficerMixin, TemplateView):
    permission_required = "partnerships.add_lesson"
    template_name = "partnerships/evaluation/lesson_form.html"

    @cached_property
    def evaluation(self):
        return selectors.evaluation_for_officers(slug=self.kwargs["slug"], pk=self.kwargs["pk"])

    def render(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, evaluation=self.evaluation, pilot=self.evaluation.pilot)
        )

    def get(self, request, *args, **kwargs):
        return self.render(forms.LessonForm())

    def post(self, request, *args, **kwargs):
        form = forms.LessonForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            lesson = services.lesson_add(evaluation=self.evaluation, by=request.user, **form.cleaned_data)
        except services.EvaluationError as error:
            add_service_error(form, error)
            return self.render(form)
        messages.success(request, f"Lesson added: {lesson.title}")
        return redirect("partnerships:evaluation", slug=self.evaluation.pilot.slug, pk=self.evaluation.pk)


class LessonLibraryView(FilterView):
    """Lessons from every pilot the user may see: providers only those of published evaluations."""

    filterset_class = LessonFilter
    template_name = "partnerships/evaluation/lessons.html"
    context_object_name = "lessons"
    paginate_by = LESSONS_PAGE_SIZE

    def get_queryset(self):
        return selectors.library_lessons(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            form=self.filterset.form, filtered=self.filterset.is_filtered, **kwargs
        )
        context["lessons"] = selectors.with_pilot_names(context["lessons"])
        return context


urlpatterns = [
    path("lessons/", LessonLibraryView.as_view(), name="lessons"),
    path("<slug:slug>/evaluations/add/", EvaluationAddView.as_view(), name="evaluation-add"),
    path("<slug:slug>/evaluations/<int:pk>/", EvaluationView.as_view(), name="evaluation"),
    path("<slug:slug>/evaluations/<int:pk>/edit/", EvaluationEditView.as_view(), name="evaluation-edit"),
    path(
        "<slug:slug>/evaluations/<int:pk>/publish/",
        EvaluationPublishView.as_view(),
        name="evaluation-publish",
    ),
    path("<slug:slug>/evaluations/<int:pk>/lessons/add/", LessonAddView.as_view(), name="lesson-add"),
]
