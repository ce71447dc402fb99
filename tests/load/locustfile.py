"""The crowd of `make loadtest`: provider staff, officers and directors using the portal over real HTTP.

Every request is named by its page, so the figures are per page. What the crowd needs to know about the seeded
data (the forum it books, the question it asks) is read from the JSON file named by LOAD_TARGETS: run.py writes
it beside its figures. With that file, Locust's own interface can drive the same crowd at any portal seeded the
same way: `LOAD_TARGETS=var/load/targets.json locust -f tests/load/locustfile.py ProviderStaff Officer Director`.

The portal sits behind a TLS-terminating proxy in production: the crowd speaks plain HTTP to gunicorn and says
what the proxy would (X-Forwarded-Proto: https, and the https Origin a browser sends with a form).
"""

import itertools
import json
import os
import random
import re
from functools import cache
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent.lock
from django_otp.oath import totp
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

# Seconds a person spends on a page before the next, on average (from half to one and a half times this).
PACE_SECONDS = float(os.environ.get("LOAD_PACE_SECONDS", "2"))
PER_PAGE = 25  # the bookings list's page size
CANCEL_LINK = re.compile(r'href="(/engagement/bookings/(\d+)/cancel/)"')
ENQUIRY_LINK = re.compile(r'href="/engagement/enquiries/(\d+)/"')
BOOKINGS_COUNT = re.compile(r"(\d+) bookings?</caption>")
_numbers = itertools.count(1)


@cache
def targets() -> dict:
    return json.loads(Path(os.environ["LOAD_TARGETS"]).read_text())


