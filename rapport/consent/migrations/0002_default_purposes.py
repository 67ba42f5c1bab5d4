"""Seed the default consent purposes, each with its first wording in English, Hungarian and Russian."""

from django.db import migrations
from django.utils import timezone

PURPOSES = [
    {
        "code": "marketing_emails",
        "position": 10,
        "title": {"en": "Marketing e-mails", "hu": "Marketing e-mailek", "ru": "Рекламные письма"},
        "text": {
            "en": "We may send you e-mails about our services, offers and events. You can withdraw this consent at "
            "any time; we then stop sending them.",
            "hu": "E-mailben tájékoztathatjuk szolgáltatásainkról, ajánlatainkról és rendezvényeinkről. "
            "Hozzájárulását bármikor visszavonhatja; ezután nem küldünk ilyen leveleket.",
            "ru": "Мы можем присылать вам письма о наших услугах, предложениях и мероприятиях. Вы можете отозвать "
            "это согласие в любой момент; после этого мы перестанем их отправлять.",
        },
    },
    {
        "code": "phone_calls",
        "position": 20,
        "title": {"en": "Phone calls", "hu": "Telefonhívások", "ru": "Телефонные звонки"},
        "text": {
            "en": "We may call you about our services and offers beyond the work you asked us for. You can "
            "withdraw this consent at any time.",
            "hu": "Felhívhatjuk szolgáltatásainkkal és ajánlatainkkal kapcsolatban a megrendelt munkán túl is. "
            "Hozzájárulását bármikor visszavonhatja.",
            "ru": "Мы можем звонить вам по поводу наших услуг и предложений сверх заказанной работы. Вы можете "
            "отозвать это согласие в любой момент.",
        },
    },
    {
        "code": "satisfaction_surveys",
        "position": 30,
        "title": {
            "en": "Satisfaction surveys and rating requests",
            "hu": "Elégedettségi felmérések és értékelési kérések",
            "ru": "Опросы удовлетворённости и просьбы об оценке",
        },
        "text": {
            "en": "After we work on your request we may e-mail you a short link to rate your manager. If you "
            "withdraw, we send no more rating requests.",
            "hu": "Miután foglalkoztunk kérésével, e-mailben küldhetünk egy rövid hivatkozást, amellyel "
            "értékelheti ügyintézőjét. Ha visszavonja, nem küldünk több értékelési kérést.",
            "ru": "После работы над вашим запросом мы можем прислать короткую ссылку, чтобы оценить вашего "
            "менеджера. Если вы отзовёте согласие, мы больше не будем присылать такие просьбы.",
        },
    },
    {
        "code": "partner_sharing",
        "position": 40,
        "title": {"en": "Sharing with partners", "hu": "Átadás partnereinknek", "ru": "Передача партнёрам"},
        "text": {
            "en": "We may share your contact details with our partners so that they can offer you related "
            "services. You can withdraw this consent at any time; we then stop sharing them.",
            "hu": "Elérhetőségeit átadhatjuk partnereinknek, hogy kapcsolódó szolgáltatásokat ajánlhassanak. "
            "Hozzájárulását bármikor visszavonhatja; ezután nem adjuk át azokat.",
            "ru": "Мы можем передавать ваши контактные данные нашим партнёрам, чтобы они могли предложить вам "
            "сопутствующие услуги. Вы можете отозвать это согласие в любой момент; после этого мы прекратим "
            "передачу.",
        },
    },
]


def seed_purposes(apps, schema_editor):
    Purpose = apps.get_model("consent", "ConsentPurpose")
    Version = apps.get_model("consent", "ConsentVersion")
    now = timezone.now()
    for entry in PURPOSES:
        purpose, created = Purpose.objects.get_or_create(code=entry["code"], defaults={"position": entry["position"]})
        if created or not Version.objects.filter(purpose=purpose).exists():
            Version.objects.create(
                purpose=purpose,
                number=1,
                published_at=now,
                **{f"title_{code}": text for code, text in entry["title"].items()},
                **{f"text_{code}": text for code, text in entry["text"].items()},
            )


def remove_purposes(apps, schema_editor):
    Purpose = apps.get_model("consent", "ConsentPurpose")
    Version = apps.get_model("consent", "ConsentVersion")
    codes = [entry["code"] for entry in PURPOSES]
    Version.objects.filter(purpose__code__in=codes, records__isnull=True).delete()
    Purpose.objects.filter(code__in=codes, versions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(seed_purposes, remove_purposes)]
