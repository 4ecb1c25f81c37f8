"""`{% memo key… %}…{% endmemo %}`: render the enclosed template once per distinct key in this process.

For fragments that depend on nothing but their keys (the menu depends on the language and the user's
roles): the ~20 URL reversals and translations of the menu then cost nothing on later pages. Anything
else the fragment shows (a name, a count, a CSRF token) must stay outside, or be a key.
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()
LIMIT = 512  # distinct keys kept per fragment; then start again (there are a few dozen role sets)


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.rendered = {}

    def render(self, context):
        key = tuple(_hashable(k.resolve(context)) for k in self.keys)
        html = self.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(self.rendered) >= LIMIT:
                self.rendered.clear()
            self.rendered[key] = html
        return mark_safe(html)


def _hashable(value):
    if isinstance(value, (set, frozenset, list, tuple)):
        return tuple(sorted(str(v) for v in value))
    return str(value)


@register.tag
def memo(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not keys:
        raise template.TemplateSyntaxError("memo needs at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, keys)
