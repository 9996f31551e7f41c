"""common.urls.pk_url: a URL reversed once for a list of rows, the same as reverse per row."""

import pytest
from django.urls import reverse

from common.urls import pk_url


@pytest.mark.parametrize("pk", [1, 7, 42, 987654320, 987654321, 123987654321])
def test_pk_url_gives_what_reverse_gives(pk):
    assert pk_url("pledges:pledge-detail")(pk) == reverse("pledges:pledge-detail", args=[pk])
    assert pk_url("activities:activity-detail")(pk) == reverse(
        "activities:activity-detail", args=[pk]
    )


def test_pk_url_takes_only_whole_numbers():
    detail = pk_url("pledges:pledge-detail")
    assert detail("12") == reverse("pledges:pledge-detail", args=[12])
    with pytest.raises(ValueError):
        detail("1/../admin")


def test_pk_url_with_arguments_after_the_key():
    thumbnail = pk_url("activities:photo-file", after=("thumbnail",))
    assert thumbnail(31) == reverse("activities:photo-file", args=[31, "thumbnail"])
