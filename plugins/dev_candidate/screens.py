"""The candidate stage's screens of the mobile app (/m/): 推优 and 思想汇报 (the shared submission
screen), 自传撰写 (the same screen, one upload), 政治审查 (the political review's relatives form).
培育考察 (/development/cultivation), 培训班 (/training) and the talkers' screens are shared with
the activist stage (its plugin, which this one depends on, declares them)."""
from core.sdk import MobileEntry, MobileScreen

MP_PERM = "mp.dev.candidate"

SCREENS = [
    MobileScreen("/development/candidate-recommendation", "screens/development/submission.js", "推优", MP_PERM,
                 options={"api": "candidate-recommendation", "key": "recommendation", "material": "推优登记表",
                          "purpose": "recommendation_form", "template": "推优登记表"}),
    MobileScreen("/development/candidate-thought-reports", "screens/development/submission.js", "思想汇报", MP_PERM,
                 options={"api": "candidate-thought-reports", "key": "report", "material": "思想汇报",
                          "purpose": "thought_report", "periods": True}),
    MobileScreen("/development/autobiography", "screens/development/submission.js", "自传撰写", MP_PERM,
                 entry=MobileEntry("自传撰写", "doc", 16),
                 options={"api": "autobiography", "key": "autobiography", "material": "自传", "purpose": "autobiography"}),
    MobileScreen("/development/political-review", "screens/development/political_review.js", "政治审查", MP_PERM,
                 entry=MobileEntry("政治审查", "check", 17), options={"api": "political-review"}),
]
