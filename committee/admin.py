from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from committee.models import Membership, Municipality, ResidentsCouncil, Street, StreetCommittee, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "mobile", "email")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "mobile", "password1", "password2")}),
    )
    list_display = ("username", "full_name", "mobile", "is_active")
    search_fields = ("username", "full_name", "mobile")
    ordering = ("full_name",)
    list_filter = ("is_active", "is_superuser")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "street", "municipality", "role", "title", "started_on", "ended_on")
    list_filter = ("role", "street")
    search_fields = ("user__full_name", "user__mobile")
    raw_id_fields = ("user",)


admin.site.register(Municipality)
admin.site.register(Street)
admin.site.register(StreetCommittee)
admin.site.register(ResidentsCouncil)
admin.site.site_header = _("人大街道工委工作平台 · 系统管理")
