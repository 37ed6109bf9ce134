"""The public plugin API: every stable name a plugin (built-in or third-party) uses.

Import from here, not from the modules behind it; those may move, these names stay::

    from core.sdk import hookimpl, Permission, SessionDep, Requires, EngineDep, Stage, Step, ...

Groups: plugin hooks and permissions; models; request dependencies (session, actor,
engine, settings); rights and scope; errors; time; answers (envelopes, pages, paging);
admin pages (XfPage, amis builders, ``model_page``); messages; documents; the development
engine (stages, steps, outcomes, tasks, transitions) and its components. docs/stages.md
walks through them with a complete example.
"""
from core import clock
from core.admin_site import XfApp, XfPage, request_actor
from core.amis_crud import ajax_button, crud, datetime_column, dialog_button, operations, status_switch, upload_receiver
from core.auth import Actor, CurrentActor, Requires, branch_in_scope, get_user_in_scope, require, scope_condition, user_in_scope
from core.clock import LocalDateTime
from core.db import SessionDep
from core.demo import DemoAccount, DemoContext
from core.deps import PluginsDep, RegistryDep, SettingsDep
from core.documents import DocumentError, PdfReport, read_xlsx, xlsx_bytes
from core.errors import ERROR_RESPONSES, ErrorBody, fail
from core.hookspecs import hookimpl
from core.mobile.screens import MobileEntry, MobileScreen
from core.model_page import model_page
from core.models import Role, StoredFile, StudentProfile, User, UserRole, utcnow
from core.files import check_content, file_url, read_upload, store_bytes
from core.outbox import Channel, OutboxItem, notify, read_tracker, urge
from core.permissions import SCOPE_LABELS, Permission
from core.responses import Count, Done, Empty, Envelope, Option, Options, Page, PagingDep, count_of, ids_param, ok, raw_json
from core.settings import Settings
from core.todos import TodoItems
from core.text import MultilineText, PlainText
from core.workflow import assignments, documents, outcomes, tasks
from core.workflow.cohort import Cohort
from core.workflow.components.application_form import ApplicationForm
from core.workflow.components.assign import AssignmentComponent
from core.workflow.components.base import Component, ListColumn
from core.workflow.components.completeness import CompletenessCheck
from core.workflow.components.cultivation import Cultivation
from core.workflow.components.decide import DateStep, DecisionComponent
from core.workflow.components.filing import Filing
from core.workflow.components.training import TrainingComponent
from core.workflow.components.meeting import Attendance, MeetingBase, passes_majority
from core.workflow.components.meeting_committee import CommitteeMeeting
from core.workflow.components.meeting_pdf import Ballot, BallotPerson, ballot_pdf
from core.workflow.components.political_review import PoliticalReview
from core.workflow.components.general_meeting import GeneralMeeting
from core.workflow.components.publicity import PublicityComponent
from core.workflow.components.recommendation_form import recommendation_form
from core.workflow.components.review import ReviewComponent
from core.workflow.components.symposium import SymposiumComponent
from core.workflow.components.symposium_pdf import DEMOCRATIC_REVIEW_FORM, MASS_OPINION_FORM, RecordForm
from core.workflow.components.talk import TalkComponent
from core.workflow.deps import EngineDep
from core.workflow.engine import Engine
from core.workflow.kit import TodoItem, todo
from core.workflow.models import Assignment, Batch, BatchEntry, DevelopmentEvent, DevelopmentRecord, Document, Task
from core.workflow.outcomes import Outcome
from core.workflow.people import BranchNames, at_step, branch_admin_ids, names_lookup
from core.workflow.schemas import CountOut, Decision, MovedOut, RecordIds, RecordOut, RecordRef, moved_out, record_out
from core.workflow.stage_hooks import StageHooks, StepNotice, send_notices, stage_hooks
from core.workflow.stages import STAGE_PEOPLE, STAGE_TITLES, Stage, StagePage, Step, StepInsert, TaskSpec
from core.workflow.transitions import GuardResult, Resolution, Transition

__all__ = [
    # plugins
    "hookimpl", "Permission", "SCOPE_LABELS", "DemoAccount", "DemoContext", "Settings",
    # models
    "User", "Role", "UserRole", "StudentProfile", "StoredFile", "utcnow",
    "DevelopmentRecord", "DevelopmentEvent", "Task", "Document", "Assignment", "Batch", "BatchEntry",
    # dependencies, rights, scope
    "SessionDep", "SettingsDep", "PluginsDep", "RegistryDep", "CurrentActor", "Requires", "require", "Actor", "EngineDep",
    "scope_condition", "user_in_scope", "branch_in_scope", "get_user_in_scope",
    # errors, time, answers
    "fail", "ErrorBody", "ERROR_RESPONSES", "PlainText", "MultilineText", "clock", "LocalDateTime", "Envelope", "Page", "PagingDep", "ok", "raw_json", "count_of",
    "ids_param", "Option", "Options", "Done", "Empty", "Count",
    # admin pages
    "XfApp", "XfPage", "request_actor", "MobileScreen", "MobileEntry", "crud", "dialog_button", "ajax_button", "operations",
    "status_switch", "datetime_column", "upload_receiver", "read_tracker", "model_page",
    # messages and documents
    "notify", "urge", "Channel", "OutboxItem", "PdfReport", "xlsx_bytes", "read_xlsx", "DocumentError",
    "store_bytes", "file_url", "read_upload", "check_content",
    # development engine
    "Engine", "Stage", "StagePage", "Step", "StepInsert", "TaskSpec", "STAGE_TITLES", "STAGE_PEOPLE", "Outcome", "outcomes",
    "Transition", "GuardResult", "Resolution", "TodoItem", "TodoItems", "todo", "tasks", "documents", "assignments", "at_step",
    "branch_admin_ids", "BranchNames", "names_lookup", "stage_hooks", "StageHooks", "StepNotice", "send_notices",
    "RecordOut", "record_out", "RecordIds", "RecordRef", "Decision", "CountOut", "MovedOut", "moved_out",
    # components
    "Component", "ListColumn", "Cohort", "ReviewComponent", "TalkComponent", "PublicityComponent", "DecisionComponent",
    "DateStep", "AssignmentComponent", "Cultivation", "Filing", "TrainingComponent", "SymposiumComponent", "RecordForm", "MASS_OPINION_FORM",
    "DEMOCRATIC_REVIEW_FORM", "MeetingBase", "CommitteeMeeting", "Attendance", "passes_majority", "Ballot", "BallotPerson",
    "ballot_pdf", "PoliticalReview", "GeneralMeeting", "ApplicationForm", "CompletenessCheck", "recommendation_form",
]
