"""The activist stage's screens of the mobile app (/m/): 推优 (the shared submission screen with
the template), 培育考察 (its three cards), 思想汇报, 培训班, and the contact's new quarterly talk."""
from pathlib import Path

from core.sdk import MobileEntry, MobileScreen

HERE = Path(__file__).parent / "mobile"

SCREENS = [
    MobileScreen("/development/recommendation", "screens/development/submission.js", "推优", "mp.dev.activist",
                 entry=MobileEntry("推优", "doc", 12),
                 options={"api": "recommendation", "key": "recommendation", "material": "推优登记表",
                          "purpose": "recommendation_form", "template": "推优登记表"}),
    MobileScreen("/development/cultivation", HERE / "cultivation.js", "培育考察", "mp.dev.activist",
                 entry=MobileEntry("培育考察", "check", 14)),
    MobileScreen("/development/thought-reports", "screens/development/submission.js", "思想汇报", "mp.dev.activist",
                 options={"api": "thought-reports", "key": "report", "material": "思想汇报", "purpose": "thought_report",
                          "periods": True}),
    MobileScreen("/training", HERE / "training.js", "培训班", "mp.dev.training"),
    MobileScreen("/talks/new", HERE / "talk_new.js", "安排季度谈话", "mp.dev.talks"),
]
