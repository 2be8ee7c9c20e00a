"""Read-only admin views of the roster: every change goes through `deputies.services` (and the audit log)."""

from django.contrib import admin

from deputies.models import Constituency, Deputy, TermEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Constituency)
class ConstituencyAdmin(ReadOnly):
    list_display = ("street", "number", "name", "voters")
    list_filter = ("street",)


@admin.register(Deputy)
class DeputyAdmin(ReadOnly):
    list_display = ("user", "street", "level", "constituency", "end_reason", "ended_on")
    list_filter = ("street", "level", "end_reason")
    search_fields = ("user__full_name", "user__mobile")
    list_select_related = ("user", "street", "constituency")


@admin.register(TermEvent)
class TermEventAdmin(ReadOnly):
    list_display = ("deputy", "kind", "on", "congress")
    list_filter = ("kind", "street")
    list_select_related = ("deputy__user",)
