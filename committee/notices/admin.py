from django.contrib import admin

from committee.notices.models import Notice, NoticePreference, Reminder


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "channel", "state", "attempts", "due_at", "sent_at", "confirmed_at")
    list_filter = ("state", "channel", "kind", "street")
    search_fields = ("title", "event_key", "recipient__full_name", "last_error")
    raw_id_fields = ("recipient", "created_by", "reminder")
    readonly_fields = ("enqueued_at", "claimed_at", "created_at")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "street", "deadline", "days_before", "state", "stage", "next_at")
    list_filter = ("state", "stage", "street")
    search_fields = ("title", "key")
    raw_id_fields = ("recipients",)


@admin.register(NoticePreference)
class NoticePreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email_enabled", "sms_enabled")
    raw_id_fields = ("user",)
