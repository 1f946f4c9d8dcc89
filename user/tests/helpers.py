def ids(response) -> list[int]:
    """The ids on a page of a list, which must have answered 200."""
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]
