"""Page arithmetic shared by the list endpoints: one slice query, the count given or counted once."""

import math


def page_of(sequence, page, page_size):
    """(items of page `page`, count, number of pages). A page past the end is empty, not an error.
    The slice comes first: a sequence that counts while it ranks (the expert search) then knows its count."""
    start = (page - 1) * page_size
    items = list(sequence[start:start + page_size])
    count = sequence.count()
    return items, count, max(1, math.ceil(count / page_size))


def page_body(items, count, page, pages, page_size, **extra):
    return {"count": count, "page": page, "pages": pages, "page_size": page_size, "items": items, **extra}
