"""A survey instrument (công cụ khảo sát, phiếu khảo sát) as immutable Python objects.

Built only by :mod:`.loader` from a validated file (docs/survey-format.md). It says what is
asked (questions, answer scales, respondent types), which answers count as satisfied, how the
questions are grouped and weighted (SIPAS elements, aspects, policy groups, topics) and which
groups feed which ``survey`` leaf of a methodology. Reading responses and computing indices
are separate stages that take an :class:`Instrument`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..decimals import HUNDRED, ZERO

QUESTION_TYPES: dict[str, str] = {
    "scale": "Câu hỏi theo thang đo (tính vào chỉ số)",
    "single": "Chọn một phương án",
    "multiple": "Chọn nhiều phương án",
    "text": "Trả lời tự do",
    "number": "Một số",
}
GROUP_KINDS: dict[str, str] = {
    "element": "Yếu tố",
    "aspect": "Khía cạnh",
    "policy_group": "Nhóm chính sách",
    "topic": "Nội dung",
}
SATISFACTION_METHODS = ("share", "mean")


@dataclass(frozen=True, slots=True)
class AnswerOption:
    """One answer code with its label; ``value`` is the number used by the ``mean`` method."""

    code: str
    label: str
    value: Decimal | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class SatisfactionRule:
    """How one answer on a scale becomes a score from 0 to 100.

    ``share``: 100 when the answer is one of ``satisfied`` and 0 otherwise, so the mean score
    of a question is the percentage of satisfied respondents. ``mean``: the answer's value
    placed linearly between the lowest value (0) and the highest (100).
    """

    method: str
    satisfied: frozenset[str] = frozenset()
    low: Decimal = ZERO
    high: Decimal = HUNDRED


@dataclass(frozen=True, slots=True)
class Scale:
    """An answer scale: valid options, missing-value codes and the satisfaction rule."""

    code: str
    title: str
    options: tuple[AnswerOption, ...]
    missing: tuple[AnswerOption, ...]
    satisfaction: SatisfactionRule
    line: int = field(default=0, compare=False)

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.options + self.missing if o.code == code), None)

    def is_valid(self, code: str) -> bool:
        """True for an answer on the scale (not a missing-value code)."""
        return any(o.code == code for o in self.options)

    def is_missing(self, code: str) -> bool:
        return any(o.code == code for o in self.missing)

    def is_satisfied(self, code: str) -> bool:
        """``share`` scales: the answer counts as satisfied. ``mean`` scales: never asked."""
        return code in self.satisfaction.satisfied

    def score(self, code: str) -> Decimal | None:
        """The answer's score in [0, 100]; ``None`` for a missing-value or unknown code."""
        rule = self.satisfaction
        if not self.is_valid(code):
            return None
        if rule.method == "share":
            return HUNDRED if code in rule.satisfied else ZERO
        value = next(o.value for o in self.options if o.code == code)
        assert value is not None  # the loader gives every option of a mean scale a value
        return (value - rule.low) * HUNDRED / (rule.high - rule.low)


@dataclass(frozen=True, slots=True)
class RespondentType:
    """A kind of respondent (người trả lời): citizen, organisation, civil servant…

    ``answer`` is the code of the answer to the instrument's ``respondent_question`` that
    identifies this type in raw responses (``None`` when the instrument has no such question).
    """

    code: str
    label: str
    answer: str | None = None
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Question:
    """One question. Only ``scale`` questions with ``scored`` true enter an index.

    ``options`` and ``missing`` are the question's own answers for ``single`` and
    ``multiple`` questions; a ``scale`` question takes them from its :class:`Scale`.
    ``respondents`` are the codes of the respondent types the question is asked of.
    """

    code: str
    text: str
    type: str
    respondents: frozenset[str]
    scale: Scale | None = None
    options: tuple[AnswerOption, ...] = ()
    missing: tuple[AnswerOption, ...] = ()
    required: bool = False
    scored: bool = False
    max_choices: int | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    integer: bool = False
    help: str = ""
    line: int = field(default=0, compare=False)

    def answer_options(self) -> tuple[AnswerOption, ...]:
        """The valid answer codes (scale options for ``scale`` questions)."""
        return self.scale.options if self.scale is not None else self.options

    def missing_options(self) -> tuple[AnswerOption, ...]:
        return self.scale.missing if self.scale is not None else self.missing

    def asked_of(self, respondent_type: str) -> bool:
        return respondent_type in self.respondents


