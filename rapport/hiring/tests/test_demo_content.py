"""The demo HR content: templates written from the source document in three languages, fair wording, and a
build that runs once."""

import pytest

from rapport.accounts.roles import Role
from rapport.core.testing import make_client, make_group, make_manager, make_user
from rapport.demo.hiring import build_hiring
from rapport.demo.hiring_texts import LEVELS, TEXTS, TYPES, template_data
from rapport.hiring.adcheck import check_text
from rapport.hiring.models import (
    Candidate,
    EmploymentContract,
    JobDescriptionTemplate,
    JobDescriptionVersion,
    Position,
    RequirementProfile,
    Training,
)
from rapport.hiring.selectors import ranking


@pytest.mark.parametrize("language", ["en", "hu", "ru"])
def test_each_language_has_the_eleven_knowledge_areas_the_qualities_and_the_experience_rules(language):
    texts = TEXTS[language]
    assert (len(texts["knowledge"]), len(texts["qualities"])) == (11, 13)
    junior, middle = texts["experience"]["junior"], texts["experience"]["middle"]
    assert "1" in junior and "3" in middle and "5" in middle
    for manager_type in TYPES:
        for level in LEVELS:
            data = template_data(language, manager_type, level)
            assert data["knowledge"].count("\n- ") == 10
            assert check_text("\n".join(str(value) for value in data.values())) == []


@pytest.mark.django_db
def test_the_demo_hr_is_built_once_with_a_contract_for_every_manager():
    hr, boss = make_user(Role.HR), make_user(Role.MANAGEMENT)
    for name in ("Industry", "Public sector", "Retail", "Software"):
        make_group(name)
    make_client(registration_number="01-09-100001")
    managers = [
        make_manager(manager_type="partnership", level="senior"),
        make_manager(manager_type="advice", level="junior"),
    ]

    build_hiring(hr=hr, boss=boss)
    counts = (
        JobDescriptionTemplate.objects.count(),
        JobDescriptionVersion.objects.filter(issued_at__isnull=False).count(),
        RequirementProfile.objects.count(),
        Position.objects.count(),
        Candidate.objects.count(),
        EmploymentContract.objects.count(),
        Training.objects.count(),
    )
    build_hiring(hr=hr, boss=boss)

    assert counts == (27, 4, 2, 2, 5, 2, 4)
    assert (
        JobDescriptionTemplate.objects.count(),
        Candidate.objects.count(),
        EmploymentContract.objects.count(),
    ) == (27, 5, 2)
    assert set(JobDescriptionTemplate.objects.values_list("language", flat=True)) == {"en", "hu", "ru"}
    for manager in managers:
        contract = manager.contracts.get()
        assert contract.job_description_version.job_description.level == manager.level
    position = Position.objects.get(title="Partnership manager, industrial clients")
    rows = ranking(user=hr, profile=position.profile, position=position)
    assert rows[0].candidate.last_name == "Balogh"
    assert rows[-1].result.knocked_out
