"""Roles and what they may do: the one place where capabilities come from.

Views ask for a capability (`Capability.MANAGE_PEOPLE`) in a street, never for a role.
Adding a feature means adding a capability here and granting it to roles in ROLE_CAPABILITIES.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITY = "city", _("市人大常委会")
    DIRECTOR = "director", _("工委主任")
    VICE_DIRECTOR = "vice_director", _("工委副主任")
    STAFF = "staff", _("人大专干")
    PARTY = "party", _("街道党工委")
    DEPUTY = "deputy", _("人大代表")
    COUNCIL_MEMBER = "council_member", _("居民议事员")
    HANDLING_UNIT = "handling_unit", _("办理单位")


# Roles that make up the street committee itself (Art 21).
COMMITTEE_ROLES = (Role.DIRECTOR, Role.VICE_DIRECTOR, Role.STAFF)


class Capability(models.TextChoices):
    VIEW_STREET = "view_street", _("查看街道工作")
    VIEW_PEOPLE = "view_people", _("查看人员名册")
    MANAGE_PEOPLE = "manage_people", _("管理人员与角色")
    VIEW_AUDIT = "view_audit", _("查看操作记录")
    VIEW_DASHBOARD = "view_dashboard", _("查看履职看板")
    VIEW_TODO = "view_todo", _("查看待办事项")
    VIEW_OWN_DUTIES = "view_own_duties", _("查看本人履职")
    VIEW_FUNDING = "view_funding", _("查看经费")
    MANAGE_FUNDING = "manage_funding", _("管理经费")
    MANAGE_NOTICES = "manage_notices", _("管理通知与提醒")
    VIEW_PARTY_REPORTS = "view_party_reports", _("查看向街道党工委的报告")
    MANAGE_PARTY_REPORTS = "manage_party_reports", _("起草和报送向街道党工委的报告")
    VIEW_OPINIONS = "view_opinions", _("查看意见建议办理")
    MANAGE_OPINIONS = "manage_opinions", _("登记、交办和督办意见建议")
    HANDLE_OPINIONS = "handle_opinions", _("办理交办的意见建议")
    RAISE_OPINIONS = "raise_opinions", _("提出意见建议")
    VIEW_SUPERVISION = "view_supervision", _("查看监督活动（执法检查、专项工作报告、工作评议、视察调研）")
    MANAGE_SUPERVISION = "manage_supervision", _("组织监督活动")
    VIEW_MEETINGS = "view_meetings", _("查看会议")
    MANAGE_MEETINGS = "manage_meetings", _("组织会议（通知、签到、纪要、书面意见）")
    CALL_URGENT_MEETINGS = "call_urgent_meetings", _("决定召开紧急会议（不足10日通知）")
    # Voters vote by being on a ballot's roll, not by a capability.
    VIEW_BALLOTS = "view_ballots", _("查看投票表决及其清点")
    MANAGE_BALLOTS = "manage_ballots", _("组织投票表决（开始、发票、录入、计票、结束）")
    # Deputies' roster (deputies): read it; keep it (terms, import, residents' messages of every deputy).
    VIEW_DEPUTIES = "view_deputies", _("查看代表名册")
    MANAGE_DEPUTIES = "manage_deputies", _("管理代表名册（任职变动、导入导出、群众留言）")
    # Residents' council members (Art 18(1)): the committee collects and reviews, the party committee confirms.
    VIEW_COUNCIL = "view_council", _("查看居民议事会成员")
    MANAGE_COUNCIL = "manage_council", _("选任和培训居民议事会成员（初审、公示、聘任）")
    CONFIRM_COUNCIL = "confirm_council", _("确认居民议事会成员人选")
    # Deputies' suggestions, leader contacts, consultations on measures (deputies.suggestions, Art 11, 13).
    DRAFT_SUGGESTIONS = "draft_suggestions", _("起草和提交代表建议、附议")
    VIEW_SUGGESTIONS = "view_suggestions", _("查看代表建议")
    CONSULT_SUGGESTIONS = "consult_suggestions", _("对代表建议沟通协调")
    VIEW_DEPUTY_LIAISON = "view_deputy_liaison", _("查看联系代表和征求代表意见")
    MANAGE_DEPUTY_LIAISON = "manage_deputy_liaison", _("登记联系代表和征求代表意见")
    # Deputies' duty records and points (deputies.records, Art 11, 12(1)).
    FILE_DUTY_CLAIMS = "file_duty_claims", _("登记本人履职事项")
    MANAGE_DUTIES = "manage_duties", _("确认履职登记、发布季度积分、处理纠错")
    VIEW_DUTY_POINTS = "view_duty_points", _("查看代表履职积分表和履职档案")
    MANAGE_POINT_RULES = "manage_point_rules", _("修改履职积分规则")
    VIEW_LIVELIHOOD = "view_livelihood", _("查看民生实事项目")
    PROPOSE_LIVELIHOOD = "propose_livelihood", _("提出民生实事候选项目")
    MANAGE_LIVELIHOOD = "manage_livelihood", _("组织民生实事征集、票决、交办、督办和测评")
    # Liaison stations (liaison_stations, Art 14–16).
    VIEW_STATIONS = "view_stations", _("查看代表联络站及接待")
    MANAGE_STATIONS = "manage_stations", _("管理代表联络站、安排接待日")


_COMMITTEE = {
    Capability.VIEW_STREET,
    Capability.VIEW_PEOPLE,
    Capability.MANAGE_PEOPLE,
    Capability.VIEW_TODO,
    Capability.VIEW_DASHBOARD,
    Capability.VIEW_FUNDING,
    Capability.MANAGE_FUNDING,
    Capability.MANAGE_NOTICES,
    Capability.VIEW_PARTY_REPORTS,
    Capability.MANAGE_PARTY_REPORTS,
    Capability.VIEW_SUPERVISION,
    Capability.MANAGE_SUPERVISION,
    Capability.VIEW_OPINIONS,
    Capability.MANAGE_OPINIONS,
    Capability.RAISE_OPINIONS,
    Capability.VIEW_MEETINGS,
    Capability.MANAGE_MEETINGS,
    Capability.VIEW_BALLOTS,
    Capability.MANAGE_BALLOTS,
}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CITY: frozenset(
        {
            Capability.VIEW_STREET,
            Capability.VIEW_PEOPLE,
            Capability.VIEW_AUDIT,
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_FUNDING,
            Capability.VIEW_PARTY_REPORTS,
            Capability.VIEW_SUPERVISION,
            Capability.VIEW_OPINIONS,
            Capability.VIEW_MEETINGS,
            Capability.VIEW_BALLOTS,
        }
    ),
    Role.DIRECTOR: frozenset(_COMMITTEE | {Capability.VIEW_AUDIT, Capability.CALL_URGENT_MEETINGS}),
    Role.VICE_DIRECTOR: frozenset(_COMMITTEE),
    Role.STAFF: frozenset(_COMMITTEE),
    Role.PARTY: frozenset(
        {
            Capability.VIEW_STREET,
            Capability.VIEW_DASHBOARD,
            Capability.VIEW_FUNDING,
            Capability.VIEW_PARTY_REPORTS,
            Capability.VIEW_SUPERVISION,
            Capability.VIEW_OPINIONS,
            Capability.VIEW_MEETINGS,
            Capability.VIEW_BALLOTS,
        }
    ),
    Role.DEPUTY: frozenset(
        {
            Capability.VIEW_STREET,
            Capability.VIEW_OWN_DUTIES,
            Capability.VIEW_SUPERVISION,
            Capability.RAISE_OPINIONS,
            Capability.VIEW_MEETINGS,
        }
    ),
    Role.COUNCIL_MEMBER: frozenset(
        {
            Capability.VIEW_STREET,
            Capability.VIEW_OWN_DUTIES,
            Capability.VIEW_SUPERVISION,
            Capability.RAISE_OPINIONS,
            Capability.VIEW_MEETINGS,
        }
    ),
    Role.HANDLING_UNIT: frozenset({Capability.VIEW_TODO, Capability.HANDLE_OPINIONS}),
}


# Residents' council members (livelihood_votes.council): readers, the committee who runs the selection, the party
# committee who confirms the people noticed.
for _role, _granted in {
    Role.CITY: {Capability.VIEW_COUNCIL},
    Role.DIRECTOR: {Capability.VIEW_COUNCIL, Capability.MANAGE_COUNCIL},
    Role.VICE_DIRECTOR: {Capability.VIEW_COUNCIL, Capability.MANAGE_COUNCIL},
    Role.STAFF: {Capability.VIEW_COUNCIL, Capability.MANAGE_COUNCIL},
    Role.PARTY: {Capability.VIEW_COUNCIL, Capability.CONFIRM_COUNCIL},
    Role.DEPUTY: {Capability.VIEW_COUNCIL},
    Role.COUNCIL_MEMBER: {Capability.VIEW_COUNCIL},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_granted)
# Deputies' suggestions, leader contacts, consultations on measures (deputies.suggestions).
_SUGGESTIONS = {
    Role.CITY: {Capability.VIEW_SUGGESTIONS, Capability.VIEW_DEPUTY_LIAISON},
    Role.PARTY: {Capability.VIEW_SUGGESTIONS, Capability.VIEW_DEPUTY_LIAISON},
    Role.DEPUTY: {Capability.DRAFT_SUGGESTIONS},
    **{
        role: {
            Capability.VIEW_SUGGESTIONS,
            Capability.CONSULT_SUGGESTIONS,
            Capability.VIEW_DEPUTY_LIAISON,
            Capability.MANAGE_DEPUTY_LIAISON,
        }
        for role in COMMITTEE_ROLES
    },
}
for _role, _granted in _SUGGESTIONS.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted
# Deputies' roster (deputies): committee roles keep it, party and city read it. A deputy needs neither for their own
# profile and their residents' messages.
for _role, _granted in {
    Role.CITY: {Capability.VIEW_DEPUTIES},
    Role.PARTY: {Capability.VIEW_DEPUTIES},
    **{role: {Capability.VIEW_DEPUTIES, Capability.MANAGE_DEPUTIES} for role in COMMITTEE_ROLES},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_granted)

# Deputies' duty records and points (deputies.records): staff confirm and publish, the director sets the rules,
# the city reads the table, each deputy files their own claims.
for _role in COMMITTEE_ROLES:
    ROLE_CAPABILITIES[_role] |= {Capability.MANAGE_DUTIES, Capability.VIEW_DUTY_POINTS}
ROLE_CAPABILITIES[Role.DIRECTOR] |= {Capability.MANAGE_POINT_RULES}
ROLE_CAPABILITIES[Role.CITY] |= {Capability.VIEW_DUTY_POINTS}
ROLE_CAPABILITIES[Role.DEPUTY] |= {Capability.FILE_DUTY_CLAIMS}
del _role
# Chapter 7, livelihood projects (Art 17): committee roles run the five lists, deputies and council members propose
# candidates and supervise; party and city read. Handling units report progress on their own projects (no
# capability: being the project's unit is what lets them).
_LIVELIHOOD = {
    Role.CITY: {Capability.VIEW_LIVELIHOOD},
    Role.PARTY: {Capability.VIEW_LIVELIHOOD},
    Role.DEPUTY: {Capability.VIEW_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD},
    Role.COUNCIL_MEMBER: {Capability.VIEW_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD},
    **{
        key: {Capability.VIEW_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD, Capability.MANAGE_LIVELIHOOD}
        for key in COMMITTEE_ROLES
    },
}
for _role, _granted in _LIVELIHOOD.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | _granted
# Chapter 6, liaison stations (Art 14–16): committee roles run the stations and plan receptions; party and city
# read; a deputy registers visitors at the receptions they are on (being a receiver is what lets them).
for _role, _granted in {
    Role.CITY: {Capability.VIEW_STATIONS},
    Role.PARTY: {Capability.VIEW_STATIONS},
    **{role: {Capability.VIEW_STATIONS, Capability.MANAGE_STATIONS} for role in COMMITTEE_ROLES},
}.items():
    ROLE_CAPABILITIES[_role] = ROLE_CAPABILITIES[_role] | frozenset(_granted)
