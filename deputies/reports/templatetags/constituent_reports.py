"""`{% constituent_report_results deputy %}`: the deputy's surveyed reports on their public page (one query)."""

from django import template

from deputies.reports.selectors import graded_reports

register = template.Library()


@register.inclusion_tag("constituent_reports/_public.html")
def constituent_report_results(deputy):
    return {"reports": graded_reports(deputy)[:5]}
