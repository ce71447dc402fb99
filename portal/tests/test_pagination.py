from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_pagination_links_keep_the_other_query_parameters():
    request = RequestFactory().get("/directory/proposals/queue/", {"show": "decided", "page": "2"})
    page = Paginator(range(100), 25).page(2)

    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)

    assert 'href="?show=decided&amp;page=1"' in html
    assert 'href="?show=decided&amp;page=3"' in html
    assert "Page 2 of 4" in html


def test_pagination_is_left_out_for_a_single_page():
    request = RequestFactory().get("/")
    page = Paginator(range(10), 25).page(1)

    assert render_to_string("includes/pagination.html", {"page_obj": page}, request=request).strip() == ""
