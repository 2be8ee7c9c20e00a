"""`{% rendered_once_per key %}…{% end_rendered_once_per %}`: a fragment that depends on `key` alone (and the
language), rendered once per process and key. base.html's menu is ~50 links and as many capability tests, ~3 ms of
every signed-in page, and the same for everyone who holds the same capabilities."""

from django import template
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

KEYS_KEPT = 256  # distinct keys per fragment (a handful of capability sets in practice)


class RenderedOncePerNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key
        self.rendered = {}  # on the node: a template reloaded (DEBUG) starts afresh

    def render(self, context):
        key = (self.key.resolve(context), get_language(), get_script_prefix())
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) >= KEYS_KEPT:
                self.rendered.clear()
            self.rendered[key] = html
        return html


@register.tag
def rendered_once_per(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("rendered_once_per takes one argument, the key")
    nodelist = parser.parse(("end_rendered_once_per",))
    parser.delete_first_token()
    return RenderedOncePerNode(nodelist, parser.compile_filter(bits[1]))