class _BehindTheProxy(DefaultCookiePolicy):
    """Send the Secure cookies over the plain connection to gunicorn: in production the proxy's is TLS."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class _SignedIn:
    """One sign-in through the form per account, shared by every simulated person using that account.

    Each person is a browser tab of one of the seeded accounts: signing every one of them in would spend the
    run on password hashing, which real people do once a day, not once a page.
    """

    _locks: dict[str, gevent.lock.Semaphore] = {}
    _cookies: dict[str, list] = {}

    @classmethod
    def into(cls, user: "_Person") -> None:
        email = user.account()
        lock = cls._locks.setdefault(email, gevent.lock.Semaphore())
        with lock:
            if email not in cls._cookies:
                user.sign_in(email)
                cls._cookies[email] = list(user.client.cookiejar)
                return
        for cookie in cls._cookies[email]:
            user.client.cookiejar.set_cookie(cookie)


class _Person(FastHttpUser):
    abstract = True
    wait_time = between(PACE_SECONDS / 2, PACE_SECONDS * 1.5)
    default_headers = {"X-Forwarded-Proto": "https"}
    role = ""
    # The first person of each kind visits every page of theirs once before choosing at random, so even a short
    # run asks for every page of the mix. The crowd waits for these tours before it measures anything.
    _touring: set[str] = set()
    _toured: set[str] = set()

    def account(self) -> str:
        return targets()["accounts"][self.role]

    def on_start(self) -> None:
        self.client.cookiejar.set_policy(_BehindTheProxy())
        _SignedIn.into(self)
        kind = type(self).__name__
        if kind in self._touring:
            return
        self._touring.add(kind)
        for page in dict.fromkeys(self.tasks):
            page(self)
            self.wait()
        self._toured.add(kind)

    @classmethod
    def toured(cls) -> bool:
        return cls.__name__ in cls._toured

    def sign_in(self, email: str) -> None:
        self.page("/sign-in/", "sign-in page")
        then = self.form("/sign-in/", "sign in", {"username": email, "password": targets()["password"]})
        if urlsplit(then).path == "/sign-in/second-step/":
            code = f"{totp(bytes.fromhex(targets()['authenticator_key'])):06d}"
            self.form(then, "sign in: second step", {"code": code})

    def page(self, url: str, name: str, *, contains: str = "") -> str:
        """GET a page that must answer 200 (and show `contains`); its body, for the next step.

        Redirects are not followed: a page that sends the person to sign in again has failed.
        """
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            body = response.text or ""
            if response.status_code != 200:
                response.failure(f"{name}: answered {response.status_code}, not 200")
            elif contains and contains not in body:
                response.failure(f"{name}: the page does not show {contains!r}")
            else:
                response.success()
            return body

    def form(self, url: str, name: str, data: dict) -> str:
        """POST a form that must succeed: a redirect (302); the address it sends the person to."""
        origin = urlsplit(self.host)._replace(scheme="https").geturl().rstrip("/")
        token = next(c.value for c in self.client.cookiejar if c.name == "csrftoken")
        with self.client.post(
            url,
            name=name,
            data=urlencode({**data, "csrfmiddlewaretoken": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name}: answered {response.status_code}, not a redirect (a form error?)")
                return ""
            response.success()
            return response.headers.get("Location", "")


def _cancel_link(body: str, email: str) -> str | None:
    """The cancel link in the row of the booking for `email`, if it is listed and not cancelled."""
    start = body.find(email)
    if start < 0:
        return None
    link = CANCEL_LINK.search(body[start : body.find("</tr>", start)])
    return link.group(1) if link else None


class ProviderStaff(_Person):
    """A registered manager or office contact at the demo provider."""

    weight = 6
    role = "provider"

    @task(3)
    def home(self):
        self.page("/", "home (provider)")

    @task(3)
    def whos_who_search(self):
        query = urlencode({"q": random.choice(targets()["search_terms"])})
        self.page(f"/directory/whos-who/?{query}", "who's-who search")

    @task(3)
    def contact_finder(self):
        query = urlencode(targets()["question"])
        self.page(f"/directory/whos-who/find-a-contact/?{query}", "contact finder")

    @task(3)
    def forward_plan(self):
        self.page("/engagement/plan/", "forward plan")

    @task(1)
    def book_and_cancel_a_place(self):
        forum = targets()["forum"]
        self.page(f"/engagement/activities/{forum}/book/", "booking page", contains="csrfmiddlewaretoken")
        email = f"attendee-{os.getpid()}-{next(_numbers)}@load.example.org"
        booked = self.form(
            f"/engagement/activities/{forum}/book/",
            "book a place",
            {"name_1": "Load Attendee", "email_1": email},
        )
        if not booked:
            return
        link = self.cancel_link(email)
        if link:
            self.page(link, "cancel page")
            self.form(link, "cancel a booking", {})

    def cancel_link(self, email: str) -> str | None:
        """Find the place just booked on the provider's list of bookings, which is in order of the activity's start.

        The place is on the last page, or one of the two before it if the provider has places at later activities
        or others have booked since.
        """
        body = self.page("/engagement/bookings/?page=last", "my bookings")
        count = BOOKINGS_COUNT.search(body)
        pages = -(-int(count.group(1)) // PER_PAGE) if count else 1
        for number in range(pages - 1, max(pages - 3, 0), -1):
            if email in body:
                break
            body = self.page(f"/engagement/bookings/?page={number}", "my bookings")
        link = _cancel_link(body, email)
        if link is None:
            self.environment.events.request.fire(
                request_type="GET",
                name="my bookings",
                response_time=0,
                response_length=0,
                exception=AssertionError(f"the place booked for {email} is not listed with a cancel link"),
                context={},
            )
        return link

    @task(2)
    def my_enquiries(self):
        self.page("/engagement/enquiries/", "my enquiries")

    @task(1)
    def raise_an_enquiry(self):
        self.page("/engagement/enquiries/new/", "enquiry form", contains="csrfmiddlewaretoken")
        question = targets()["question"]
        sent_to = self.form(
            "/engagement/enquiries/new/",
            "raise an enquiry",
            {**question, "subject": "Invoice not paid", "message": "Invoice 4471 for March is not paid yet."},
        )
        if sent_to:
            self.page(sent_to, "enquiry page")

    @task(1)
    def own_organisation(self):
        self.page(f"/directory/providers/{targets()['provider']}/", "own provider page")

    @task(1)
    def partnership_register(self):
        self.page("/partnerships/", "partnership register")


class Officer(_Person):
    """A council officer working the enquiry queue and looking up providers."""

    weight = 3
    role = "officer"

    @task(2)
    def home(self):
        self.page("/", "home (officer)")

    @task(3)
    def queue(self):
        body = self.page("/engagement/enquiries/queue/", "officer queue")
        enquiries = ENQUIRY_LINK.findall(body)
        if enquiries:
            self.page(f"/engagement/enquiries/{random.choice(enquiries)}/", "enquiry page (officer)")

    @task(1)
    def provider_list(self):
        self.page("/directory/providers/", "provider list")

    @task(3)
    def provider_page(self):
        self.page(f"/directory/providers/{random.choice(targets()['providers'])}/", "provider page")

    @task(2)
    def forward_plan(self):
        self.page("/engagement/plan/", "forward plan")

    @task(1)
    def whos_who_search(self):
        query = urlencode({"q": random.choice(targets()["search_terms"])})
        self.page(f"/directory/whos-who/?{query}", "who's-who search")


class Director(_Person):
    """A director reading the dashboards."""

    weight = 1
    role = "director"

    @task(1)
    def home(self):
        self.page("/", "home (director)")

    @task(2)
    def dashboard(self):
        self.page("/surveys/dashboard/", "directors' dashboard")

    @task(2)
    def overview(self):
        self.page("/surveys/overview/", "relationship overview")

    @task(2)
    def enquiry_figures(self):
        self.page("/engagement/enquiries/figures/", "enquiry figures")


class FloorVisitor(_Person):
    """The yardstick: a signed-in officer asking for the floor view, a page that reads one row."""

    role = "officer"

    @task
    def floor(self):
        self.page("/floor/", "floor")


MIXED = [ProviderStaff, Officer, Director]
FLOOR = [FloorVisitor]
