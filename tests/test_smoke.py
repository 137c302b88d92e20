def test_search_page_finds_sick_leave(client):
    response = client.get("/search?q=ลาป่วย")
    assert response.status_code == 200
    assert "การลาป่วยของพนักงานเทศบาล" in response.get_data(as_text=True)
