"""Reading a paginated list page the way a visitor does."""


def list_ids(client, url) -> list[int]:
    """The ids a visitor sees on every page of the list, in order."""
    ids, page = [], 1
    while True:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}page={page}")
        assert response.status_code == 200
        # Rows, or the organization list's cards: dicts of what a card shows.
        ids += [o["id"] if isinstance(o, dict) else o.pk for o in response.context["object_list"]]
        if not response.context["page"].page.has_next():
            return ids
        page += 1
