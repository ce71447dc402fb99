"""The survey's cycles and their questionnaires, for the engagement manager who runs the survey.

Directors read every page (surveys.view_surveycycle); the engagement manager starts and changes cycles and keeps
the questions until the cycle opens. The services refuse every change to an opened cycle's questions.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView, View

from portal import roles
from portal.forms import add_service_error
from surveys.forms import cycles as forms
from surveys.selectors import cycles as selectors
from surveys.services import cycles as services

VIEW = "surveys.view_surveycycle"

# What the engagement manager may do from the cycles' pages, and the permission each needs.
ACTIONS = {
    "create": "surveys.add_surveycycle",
    "edit": "surveys.change_surveycycle",
    "add_question": "surveys.add_question",
    "edit_question": "surveys.change_question",
    "remove_question": "surveys.delete_question",
    "copy": "surveys.change_questionnaire",
}


def _may(user) -> dict[str, bool]:
    return {action: roles.may(user, permission) for action, permission in ACTIONS.items()}


class SurveyPermissionMixin(PermissionRequiredMixin):
    raise_exception = True


class CycleListView(SurveyPermissionMixin, ListView):
    permission_required = VIEW
    template_name = "surveys/cycles/cycle_list.html"
    context_object_name = "cycles"

    def get_queryset(self):
        return selectors.with_status(list(selectors.cycles_for_list()))

    def get_context_data(self, **kwargs):
        return super().get_context_data(can=_may(self.request.user), **kwargs)


class CycleDetailView(SurveyPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "surveys/cycles/cycle_detail.html"

    def get_context_data(self, **kwargs):
        cycle = selectors.cycle_for_page(kwargs["year"])
        return super().get_context_data(
            cycle=cycle, locked=services.is_locked(cycle), can=_may(self.request.user), **kwargs
        )


class CycleFormView(SurveyPermissionMixin, FormView):
    template_name = "surveys/cycles/cycle_form.html"
    form_class = forms.CycleForm
    cycle = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(cycle=self.cycle, **kwargs)

    def form_valid(self, form):
        try:
            self.cycle = self.save(form.cleaned_data)
        except services.CycleError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message())
        return redirect("surveys:cycle", year=self.cycle.year)


class CycleCreateView(CycleFormView):
    permission_required = "surveys.add_surveycycle"

    def get_form_kwargs(self):
        latest = selectors.cycles_for_list().first()
        next_year = latest.year + 1 if latest else timezone.localdate().year
        return {**super().get_form_kwargs(), "next_year": next_year}

    def save(self, data):
        return services.cycle_create(created_by=self.request.user, **data)

    def success_message(self) -> str:
        return f"{self.cycle} was started, with the default questions for providers and for officers"


class CycleEditView(CycleFormView):
    permission_required = "surveys.change_surveycycle"

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.cycle = selectors.cycle_for_change(kwargs["year"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.cycle}

    def save(self, data):
        return services.cycle_update(cycle=self.cycle, **data)

    def success_message(self) -> str:
        return f"Changes to {self.cycle} saved"


class QuestionnaireView(SurveyPermissionMixin, TemplateView):
    permission_required = VIEW
    template_name = "surveys/cycles/questionnaire.html"

    def get_context_data(self, **kwargs):
        questionnaire = selectors.questionnaire_for_page(int(kwargs["year"]), kwargs["audience"])
        locked = services.is_locked(questionnaire.cycle)
        can = _may(self.request.user)
        earlier = None
        if not locked and can["copy"]:
            earlier = selectors.earlier_questionnaire(questionnaire)
        return super().get_context_data(
            questionnaire=questionnaire,
            cycle=questionnaire.cycle,
            questions=list(questionnaire.questions.all()),
            locked=locked,
            locked_message=services.LOCKED,
            earlier=earlier,
            can=can,
            **kwargs,
        )


class QuestionnairePermissionMixin(SurveyPermissionMixin):
    """The role check runs before the questionnaire (and question) is looked up; a question of another is a 404."""

    questionnaire = None
    question = None

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.questionnaire = selectors.questionnaire_for_page(int(kwargs["year"]), kwargs["audience"])
        if "pk" in kwargs:
            self.question = selectors.questionnaire_question(self.questionnaire, int(kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            questionnaire=self.questionnaire,
            cycle=self.questionnaire.cycle,
            question=self.question,
            locked=services.is_locked(self.questionnaire.cycle),
            locked_message=services.LOCKED,
            **kwargs,
        )

    def back_to_questionnaire(self, anchor: str = ""):
        cycle = self.questionnaire.cycle
        url = reverse(
            "surveys:questionnaire", kwargs={"year": cycle.year, "audience": self.questionnaire.audience}
        )
        return redirect(url + anchor)


class QuestionFormView(QuestionnairePermissionMixin, FormView):
    template_name = "surveys/cycles/question_form.html"
    form_class = forms.QuestionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "questionnaire": self.questionnaire, "instance": self.question}

    def form_valid(self, form):
        try:
            question = self.save(form.cleaned_data)
        except services.CycleError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return self.back_to_questionnaire(f"#question-{question.pk}")


class QuestionAddView(QuestionFormView):
    permission_required = "surveys.add_question"
    success_message = "The question was added at the end"

    def save(self, data):
        return services.question_add(questionnaire=self.questionnaire, **data)


class QuestionEditView(QuestionFormView):
    permission_required = "surveys.change_question"
    success_message = "Changes to the question saved"

    def save(self, data):
        return services.question_update(question=self.question, **data)


class QuestionRemoveView(QuestionnairePermissionMixin, FormView):
    """A page that asks to confirm; the question is removed only by the POST that follows."""

    permission_required = "surveys.delete_question"
    template_name = "surveys/cycles/question_remove.html"
    form_class = forms.ConfirmForm

    def form_valid(self, form):
        try:
            services.question_remove(question=self.question)
        except services.CycleError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The question was removed")
        return self.back_to_questionnaire("#questions")


class QuestionnaireActionView(QuestionnairePermissionMixin, View):
    """A button on the questionnaire's page: the change is made, or refused with the reason, and back to the page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            success, anchor = self.act()
        except services.CycleError as error:
            messages.error(request, error.message)
            return self.back_to_questionnaire("#questions")
        messages.success(request, success)
        return self.back_to_questionnaire(anchor)


