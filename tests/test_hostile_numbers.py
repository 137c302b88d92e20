"""Numbers typed into URLs: any size, any form, always a 400 with a reason (never a 500).

Python's int() refuses strings of 4,300+ digits with a ValueError, so a `page` of
5,000 nines used to be a 500. Every integer parameter of every route is tried, and
every parameter of every route gets hostile text too.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import REPO
from publish_support import csrf_token

from app.errorpages import PARAMETER_LABELS

HUGE = ["9" * 5000, "0" * 5000 + "99999999999", "1" + "0" * 4300, "99999999999", "๙" * 11, "12a", "๑๒x"]

# (URL with {} for the number, the parameter's name)
NUMBER_PARAMETERS = [
    ("/search?q=ลาป่วย&page={}", "page"), ("/search?q=ลาป่วย&per_page={}", "per_page"),
    ("/api/search?q=ลาป่วย&page={}", "page"), ("/api/search?q=ลาป่วย&per_page={}", "per_page"),
    ("/search?department=palad&page={}", "page"), ("/browse/department/palad?page={}", "page"),
    ("/publish/sick-leave/diff?a={}", "a"), ("/publish/sick-leave/diff?a=current&b={}", "b"),
    ("/admin/audit?page={}", "page"),
]


def reason(response) -> str:
    """The reason as the API gives it, or as the page says it, with the field's Thai name ("หน้า: …")
    turned back into the parameter's ("page: …")."""
    if response.is_json:
        return response.get_json()["reason"]
    shown = html.unescape(response.get_data(as_text=True))
    for name, label in PARAMETER_LABELS.items():
        shown = shown.replace(f"<p>{label}: ", f"<p>{name}: ")
    return shown


@pytest.mark.parametrize("url, name", NUMBER_PARAMETERS)
def test_every_integer_parameter_answers_a_400_naming_itself(admin_client, url, name):
    for value in HUGE:
        response = admin_client.get(url.format(value))
        assert response.status_code == 400, (url, value[:10])
        assert re.search(rf"\b{name}(, b)?: ต้อง", reason(response)), (url, value[:10])


def test_a_number_with_thousands_of_digits_is_named_by_its_length(admin_client):
    response = admin_client.get("/api/search?q=ลา&page=" + "9" * 5000)
    assert response.get_json()["reason"] == "page: ต้องอยู่ระหว่าง 1 ถึง 1000 แต่พบตัวเลขยาว 5,000 หลัก"
    page = reason(admin_client.get("/admin/audit?page=" + "7" * 4400))
    assert "page: ต้องอยู่ระหว่าง 1 ถึง 100000 แต่พบตัวเลขยาว 4,400 หลัก" in page
    page = reason(admin_client.get("/publish/sick-leave/diff?a=" + "3" * 4400))
    assert "a: ต้องอยู่ระหว่าง 1 ถึง 1000000000 แต่พบตัวเลขยาว 4,400 หลัก" in page
    assert "page: ต้องอยู่ระหว่าง 1 ถึง 100000 แต่พบ 0" in reason(admin_client.get("/admin/audit?page=0"))
    assert "page: ต้องเป็นจำนวนเต็ม 1–100000 แต่พบ \"x\"" in reason(admin_client.get("/admin/audit?page=x"))


def test_a_page_written_in_thai_digits_is_that_page(client):
    assert client.get("/api/search?q=ลา&per_page=๑&page=๒").get_json()["page"] == 2
    assert client.get("/api/search?q=ลา&per_page=๑&page=๒").get_json()["results"] == \
        client.get("/api/search?q=ลา&per_page=1&page=2").get_json()["results"]
    assert client.get("/api/search?q=ลา&page=๐").get_json()["reason"] == "page: ต้องอยู่ระหว่าง 1 ถึง 1000 แต่พบ 0"


def parameter_names() -> set[str]:
    """Every query parameter name the site reads (found in its source, so a new one is tried too)."""
    names = set()
    for path in [*REPO.joinpath("app").rglob("*.py"), REPO / "indexer" / "search" / "requests.py"]:
        names.update(re.findall(r"""(?:args|params|form)\.get\(\s*["']([a-z_]+)["']""", path.read_text("utf-8")))
    names.update(re.findall(r'"([a-z_]+)"', REPO.joinpath("indexer/search/requests.py").read_text("utf-8")))
    return names | {"since", "until"}  # read in a loop over their names (app/audit.py)


def get_routes(app) -> list[str]:
    """A URL for every GET route of the site, its path filled with a real asset and known values."""
    values = {"slug": "sick-leave", "name": "x.pdf", "facet": "department", "key": "palad", "goal": 1,
              "kind": "events", "number": 1}
    return [rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"]


def test_every_route_survives_huge_numbers_in_every_parameter(app, admin_client):
    names = parameter_names()
    assert {"page", "per_page", "a", "b", "fy", "q", "since"} <= names
    failures = []
    for base in get_routes(app):
        for name in sorted(names):
            with admin_client.get(base, query_string={name: HUGE[0]}) as response:  # closes a sent file
                if response.status_code >= 500:
                    failures.append((base, name, response.status_code))
    assert failures == []


# Text a visitor can put in any parameter: a NUL (raw and escaped), a float that overflows, an
# impossible date in both eras, markup, a path out of the folder, Thai digits, 600 Thai letters.
HOSTILE = ["\x00", "%00", "1e309", "-1", "2568-13-01", "2024-02-30", "<script>alert(1)</script>",
           "../../etc/passwd", "๒๕๖๘", "ลา" * 300, " ", "[]"]


def test_every_route_survives_hostile_text_in_every_parameter(app, admin_client):
    """Each route gets every hostile value, spread over its parameters (one request per parameter)."""
    names = sorted(parameter_names())
    failures = []
    for base in get_routes(app):
        for i, name in enumerate(names):
            value = HOSTILE[i % len(HOSTILE)]
            with admin_client.get(base, query_string={name: value}) as response:
                if response.status_code >= 500:
                    failures.append((base, name, value[:20], response.status_code))
    assert len(names) >= len(HOSTILE) and failures == []


@pytest.mark.parametrize("url", ["/reports/goals/{}", "/publish/sick-leave/restore/{}"])
def test_huge_numbers_in_paths_are_not_found(admin_client, url):
    token = csrf_token(admin_client.get("/publish/new").get_data(as_text=True))
    for value in HUGE[:3]:
        response = admin_client.open(url.format(value), method="POST" if "restore" in url else "GET",
                                     data={"csrf_token": token})
        assert response.status_code == 404, (url, value[:10])
