"""Forum places: providers book and cancel for their own people; officers see who is coming and record who came."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django.views.generic import FormView, ListView

from directory.services.csv_export import BYTE_ORDER_MARK, neutralise
from engagement.forms.bookings import PEOPLE_PER_BOOKING, AttendanceForm, BookingForm, CancelBookingForm
from engagement.models import Booking
from engagement.selectors import bookings as selectors
from engagement.services import bookings as services

VIEW_ATTENDEES = "engagement.view_booking"
RECORD_ATTENDANCE = "engagement.change_booking"


class ProviderUserRequiredMixin(UserPassesTestMixin):
    """Provider users only: they book for their own organisation. Anyone else signed in gets 403."""

    raise_exception = True

    def test_func(self) -> bool:
        return bool(getattr(self.request.user, "provider_organisation_id", None))


class BookView(ProviderUserRequiredMixin, FormView):
    """Book named people from the user's organisation onto an activity, or onto its waiting list when full."""

    template_name = "engagement/bookings/book.html"
    form_class = BookingForm

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.activity = get_object_or_404(selectors.bookable_activities(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "activity": self.activity,
            "places": selectors.activity_places(activity=self.activity, user=self.request.user),
            "people_per_booking": PEOPLE_PER_BOOKING,
        }

    def form_valid(self, form):
        user = self.request.user
        try:
            bookings = services.booking_create(
                activity=self.activity,
                provider=user.provider_organisation,
                booked_by=user,
                attendees=form.attendees,
            )
        except services.BookingError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _booked_message(bookings))
        return redirect("engagement:my-bookings")


def _names(bookings: list[Booking]) -> str:
    names = [booking.attendee_name for booking in bookings]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _booked_message(bookings: list[Booking]) -> str:
    """One sentence for the whole booking: who has a place, and who is on the waiting list."""
    title = bookings[0].activity.title
    confirmed = [b for b in bookings if b.status == Booking.Status.CONFIRMED]
    waiting = [b for b in bookings if b.status == Booking.Status.WAITING]
    parts = []
    if confirmed:
        parts.append(
            f"{_names(confirmed)} {'has a place' if len(confirmed) == 1 else 'have places'} at {title}"
        )
    if waiting:
        is_are = "is" if len(waiting) == 1 else "are"
        parts.append(
            f"{'there are no more places, so ' if confirmed else f'{title} is full: '}{_names(waiting)} "
            f"{is_are} on the waiting list and will be emailed if a place comes up"
        )
    return "; ".join(parts)


class MyBookingsView(ProviderUserRequiredMixin, ListView):
    """The organisation's bookings, upcoming ones first; `?show=past` lists those already held."""

    template_name = "engagement/bookings/my_bookings.html"
    context_object_name = "bookings"
    paginate_by = 25

    @property
    def showing_past(self) -> bool:
        return self.request.GET.get("show") == "past"

    def get_queryset(self):
        return selectors.bookings_of_provider(
            provider_id=self.request.user.provider_organisation_id, past=self.showing_past
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "showing_past": self.showing_past}


class BookingCancelView(ProviderUserRequiredMixin, FormView):
    """Cancel one of the organisation's own bookings; another organisation's is not found."""

    template_name = "engagement/bookings/cancel.html"
    form_class = CancelBookingForm

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.booking = get_object_or_404(selectors.bookings_cancellable_by(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        refusal = None
        if self.booking.status != Booking.Status.CANCELLED:
            refusal = selectors.cancellation_refusal(activity=self.booking.activity, now=timezone.now())
        return {**super().get_context_data(**kwargs), "booking": self.booking, "refusal": refusal}

    def form_valid(self, form):
        try:
            booking = services.booking_cancel(booking=self.booking, cancelled_by=self.request.user)
        except services.BookingError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{booking.attendee_name}’s booking for {booking.activity.title} was cancelled"
        )
        return redirect("engagement:my-bookings")


class AttendeesView(PermissionRequiredMixin, ListView):
    """An activity's bookings for council staff; those who may change bookings record who came."""

    permission_required = VIEW_ATTENDEES
    raise_exception = True
    template_name = "engagement/bookings/attendees.html"
    context_object_name = "bookings"
    paginate_by = 100

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.activity = get_object_or_404(selectors.bookable_activities(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.attendees(activity=self.activity)

    def get_context_data(self, **kwargs):
        can_record = self.request.user.has_perm(RECORD_ATTENDANCE)
        return {
            **super().get_context_data(**kwargs),
            "activity": self.activity,
            "counts": selectors.attendee_counts(activity=self.activity),
            "can_record": can_record and self.activity.starts_at <= timezone.now(),
            "may_record_later": can_record and self.activity.starts_at > timezone.now(),
        }

    def post(self, request, pk: int):
        if not request.user.has_perm(RECORD_ATTENDANCE):
            return self.handle_no_permission()
        form = AttendanceForm(
            request.POST, booking_ids=selectors.confirmed_booking_ids(activity=self.activity)
        )
        if not form.is_valid():
            messages.error(request, "The attendance could not be saved: reload the page and try again")
            return redirect(request.get_full_path())
        try:
            changed = services.attendance_record(
                activity=self.activity,
                booking_ids=set(form.cleaned_data["shown"]),
                attended_ids=set(form.cleaned_data["attended"]),
                recorded_by=request.user,
            )
        except services.BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Attendance saved ({changed} change{'s' if changed != 1 else ''})")
        return redirect(request.get_full_path())


class AttendeesCsvView(PermissionRequiredMixin, View):
    permission_required = VIEW_ATTENDEES
    raise_exception = True

    def get(self, request, pk: int):
        activity = get_object_or_404(selectors.bookable_activities(), pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        day = timezone.localtime(activity.starts_at).date().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="attendees-{day}-{slugify(activity.title)[:60]}.csv"'
        )
        response.write(BYTE_ORDER_MARK)
        writer = csv.writer(response)
        writer.writerow(["Name", "Email", "Provider", "Status", "Waiting list position", "Attended"])
        for booking in selectors.attendees(activity=activity).iterator(chunk_size=500):
            writer.writerow(
                [
                    neutralise(booking.attendee_name),
                    neutralise(booking.attendee_email),
                    neutralise(booking.provider.name),
                    booking.get_status_display(),
                    booking.waiting_position or "",
                    {True: "Yes", False: "No", None: ""}[booking.attended],
                ]
            )
        return response


urlpatterns = [
    path("activities/<int:pk>/book/", BookView.as_view(), name="book"),
    path("bookings/", MyBookingsView.as_view(), name="my-bookings"),
    path("bookings/<int:pk>/cancel/", BookingCancelView.as_view(), name="booking-cancel"),
    path("activities/<int:pk>/attendees/", AttendeesView.as_view(), name="attendees"),
    path("activities/<int:pk>/attendees.csv", AttendeesCsvView.as_view(), name="attendees-csv"),
]
