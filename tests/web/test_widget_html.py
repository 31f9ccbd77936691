"""The widgets written in Python (openraa/web/widget_html.py) render byte for byte what their
templates render, for any names, values, labels and attributes, including text that must be escaped
and text already marked safe; and a real form renders the same through either path."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from openraa.web import widget_html
from openraa.web.forms import GovukForm, GovukRenderer, style_widget

TEMPLATES = TemplatesSetting()

text = st.text(alphabet=st.sampled_from([*"ab <>&\"'é=", "\u00a0"]), max_size=8)
plain_or_safe = st.one_of(
    text, text.map(mark_safe), st.integers(-5, 20_000), st.decimals(min_value=-1000, max_value=100_000, places=2)
)
attr_value = st.one_of(st.just(True), st.just(False), plain_or_safe)
attrs = st.dictionaries(st.sampled_from(["id", "class", "required", "checked", "data-x", "aria-invalid"]), attr_value)


def option_widget(template_name: str):
    return st.fixed_dictionaries(
        {
            "name": text,
            "value": st.one_of(st.none(), plain_or_safe),
            "label": plain_or_safe,
            "selected": st.booleans(),
            "index": st.integers(0, 9).map(str),
            "attrs": attrs,
            "type": st.sampled_from(["checkbox", "radio"]),
            "template_name": st.just(template_name),
            "wrap_label": st.booleans(),
        }
    )


def select_widget():
    choice = option_widget(widget_html.SELECT_OPTION_TEMPLATE)
    group = st.tuples(st.one_of(st.none(), text), st.lists(choice, max_size=4), st.integers(0, 5))
    return st.fixed_dictionaries({"name": text, "attrs": attrs, "optgroups": st.lists(group, max_size=3)})


@settings(max_examples=300, deadline=None)
@given(template_name=st.sampled_from(widget_html.OPTION_TEMPLATES), data=st.data())
def test_an_option_renders_as_its_template_does(template_name, data):
    widget = data.draw(option_widget(template_name))
    context = {"widget": widget}
    assert widget_html.render(template_name, context) == TEMPLATES.render(template_name, context)


@settings(max_examples=300, deadline=None)
@given(widget=select_widget())
def test_a_select_renders_as_its_template_does(widget):
    context = {"widget": widget}
    assert widget_html.render(widget_html.SELECT_TEMPLATE, context) == TEMPLATES.render(
        widget_html.SELECT_TEMPLATE, context
    )


def test_a_template_without_a_python_twin_is_left_to_the_template():
    assert widget_html.render("django/forms/widgets/text.html", {"widget": {}}) is None


class EveryChoiceWidget(GovukForm):
    council = forms.ChoiceField(choices=[("", "Choose"), ("a&b", "A & B <one>"), ("c", "C")], required=True)
    grouped = forms.ChoiceField(choices=[("North", [("n1", "N1"), ("n2", "N2")]), ("s", "South")])
    kinds = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", mark_safe("<b>Y</b>"))], widget=forms.CheckboxSelectMultiple, help_text="Hint"
    )
    answer = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field)


class TemplatesOnly(GovukRenderer):
    def render(self, template_name, context, request=None):
        return TemplatesSetting.render(self, template_name, context, request)


def test_a_whole_form_renders_the_same_through_either_path():
    for data in (None, {"council": "a&b", "grouped": "n2", "kinds": ["y"], "answer": "no"}, {"council": ""}):
        fast = EveryChoiceWidget(data=data)
        slow = EveryChoiceWidget(data=data, renderer=TemplatesOnly())
        if data is not None:
            assert fast.is_valid() == slow.is_valid()
        assert str(fast) == str(slow)
        assert 'value="a&amp;b"' in str(fast)


OPTION_LOOP = (
    '{% for option in field %}<div class="govuk-KIND__item">{{ option.tag }}<label class="govuk-label '
    'govuk-KIND__label" for="{{ option.id_for_label }}">{{ option.choice_label }}</label></div>{% endfor %}'
)


@pytest.mark.parametrize("data", [None, {"kinds": ["x", "y"], "answer": "yes"}, {"kinds": ["nope"]}])
def test_a_choice_group_s_items_are_what_a_template_loop_over_its_options_draws(data):
    from django.template import Context, Template

    form = EveryChoiceWidget(data=data)
    if data is not None:
        form.is_valid()
    for name, kind in (("kinds", "checkboxes"), ("answer", "radios")):
        loop = Template(OPTION_LOOP.replace("KIND", kind))
        assert widget_html.choice_items(form[name], kind) == loop.render(Context({"field": form[name]}))
