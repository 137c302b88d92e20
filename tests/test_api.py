"""The JSON API: shape of search results and assets; bad parameters are 400 with a reason."""

import pytest
from conftest import write_asset

from app.api import api_document
from indexer.content.schema import FIELDS


def test_search_returns_the_documented_shape(client):
    body = client.get("/api/search?q=ลาป่วย&per_page=5").get_json()
    assert set(body) >= {"query", "total", "page", "per_page", "results", "facets", "suggestion"}
    assert (body["query"], body["page"], body["per_page"]) == ("ลาป่วย", 1, 5)
    first = body["results"][0]
    assert set(first) >= {"slug", "title", "url", "department", "km_stage", "asset_type", "tags", "snippet", "score"}
    assert first["slug"] == "sick-leave" and first["url"] == "/assets/sick-leave"
    assert "<mark>ลาป่วย</mark>" in first["snippet"]
    assert first["score"] > 0
    assert {"department", "km_stage", "asset_type", "tags", "fy"} <= set(body["facets"])
    assert {"key": "palad", "count": 1} in body["facets"]["department"]


def test_search_filters_and_pagination(client):
    body = client.get("/api/search?department=finance").get_json()
    assert [r["slug"] for r in body["results"]] == ["procurement-checklist"]
    body = client.get("/api/search?q=&per_page=1&page=2&sort=newest").get_json()
    assert body["total"] == 3 and len(body["results"]) == 1
    assert body["results"][0]["slug"] == "procurement-checklist"  # 2024-10-01, between the other two


def test_search_reports_the_correction(client):
    body = client.get("/api/search?q=ลาปวย").get_json()
    assert body["suggestion"] == "ลาป่วย" and body["corrected_from"] is None
    assert body["results"][0]["slug"] == "sick-leave"
    body = client.get("/api/search?q=พิจารนา").get_json()
    assert body["suggestion"] == "พิจารณา" and body["corrected_from"] == "พิจารนา"


@pytest.mark.parametrize("query, reason", [
    ("page=abc", 'page: ต้องเป็นจำนวนเต็ม 1–1000 แต่พบ "abc"'),
    ("per_page=0", "per_page: ต้องอยู่ระหว่าง 1 ถึง 50 แต่พบ 0"),
    ("fy=hello", 'fy: ปีงบประมาณต้องเป็นเลขสี่หลัก เช่น 2568 แต่พบ "hello"'),
    ("sort=random", 'sort: ต้องเป็น relevance หรือ newest แต่พบ "random"'),
    ("km_stage=nine", 'km_stage: ไม่รู้จักค่า "nine" (ใช้ได้: identification, creation, organization, codification, '
                      'access, sharing, learning)'),
])
def test_bad_parameters_are_400_with_a_reason(client, query, reason):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert response.get_json() == {"error": "Bad Request", "reason": reason, "status": 400}


@pytest.mark.parametrize("query", ['q="', "q=*", "q=(((", "q=AND%20OR", "q=" + "ก" * 5000, "q=%00", "q=%ff%fe"])
def test_odd_queries_are_never_500(client, query):
    assert client.get("/api/search?" + query).status_code == 200


def test_asset_returns_metadata_markdown_and_safe_html(client, knowledge_dir):
    body = client.get("/api/assets/sick-leave").get_json()
    assert body["title"] == "การลาป่วยของพนักงานเทศบาล"
    assert body["published"] == "2025-01-15" and body["fiscal_year"] == 2568
    assert body["dissemination"] == [{"channel": "website", "date": "2025-01-20", "ref": "เว็บไซต์"}]
    assert body["markdown"].startswith("## ขั้นตอน")
    assert '<h2 id="ขั้นตอน">ขั้นตอน</h2>' in body["html"]
    assert body["toc"] == [{"level": 2, "id": "ขั้นตอน", "title": "ขั้นตอน"}]


def test_asset_sends_every_front_matter_field_the_schema_declares(client, knowledge_dir):
    write_asset(knowledge_dir, "palad/old-leave.md", title="ระเบียบการลาฉบับเดิม", status="archived",
                published="2566-11-01", updated="2568-02-03", earlier_updates=["2567-05-06"], retired="2568-10-02",
                summary="บรรทัดหนึ่ง\nบรรทัดสอง")
    client.application.extensions["km"].kb.update()
    body = client.get("/api/assets/old-leave").get_json()
    assert sorted({spec.name for spec in FIELDS} - set(body)) == [], "schema fields missing from /api/assets/<slug>"
    assert (body["earlier_updates"], body["retired"], body["updated"]) == (["2024-05-06"], "2025-10-02", "2025-02-03")
    assert (body["status"], body["summary"]) == ("archived", "บรรทัดหนึ่ง\nบรรทัดสอง")
    fresh = client.get("/api/assets/sick-leave").get_json()
    assert (fresh["earlier_updates"], fresh["retired"]) == ([], None)


def test_the_api_document_describes_every_front_matter_field_of_an_asset():
    described = api_document()["components"]["schemas"]["Asset"]
    names = {spec.name for spec in FIELDS}
    assert sorted(names - set(described["properties"])) == [] and sorted(names - set(described["required"])) == []


@pytest.mark.parametrize("slug", ["nope", "..%2F..%2Fetc%2Fpasswd", "sick-leave.md", "%00"])
def test_unknown_or_hostile_slug_is_404_json(client, slug):
    response = client.get(f"/api/assets/{slug}")
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_unknown_api_route_is_json_404(client):
    assert client.get("/api/nothing").get_json()["status"] == 404
