"""Figures of the 公文 PDF engine for `make bench`: a one-page 意见函-like letter with CJK text against the same
layout with Latin text and a Latin face, its size, a batch of 100 letters, and the peak memory of a worker-like
process rendering 20 documents of every format. `measure()` returns a dict; the caller (scripts/bench.py) has set
Django up. Run alone: `python scripts/bench_documents.py` prints JSON."""

import datetime
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 10
BATCH = 100
RSS_PER_FORMAT = 20
# Every format the engine has: letter (意见函, 督办函), document (备案, notices), document with 签发人 (报), 纪要.
FORMATS = {
    "letter": "documents/letter_base.html",
    "document": "documents/document_base.html",
    "upward": "documents/document_base.html",
    "minutes": "documents/minutes_base.html",
}


def _cjk_context() -> dict:
    from committee.documents import rendering

    body = (
        "一、基本情况\n"
        "近期，望春门街道居民代表张喆、李堃、王玥、赵赟、吉𠮷反映，辖区内部分背街小巷路灯损坏、夜间照明不足，"
        "群众出行存在安全隐患。人大街道工委组织代表开展视察，现将有关意见函告如下。\n"
        "二、意见建议\n"
        "（一）请街道办事处组织有关单位对辖区背街小巷路灯进行全面排查，建立台账，限期修复。\n"
        "（二）请将路灯维护纳入日常管理，明确责任单位和维护标准。\n"
        "请于收到本函之日起十五个工作日内将办理情况书面答复人大街道工委。"
    )
    return {
        "issuer": "望春门街道人大工委",
        "number": "湘乡人大望工函〔2025〕3号",
        "title": "关于背街小巷路灯整修问题的意见函",
        "recipient": "望春门街道办事处",
        "paragraphs": rendering.paragraphs(body),
        "date_text": rendering.chinese_date(datetime.date(2025, 3, 28)),
        "verify_url": "http://127.0.0.1:8000/verify/benchmark/",
        "verify_qr": rendering.qr_data_uri("http://127.0.0.1:8000/verify/benchmark/"),
    }


def _format_context(name: str, serial: int) -> dict:
    """A two-page document of the format, its number varied so that no two renders are the same."""
    from committee.documents import rendering

    context = _cjk_context()
    body = "\n".join(p["text"] for p in context["paragraphs"]) * 3
    extra = {
        "upward": {"signer": "张喆"},
        "minutes": {
            "heading": "望春门街道人大工委会议纪要",
            "serial": serial,
            "attendance": [
                {"label": "出席", "names": "张喆、李堃、王玥、赵赟、吉𠮷、孙强、赵佳婷"},
                {"label": "请假", "names": "郭梅涵（出差）"},
            ],
        },
    }.get(name, {})
    return {
        **context,
        "masthead": context["issuer"],
        "paragraphs": rendering.paragraphs(body),
        "number": f"湘乡人大望工函〔2025〕{serial}号",
        **extra,
    }


def _render_every_format() -> None:
    """In a fresh process (`--rss`): what a Celery worker does, RSS_PER_FORMAT documents of each format."""
    from committee.documents import rendering

    for name, template in FORMATS.items():
        for serial in range(1, RSS_PER_FORMAT + 1):
            rendering.render_pdf(template, _format_context(name, serial))


def peak_of_this_process_mib() -> float:
    """VmHWM, the peak resident set of this process's memory (getrusage's ru_maxrss would carry the parent's
    peak over fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("no VmHWM in /proc/self/status")


def peak_rss_mib() -> float:
    """The peak resident memory of a fresh process that sets Django up and renders 20 documents of every format
    (a worker's life in small); run apart, so nothing the benchmark itself holds is counted."""
    result = subprocess.run(  # noqa: S603 - this script, run by this interpreter
        [sys.executable, str(Path(__file__).resolve()), "--rss"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DEBUG": os.environ.get("DEBUG", "true")},
    )
    return float(result.stdout.strip().splitlines()[-1])


def _latin_context() -> dict:
    """The same layout and amount of text, in Latin letters; the faces swapped for a Latin one."""

    context = _cjk_context()
    latin = '"DejaVu Serif", serif'
    return {
        **context,
        **dict.fromkeys(("font_xiaobiaosong", "font_fangsong", "font_heiti", "font_kaiti", "font_songti"), latin),
        "issuer": "Wangchunmen Street Committee",
        "number": "XXRD-W-L (2025) No. 3",
        "title": "Opinion letter on street lighting repairs",
        "recipient": "Wangchunmen Street Office",
        "paragraphs": [
            {"text": "Lorem ipsum dolor sit amet consectetur " * max(1, len(p["text"]) // 20), "level": p["level"]}
            for p in context["paragraphs"]
        ],
        "date_text": "28 March 2025",
    }


def _timed(template: str, context: dict) -> tuple[float, int]:
    from committee.documents import rendering

    timings, size = [], 0
    for _ in range(ROUNDS):
        began = time.perf_counter()
        size = len(rendering.render_pdf(template, context))
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings), size


def measure() -> dict:
    from committee.documents import rendering

    template = "documents/letter_base.html"
    cjk, latin = _cjk_context(), _latin_context()
    began = time.perf_counter()
    rendering.render_pdf(template, cjk)  # first render: loads the fonts and their coverage tables
    first_ms = (time.perf_counter() - began) * 1000
    rendering.render_pdf(template, latin)
    cjk_ms, cjk_size = _timed(template, cjk)
    latin_ms, latin_size = _timed(template, latin)
    began = time.perf_counter()
    for serial in range(1, BATCH + 1):
        rendering.render_pdf(template, {**cjk, "number": f"湘乡人大望工函〔2025〕{serial}号"})
    batch_seconds = time.perf_counter() - began
    return {
        "letter_first_render_ms": round(first_ms, 1),
        "letter_cjk_median_ms": round(cjk_ms, 1),
        "letter_latin_median_ms": round(latin_ms, 1),
        "cjk_to_latin_ratio": round(cjk_ms / latin_ms, 2),
        "letter_cjk_kb": round(cjk_size / 1024, 1),
        "letter_latin_kb": round(latin_size / 1024, 1),
        f"batch_{BATCH}_letters_seconds": round(batch_seconds, 2),
        "renderer_peak_rss_mib": peak_rss_mib(),  # target: under 250
        "renderer_rss_documents": RSS_PER_FORMAT * len(FORMATS),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if sys.argv[1:] == ["--rss"]:
        _render_every_format()
        print(peak_of_this_process_mib())
    else:
        print(json.dumps(measure(), ensure_ascii=False, indent=2))
