"""What English output must not contain: CJK characters and full-width punctuation."""

import re

#: CJK ideographs (with extension A and compatibility ideographs), CJK symbols and punctuation
#: (、。「」…), full-width forms (：，（）；…) and the curly double quotes Chinese text uses.
NOT_ENGLISH = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
                         "\u201c\u201d]")


def not_english(text: str) -> list[str]:
    """The lines of `text` holding a CJK character or full-width punctuation."""
    return [line for line in text.splitlines() if NOT_ENGLISH.search(line)]
