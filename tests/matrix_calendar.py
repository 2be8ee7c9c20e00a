"""Permission-matrix rows of committee.calendar. Everyone signed in reads the holiday arrangements (the State
Council's public notice, the same for every street); only superusers enter them, and no role of the matrix is one."""

from django.urls import reverse

from tests.matrix import every

ROWS = {
    "calendar:year_list": (lambda: reverse("calendar:year_list"), every(200)),
    "calendar:year_detail": (lambda: reverse("calendar:year_detail", args=[2027]), every(200)),
    "calendar:year_edit": (lambda: reverse("calendar:year_edit", args=[2027]), every(403)),
}
