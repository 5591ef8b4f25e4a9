"""The text of an IATI activity: identifiers and narratives, once or in each language
Renfort writes (docs/iati.md, "Languages")."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from lxml import etree

from renfort.exports import iati_codes as codes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def identifier(reference: str) -> str:
    return f"{settings.IATI_REPORTING_ORG_REF}-{reference}"


def narrative(parent: etree._Element, text: str, lang: str | None = None) -> None:
    node = etree.SubElement(parent, "narrative")
    node.text = text
    if lang and lang != "en":
        node.set(XML_LANG, lang)


def both_languages(parent: etree._Element, make: Callable[[], str]) -> None:
    """A narrative Renfort writes, once per language it speaks."""
    for lang in codes.LANGUAGES:
        with translation.override(lang):
            narrative(parent, make(), lang)


def text_element(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, attrib=attrs)
    narrative(node, text)
    return node