@dataclass(frozen=True, slots=True)
class Group:
    """A group of questions: an element, an aspect, a policy group or a topic.

    A leaf group lists ``questions`` (equal weight each); a parent group has ``children``.
    ``weight`` is relative to the siblings: a parent's index is Σ wᵢ·Iᵢ / Σ wᵢ over its
    children. Declared weights add up to 1; with ``weights: equal`` every sibling weighs 1.
    """

    code: str
    title: str
    kind: str
    weight: Decimal
    questions: tuple[str, ...] = ()
    children: tuple[Group, ...] = ()
    parent: str | None = None
    description: str = ""
    line: int = field(default=0, compare=False)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Group]:
        """This group and its descendants, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def all_questions(self) -> tuple[str, ...]:
        """Codes of the questions of this group and of all groups below it."""
        return tuple(q for g in self.walk() for q in g.questions)


@dataclass(frozen=True, slots=True)
class LeafMapping:
    """Groups whose combined index feeds one ``survey`` leaf of a methodology.

    ``methodology`` is a methodology id, or ``None`` for any methodology without mappings
    of its own; ``source`` is the ``survey`` rule source the leaf must have (``None``: not
    checked); ``respondents`` limits the answers used to these respondent types (empty: all).
    The leaf's index is Σ wᵢ·Iᵢ / Σ wᵢ over the groups (siblings, so their weights compare).
    """

    leaf: str
    groups: tuple[str, ...]
    methodology: str | None = None
    source: str | None = None
    respondents: frozenset[str] = frozenset()
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Decision:
    """The official document that issued the survey method."""

    number: str = ""
    date: str = ""
    issuer: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class Instrument:
    """A whole survey instrument. ``file`` is where it was read from; ``source`` is the
    survey source code (``sipas``, ``leaders``…) that ``survey`` rules of methodologies name."""

    id: str
    title: str
    year: int
    status: str
    respondent_types: tuple[RespondentType, ...]
    scales: tuple[Scale, ...]
    questions: tuple[Question, ...]
    groups: tuple[Group, ...]
    mappings: tuple[LeafMapping, ...] = ()
    method: str = ""
    source: str | None = None
    respondent_question: str | None = None
    decision: Decision = field(default_factory=Decision)
    description: str = ""
    notes: tuple[str, ...] = ()
    file: str = "<dữ liệu>"
    mappings_line: int = field(default=0, compare=False)
    # Look-up tables built from the fields above (never passed in, so replace() rebuilds them).
    _questions: dict[str, Question] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _groups: dict[str, Group] = field(default_factory=dict, init=False, repr=False, compare=False)
    _group_of: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._questions.update((q.code, q) for q in self.questions)
        self._groups.update((g.code, g) for g in self.walk_groups())
        self._group_of.update((q, g.code) for g in self.walk_groups() for q in g.questions)

    def question(self, code: str) -> Question:
        """The question with this code; ``KeyError`` with a Vietnamese message if none."""
        try:
            return self._questions[code]
        except KeyError:
            raise KeyError(f"không có câu hỏi '{code}' trong công cụ {self.id}") from None

    def group(self, code: str) -> Group:
        """The group with this code; ``KeyError`` with a Vietnamese message if none."""
        try:
            return self._groups[code]
        except KeyError:
            raise KeyError(f"không có nhóm '{code}' trong công cụ {self.id}") from None

    def scale(self, code: str) -> Scale:
        for scale in self.scales:
            if scale.code == code:
                return scale
        raise KeyError(f"không có thang đo '{code}' trong công cụ {self.id}")

    def walk_groups(self) -> Iterator[Group]:
        """Every group, parents before children, in file order."""
        for group in self.groups:
            yield from group.walk()

    def leaf_groups(self) -> Iterator[Group]:
        return (g for g in self.walk_groups() if g.is_leaf)

    def group_of(self, question: str) -> Group | None:
        """The group a scored question belongs to (``None`` for unscored questions)."""
        code = self._group_of.get(question)
        return None if code is None else self._groups[code]

    def siblings(self, group: Group) -> tuple[Group, ...]:
        """The group and the other children of its parent (or the top-level groups)."""
        return self.groups if group.parent is None else self._groups[group.parent].children

    def share(self, group: Group) -> Decimal:
        """The group's weight as a fraction of its siblings' (for display: 1/3 is inexact)."""
        return group.weight / sum((g.weight for g in self.siblings(group)), ZERO)

    def respondent_type_of(self, answer: str) -> RespondentType | None:
        """The respondent type whose ``answer`` to ``respondent_question`` this is."""
        return next((t for t in self.respondent_types if t.answer == answer), None)

    def questions_for(self, respondent_type: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.asked_of(respondent_type))

    def mappings_for(self, methodology_id: str) -> tuple[LeafMapping, ...]:
        """The mappings that apply to a methodology: those naming its id if there are any,
        otherwise those that name no methodology."""
        own = tuple(m for m in self.mappings if m.methodology == methodology_id)
        return own or tuple(m for m in self.mappings if m.methodology is None)
