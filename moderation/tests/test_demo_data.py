"""`seed_demo` gives the moderation queue and the safety features something to show."""

from io import StringIO

import pytest
from django.core.management import call_command

from moderation.models import Report
from user.models import Block, Follow, FollowRequest, User

pytestmark = pytest.mark.django_db


def test_a_demo_of_ten_has_a_private_account_a_block_and_a_report():
    out = StringIO()
    call_command("seed_demo", "--users", 10, "--posts", 20, "--seed", 7, stdout=out)

    assert "2 pending follow requests, 1 block, 1 report" in out.getvalue()
    [locked] = User.objects.filter(is_private=True)
    assert FollowRequest.objects.filter(target=locked).count() == 2
    demo = User.objects.get(email="demo@example.com")
    [block] = Block.objects.filter(blocker=demo)
    assert not Follow.objects.filter(follower=block.blocked, followee=demo).exists()
    assert not Follow.objects.filter(follower=demo, followee=block.blocked).exists()
    [report] = Report.objects.all()
    assert (report.reporter_id, report.target_type, report.status) == (demo.pk, "post", "open")