class QuestionMoveView(QuestionnaireActionView):
    permission_required = "surveys.change_question"

    def act(self) -> tuple[str, str]:
        direction = self.request.POST.get("direction", "")
        question = services.question_move(question=self.question, direction=direction)
        return f"The question was moved {direction}", f"#question-{question.pk}"


class QuestionnaireCopyView(QuestionnaireActionView):
    permission_required = "surveys.change_questionnaire"

    def act(self) -> tuple[str, str]:
        questionnaire = services.questionnaire_copy(questionnaire=self.questionnaire)
        return f"The questions were copied from {questionnaire.copied_from.cycle}", "#questions"


# Only the two audiences, so that the other pages under a cycle's address (cycles/<year>/rates/, ...) still match.
_QUESTIONNAIRE = r"^cycles/(?P<year>[0-9]+)/(?P<audience>providers|officers)/"

urlpatterns = [
    path("cycles/", CycleListView.as_view(), name="cycles"),
    path("cycles/new/", CycleCreateView.as_view(), name="cycle-create"),
    path("cycles/<int:year>/", CycleDetailView.as_view(), name="cycle"),
    path("cycles/<int:year>/edit/", CycleEditView.as_view(), name="cycle-edit"),
    re_path(f"{_QUESTIONNAIRE}$", QuestionnaireView.as_view(), name="questionnaire"),
    re_path(f"{_QUESTIONNAIRE}copy/$", QuestionnaireCopyView.as_view(), name="questionnaire-copy"),
    re_path(f"{_QUESTIONNAIRE}questions/add/$", QuestionAddView.as_view(), name="question-add"),
    re_path(f"{_QUESTIONNAIRE}questions/(?P<pk>[0-9]+)/$", QuestionEditView.as_view(), name="question-edit"),
    re_path(
        f"{_QUESTIONNAIRE}questions/(?P<pk>[0-9]+)/remove/$",
        QuestionRemoveView.as_view(),
        name="question-remove",
    ),
    re_path(
        f"{_QUESTIONNAIRE}questions/(?P<pk>[0-9]+)/move/$", QuestionMoveView.as_view(), name="question-move"
    ),
]
