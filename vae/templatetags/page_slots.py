"""``{% page_slot "place" key=value %}``: what upper apps registered for that place of the
page (``vae.page_slots``)."""

from django import template

from vae.page_slots import render_place

register = template.Library()


@register.simple_tag(takes_context=True)
def page_slot(context, place, **values):
    return render_place(place, context.get("request"), **values)
