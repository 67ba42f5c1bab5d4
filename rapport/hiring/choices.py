"""Named values of HR: the source document's knowledge areas and personal qualities, education, the sections of a
job description, and the states of candidates, contracts and training."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeArea(models.TextChoices):
    """The eleven areas of knowledge the source document requires of a client manager."""

    LEGISLATION = "legislation", _("Basics of current legislation")
    COMPANY_FIELDS = "company_fields", _("The company's fields of activity")
    MARKETING = "marketing", _("Marketing basics (concepts, management, research methods)")
    MANAGEMENT = "management", _("Management theory and business administration")
    OFFERING = "offering", _("Range, classification, characteristics and purpose of the goods and services")
    BUSINESS_PLANS = "business_plans", _("Business plans, commercial agreements and contract terms")
    BUSINESS_CONTACTS = "business_contacts", _("Rules for establishing business contacts")
    ETIQUETTE = "etiquette", _("Official etiquette in negotiations with clients")
    COMMUNICATION = "communication", _("Interpersonal communication theory")
    SOCIOLOGY_PSYCHOLOGY = "sociology_psychology", _("Basics of sociology and psychology, including conflict")
    INFORMATION = "information", _("Information processing with modern communication tools")


class Quality(models.TextChoices):
    """The personal qualities the source document lists (its age line is deliberately left out)."""

    COMMITMENT = "commitment", _("Commitment")
    ACTIVITY = "activity", _("Activity")
    CHARM = "charm", _("Personal charm")
    COMMUNICATION = "communication", _("Communication skills")
    COURTESY = "courtesy", _("Courtesy")
    NON_CONFLICT = "non_conflict", _("Non-conflict")
    STRESS_RESISTANCE = "stress_resistance", _("Stress resistance")
    WORK_CAPACITY = "work_capacity", _("High work capacity")
    LEARNING = "learning", _("Ability to learn")
    CREATIVITY = "creativity", _("Creative approach")
    NEGOTIATION = "negotiation", _("Negotiation")
    DISPUTES = "disputes", _("Decisions in disputed situations")
    TEAMWORK = "teamwork", _("Teamwork")


class EducationLevel(models.TextChoices):
    """In rising order; a requirement profile accepts its minimum and anything above it."""

    GENERAL = "general", _("General secondary")
    SECONDARY_PROFESSIONAL = "secondary_professional", _("Secondary professional")
    HIGHER_PROFESSIONAL = "higher_professional", _("Higher professional")


EDUCATION_RANK = {value: rank for rank, value in enumerate(EducationLevel.values)}


class EducationField(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering")
    ECONOMICS = "economics", _("Economics")
    LAW = "law", _("Law")
    PSYCHOLOGY = "psychology", _("Psychology")
    OTHER = "other", _("Other")


class Section(models.TextChoices):
    """The sections of a job description, in the order they are printed."""

    PURPOSE = "purpose", _("Purpose of the position")
    DUTIES = "duties", _("Duties")
    RIGHTS = "rights", _("Rights")
    RESPONSIBILITIES = "responsibilities", _("Responsibilities")
    KNOWLEDGE = "knowledge", _("Required knowledge")
    EXPERIENCE_EDUCATION = "experience_education", _("Experience and education")
    QUALITIES = "qualities", _("Personal qualities")
    COMPANY_TASKS = "company_tasks", _("Company-specific tasks")


class CandidateStatus(models.TextChoices):
    NEW = "new", _("New")
    INTERVIEWING = "interviewing", _("Interviewing")
    OFFERED = "offered", _("Offer made")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_CANDIDATE_STATUSES = (CandidateStatus.NEW, CandidateStatus.INTERVIEWING, CandidateStatus.OFFERED)
CLOSED_CANDIDATE_STATUSES = (CandidateStatus.REJECTED, CandidateStatus.WITHDRAWN)


class EntryStatus(models.TextChoices):
    """A row of a candidate's own client base, after the duplicate check."""

    NEW = "new", _("New to the company")
    SIMILAR = "similar", _("Similar to an existing client")
    DUPLICATE = "duplicate", _("Already a client")
    CONVERTED = "converted", _("Prospect created")
    SKIPPED = "skipped", _("Skipped")


class ContractType(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment contract")
    CIVIL_LAW = "civil_law", _("Civil-law contract")


class ContractTerm(models.TextChoices):
    INDEFINITE = "indefinite", _("Indefinite")
    FIXED = "fixed", _("Fixed term")


class WorkingTime(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")


class ContractStatus(models.TextChoices):
    """Derived from the dates: not yet started, in force, or ended."""

    UPCOMING = "upcoming", _("Not yet started")
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class TrainingKind(models.TextChoices):
    COURSE = "course", _("Course")
    SEMINAR = "seminar", _("Seminar")
    INVITED_TRAINER = "invited_trainer", _("Invited trainer")


class Participation(models.TextChoices):
    """A participant's attendance and completion of a training."""

    ENROLLED = "enrolled", _("Enrolled")
    ATTENDED = "attended", _("Attended")
    COMPLETED = "completed", _("Completed")
    ABSENT = "absent", _("Did not attend")
